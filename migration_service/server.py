"""Wiring of migration_service: status over gRPC and HTTP at once, the upgrade in the background."""

from __future__ import annotations

import threading

from conversely.grpc_runtime import GrpcService, bind_address
from conversely.http_status import status_http_server
from conversely.migration.v1 import migration_pb2, migration_pb2_grpc
from conversely.settings import Settings
from migration_service.runner import MigrationRunner
from migration_service.service import MigrationService, status_pages


def serve(settings: Settings) -> None:
    runner = MigrationRunner(settings.effective_database_url)
    grpc_service = GrpcService(
        bind_address(settings.bind_host, settings.migration_address),
        [migration_pb2.DESCRIPTOR.services_by_name["MigrationService"].full_name],
    )
    migration_pb2_grpc.add_MigrationServiceServicer_to_server(
        MigrationService(lambda: runner.status), grpc_service.server
    )
    http = status_http_server(settings.bind_host, settings.migration_http_port, status_pages(lambda: runner.status))
    threading.Thread(target=http.serve_forever, name="status-http", daemon=True).start()
    stop = threading.Event()
    threading.Thread(target=runner.run, args=(stop,), name="migrate", daemon=True).start()
    grpc_service.set_serving()

    def on_stop() -> None:
        stop.set()
        http.shutdown()

    grpc_service.run(settings.shutdown_grace_s, on_stop=on_stop)
