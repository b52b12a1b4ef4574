"""A tiny HTTP server for probes and metrics beside a gRPC service (health, status, Prometheus text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# path -> () -> (HTTP status, content type, body)
Page = Callable[[], tuple[int, str, bytes]]


def status_http_server(host: str, port: int, pages: Mapping[str, Page]) -> ThreadingHTTPServer:
    """Serve `pages` on GET; anything else is a JSON 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = pages.get(self.path.split("?", 1)[0])
            if page is None:
                status, content_type, body = (
                    404,
                    "application/json",
                    b'{"status": "failure", "message": "no such path"}',
                )
            else:
                status, content_type, body = page()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # probes every few seconds: not worth a line
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
