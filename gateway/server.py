"""Runs the gateway under uvicorn; SIGTERM lets in-flight requests finish, then exits 0."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from conversely.settings import Settings
from gateway.app import create_app


class _GracefulServer(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises SIGTERM after its graceful shutdown, so the process would die of the signal;
        # a stop that was asked for and went well exits 0.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self.handle_exit)
        yield


def serve(settings: Settings) -> None:
    config = uvicorn.Config(
        create_app(settings),
        host=settings.bind_host,
        port=settings.gateway_port,
        log_config=None,  # structlog, configured by the CLI, formats uvicorn's records too
        access_log=False,  # RequestLogMiddleware writes one line per request without query strings
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        server_header=False,
        # Behind nginx every request comes from nginx: take the client from X-Forwarded-For, from trusted proxies only.
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )
    _GracefulServer(config).run()
