"""Runs the gateway under uvicorn; SIGTERM lets in-flight requests finish, then exits 0."""

from __future__ import annotations

import uvicorn

from conversely.settings import Settings
from gateway.app import create_app


def serve(settings: Settings) -> None:
    uvicorn.run(
        create_app(settings),
        host=settings.bind_host,
        port=settings.gateway_port,
        log_config=None,  # structlog, configured by the CLI, formats uvicorn's records too
        access_log=False,  # RequestLogMiddleware writes one line per request without query strings
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        server_header=False,
    )
