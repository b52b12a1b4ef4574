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
from conversely.storage.v1 import (
    domain_pb2,
    domain_pb2_grpc,
    inbox_pb2,
    inbox_pb2_grpc,
    jobs_pb2,
    jobs_pb2_grpc,
    models_pb2,
    models_pb2_grpc,
    project_pb2,
    project_pb2_grpc,
    review_pb2,
    review_pb2_grpc,
    storage_pb2,
    storage_pb2_grpc,
    stories_pb2,
    stories_pb2_grpc,
    training_data_pb2,
    training_data_pb2_grpc,
    users_pb2,
    users_pb2_grpc,
)
from storage_service.cache import open_query_cache
from storage_service.services.base import Database
from storage_service.services.conversations import StorageService
from storage_service.services.domain import DomainService
from storage_service.services.inbox import InboxService
from storage_service.services.jobs import JobService
from storage_service.services.models import ModelService
from storage_service.services.project import ProjectService
from storage_service.services.review import ReviewService
from storage_service.services.stories import StoryService
from storage_service.services.training_data import TrainingDataService
from storage_service.services.users import UserService

log = structlog.get_logger()

SERVICE_NAMES = [
    storage_pb2.DESCRIPTOR.services_by_name["StorageService"].full_name,
    review_pb2.DESCRIPTOR.services_by_name["ReviewService"].full_name,
    inbox_pb2.DESCRIPTOR.services_by_name["InboxService"].full_name,
    users_pb2.DESCRIPTOR.services_by_name["UserService"].full_name,
    models_pb2.DESCRIPTOR.services_by_name["ModelService"].full_name,
    training_data_pb2.DESCRIPTOR.services_by_name["TrainingDataService"].full_name,
    stories_pb2.DESCRIPTOR.services_by_name["StoryService"].full_name,
    domain_pb2.DESCRIPTOR.services_by_name["DomainService"].full_name,
    project_pb2.DESCRIPTOR.services_by_name["ProjectService"].full_name,
    jobs_pb2.DESCRIPTOR.services_by_name["JobService"].full_name,
]


def add_servicers(server: grpc.Server, database: Database) -> None:
    """Register every service of `conversely.storage.v1` on `server`."""
    storage_pb2_grpc.add_StorageServiceServicer_to_server(StorageService(database), server)
    review_pb2_grpc.add_ReviewServiceServicer_to_server(ReviewService(database), server)
    inbox_pb2_grpc.add_InboxServiceServicer_to_server(InboxService(database), server)
    users_pb2_grpc.add_UserServiceServicer_to_server(UserService(database), server)
    models_pb2_grpc.add_ModelServiceServicer_to_server(ModelService(database), server)
    training_data_pb2_grpc.add_TrainingDataServiceServicer_to_server(TrainingDataService(database), server)
    stories_pb2_grpc.add_StoryServiceServicer_to_server(StoryService(database), server)
    domain_pb2_grpc.add_DomainServiceServicer_to_server(DomainService(database), server)
    project_pb2_grpc.add_ProjectServiceServicer_to_server(ProjectService(database), server)
    jobs_pb2_grpc.add_JobServiceServicer_to_server(JobService(database), server)


def serve(settings: Settings) -> None:
    engine = open_engine(settings.effective_database_url)
    ready = threading.Event()
    database = Database(
        sessionmaker(engine, expire_on_commit=False),
        ready,
        open_query_cache(settings),
        settings.effective_models_dir,
        settings.max_model_bytes,
    )
    grpc_service = GrpcService(bind_address(settings.bind_host, settings.storage_address), SERVICE_NAMES)
    add_servicers(grpc_service.server, database)
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
