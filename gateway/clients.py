"""The gateway's gRPC clients of the internal services, opened and closed with the app."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from starlette.requests import HTTPConnection

from conversely.events.v1 import events_pb2_grpc
from conversely.grpc_runtime import aio_channel
from conversely.migration.v1 import migration_pb2_grpc
from conversely.settings import Settings
from conversely.storage.v1 import (
    domain_pb2_grpc,
    inbox_pb2_grpc,
    jobs_pb2_grpc,
    models_pb2_grpc,
    project_pb2_grpc,
    review_pb2_grpc,
    storage_pb2_grpc,
    stories_pb2_grpc,
    training_data_pb2_grpc,
    users_pb2_grpc,
)

CALL_TIMEOUT_S = 10.0


@dataclass
class ServiceClients:
    storage: storage_pb2_grpc.StorageServiceStub
    review: review_pb2_grpc.ReviewServiceStub
    inbox: inbox_pb2_grpc.InboxServiceStub
    users: users_pb2_grpc.UserServiceStub
    models: models_pb2_grpc.ModelServiceStub
    training_data: training_data_pb2_grpc.TrainingDataServiceStub
    stories: stories_pb2_grpc.StoryServiceStub
    domain: domain_pb2_grpc.DomainServiceStub
    project: project_pb2_grpc.ProjectServiceStub
    jobs: jobs_pb2_grpc.JobServiceStub
    events: events_pb2_grpc.EventServiceStub
    migration: migration_pb2_grpc.MigrationServiceStub
    channels: dict[str, grpc.aio.Channel]

    @classmethod
    def connect(cls, settings: Settings) -> ServiceClients:
        channels = {
            "storage": aio_channel(settings.storage_address),
            "events": aio_channel(settings.events_address),
            "migration": aio_channel(settings.migration_address),
        }
        return cls(
            storage=storage_pb2_grpc.StorageServiceStub(channels["storage"]),
            review=review_pb2_grpc.ReviewServiceStub(channels["storage"]),
            inbox=inbox_pb2_grpc.InboxServiceStub(channels["storage"]),
            users=users_pb2_grpc.UserServiceStub(channels["storage"]),
            models=models_pb2_grpc.ModelServiceStub(channels["storage"]),
            training_data=training_data_pb2_grpc.TrainingDataServiceStub(channels["storage"]),
            stories=stories_pb2_grpc.StoryServiceStub(channels["storage"]),
            domain=domain_pb2_grpc.DomainServiceStub(channels["storage"]),
            project=project_pb2_grpc.ProjectServiceStub(channels["storage"]),
            jobs=jobs_pb2_grpc.JobServiceStub(channels["storage"]),
            events=events_pb2_grpc.EventServiceStub(channels["events"]),
            migration=migration_pb2_grpc.MigrationServiceStub(channels["migration"]),
            channels=channels,
        )

    async def close(self) -> None:
        for grpc_channel in self.channels.values():
            await grpc_channel.close()


async def serving_status(channel: grpc.aio.Channel, timeout_s: float = CALL_TIMEOUT_S) -> str:
    """The service's grpc.health.v1 status name (e.g. SERVING), or UNAVAILABLE when it does not answer."""
    try:
        response = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout_s)
    except grpc.aio.AioRpcError:
        return "UNAVAILABLE"
    return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)


def clients(connection: HTTPConnection) -> ServiceClients:
    return connection.app.state.clients  # type: ignore[no-any-return]
