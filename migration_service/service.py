"""gRPC handler of MigrationService and the HTTP status pages Rasa X's probes used (`GET /`, `GET /health`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

import grpc

from conversely.http_status import Page
from conversely.migration.v1 import migration_pb2, migration_pb2_grpc
from migration_service.runner import MigrationStatus


class MigrationService(migration_pb2_grpc.MigrationServiceServicer):
    def __init__(self, status: Callable[[], MigrationStatus]) -> None:
        self._status = status

    def GetStatus(
        self, request: migration_pb2.GetStatusRequest, context: grpc.ServicerContext
    ) -> migration_pb2.GetStatusResponse:
        status = self._status()
        return migration_pb2.GetStatusResponse(
            state=migration_pb2.MigrationState.Value(f"MIGRATION_STATE_{status.state.upper()}"),
            current_revisions=status.current_revisions,
            target_revisions=status.target_revisions,
            progress_percent=status.progress_percent,
            message=status.message,
        )


def status_pages(status: Callable[[], MigrationStatus]) -> dict[str, Page]:
    """`GET /` answers the migration status as Rasa X did; `GET /health` is 200 unless the migration failed."""

    def root() -> tuple[int, str, bytes]:
        return HTTPStatus.OK, "application/json", json.dumps(status().as_rasa_x_dict()).encode()

    def health() -> tuple[int, str, bytes]:
        state = status().state
        code = HTTPStatus.SERVICE_UNAVAILABLE if state == "failed" else HTTPStatus.OK
        return code, "application/json", json.dumps({"status": state}).encode()

    return {"/": root, "/health": health}
