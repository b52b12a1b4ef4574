"""gRPC handler of MigrationService and the plain HTTP status Rasa X's probes used (`GET /`, `GET /health`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc

from conversely.migration.v1 import migration_pb2, migration_pb2_grpc
from migration_service.runner import MigrationStatus

_STATES = {
    "pending": migration_pb2.MIGRATION_STATE_PENDING,
    "in_progress": migration_pb2.MIGRATION_STATE_IN_PROGRESS,
    "completed": migration_pb2.MIGRATION_STATE_COMPLETED,
    "failed": migration_pb2.MIGRATION_STATE_FAILED,
}


class MigrationService(migration_pb2_grpc.MigrationServiceServicer):
    def __init__(self, status: Callable[[], MigrationStatus]) -> None:
        self._status = status

    def GetStatus(
        self, request: migration_pb2.GetStatusRequest, context: grpc.ServicerContext
    ) -> migration_pb2.GetStatusResponse:
        status = self._status()
        return migration_pb2.GetStatusResponse(
            state=_STATES[status.state],
            current_revisions=status.current_revisions,
            target_revisions=status.target_revisions,
            progress_percent=status.progress_percent,
            message=status.message,
        )


def status_http_server(host: str, port: int, status: Callable[[], MigrationStatus]) -> ThreadingHTTPServer:
    """`GET /` answers the migration status; `GET /health` is 200 unless the migration failed."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            current = status()
            if self.path == "/":
                self._reply(HTTPStatus.OK, current.as_rasa_x_dict())
            elif self.path == "/health":
                healthy = current.state != "failed"
                self._reply(HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE, {"status": current.state})
            else:
                self._reply(HTTPStatus.NOT_FOUND, {"status": "failure", "message": f"no route {self.path}"})

        def _reply(self, code: HTTPStatus, body: dict[str, object]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # probes every few seconds: not worth a line
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
