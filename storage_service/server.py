"""Wiring of storage_service: database engine, gRPC server, and waiting for migrations before serving."""

from __future__ import annotations

import threading

import grpc
import structlog
from sqlalchemy.orm import sessionmaker

from conversely.database import open_engine
from conversely.grpc_runtime import GrpcService, bind_address, channel, wait_until
from conversely.migration.v1 import migration_pb2, migration_pb2_grpc
from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from storage_service.service import StorageService

log = structlog.get_logger()


def serve(settings: Settings) -> None:
    engine = open_engine(settings.effective_database_url)
    ready = threading.Event()
    service = StorageService(sessionmaker(engine, expire_on_commit=False), ready)
    grpc_service = GrpcService(
        bind_address(settings.bind_host, settings.storage_address),
        [storage_pb2.DESCRIPTOR.services_by_name["StorageService"].full_name],
    )
    storage_pb2_grpc.add_StorageServiceServicer_to_server(service, grpc_service.server)
    stop = threading.Event()
    migration = migration_pb2_grpc.MigrationServiceStub(channel(settings.migration_address))

    def migrations_completed() -> bool:
        try:
            status = migration.GetStatus(migration_pb2.GetStatusRequest(), timeout=2)
        except grpc.RpcError:  # the migration service is not up yet
            return False
        return status.state == migration_pb2.MIGRATION_STATE_COMPLETED

    def become_ready() -> None:
        if wait_until(migrations_completed, f"migrations at {settings.migration_address}", stop):
            ready.set()
            grpc_service.set_serving()
            log.info("storage_ready")

    threading.Thread(target=become_ready, name="wait-for-migrations", daemon=True).start()
    grpc_service.run(settings.shutdown_grace_s, on_stop=stop.set)
    engine.dispose()
