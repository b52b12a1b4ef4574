"""`GET /api/health` and `GET /api/version`, in Rasa X's shapes."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely import __version__
from conversely.migration.v1 import migration_pb2
from gateway.auth import PUBLIC, auth_state, requires
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.tokens import ALGORITHM


@requires(PUBLIC)
async def health(request: Request) -> JSONResponse:
    services = clients(request)
    migration, *statuses = await asyncio.gather(
        _migration_status(request),
        *(_service_status(channel) for channel in services.channels.values()),
    )
    return JSONResponse(
        {
            "database_migration": migration,
            "services": dict(zip(services.channels, statuses, strict=True)),
        }
    )


@requires(PUBLIC)
async def version(request: Request) -> JSONResponse:
    # `keys`: the public key Rasa's `rasa` chat channel fetches to verify our access tokens.
    key = auth_state(request).signing_key
    return JSONResponse({"rasa": {}, "conversely": __version__, "keys": [{"alg": ALGORITHM, "key": key.public_pem}]})


async def _migration_status(request: Request) -> dict[str, Any]:
    try:
        status = await clients(request).migration.GetStatus(migration_pb2.GetStatusRequest(), timeout=CALL_TIMEOUT_S)
    except grpc.aio.AioRpcError as error:
        return {"status": "unavailable", "message": error.details() or error.code().name}
    return {
        "status": migration_pb2.MigrationState.Name(status.state).removeprefix("MIGRATION_STATE_").lower(),
        "current_revision": list(status.current_revisions),
        "target_revision": list(status.target_revisions),
        "progress_in_percent": status.progress_percent,
        "message": status.message,
    }


async def _service_status(channel: grpc.aio.Channel) -> str:
    try:
        response = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=CALL_TIMEOUT_S
        )
    except grpc.aio.AioRpcError:
        return "UNAVAILABLE"
    return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)


routes = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/version", version, methods=["GET"]),
]
