"""`GET /api/health` and `GET /api/version`, in Rasa X's shapes (RASA_X_API.md §4.6, §4.7)."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely import __version__
from conversely.migration.v1 import migration_pb2
from gateway.auth import PUBLIC, auth_state, requires
from gateway.clients import CALL_TIMEOUT_S, clients, serving_status
from gateway.errors import ApiError
from gateway.rasa_client import RasaRefused, RasaServers, rasa_servers
from gateway.tokens import ALGORITHM

# A Rasa server answers GET /version at once; one that does not must not make /api/health slow.
RASA_HEALTH_TIMEOUT_S = 2.5


@requires(PUBLIC)
async def health(request: Request) -> JSONResponse:
    """Each environment's Rasa server (Rasa X's shape), the migration status and each internal service's health,
    all asked at once: a server that does not answer costs at most RASA_HEALTH_TIMEOUT_S."""
    services = clients(request)
    migration, rasa, *statuses = await asyncio.gather(
        _migration_status(request),
        rasa_health(rasa_servers(request)),
        *(serving_status(channel) for channel in services.channels.values()),
    )
    return JSONResponse(
        {
            **rasa,
            "database_migration": migration,
            "services": dict(zip(services.channels, statuses, strict=True)),
        }
    )


@requires(PUBLIC)
async def version(request: Request) -> JSONResponse:
    """Conversely's version, each environment's Rasa version (of the servers that answer), and the public key
    Rasa's `rasa` chat channel fetches to verify our access tokens (`keys`)."""
    key = auth_state(request).signing_key
    rasa = await rasa_health(rasa_servers(request))
    return JSONResponse(
        {
            "rasa": {name: entry["version"] for name, entry in rasa.items() if "version" in entry},
            "conversely": __version__,
            "keys": [{"alg": ALGORITHM, "key": key.public_pem}],
        }
    )


async def rasa_health(servers: RasaServers) -> dict[str, dict[str, Any]]:
    """Every environment's Rasa server at once: `{"version", "minimum_compatible_version", "status": 200}`, or
    `{"status": <Rasa's error status, else 503>, "message": <why>}`."""
    names = sorted(servers.urls)
    entries = await asyncio.gather(*(_rasa_status(servers, name) for name in names))
    return dict(zip(names, entries, strict=True))


async def _rasa_status(servers: RasaServers, environment: str) -> dict[str, Any]:
    try:
        answer = await asyncio.wait_for(servers.version(environment), RASA_HEALTH_TIMEOUT_S)
    except RasaRefused as error:
        return {"status": error.rasa_status, "message": error.rasa_message}
    except ApiError as error:  # RasaUnreachable
        return {"status": 503, "message": error.message}
    except TimeoutError:
        return {"status": 503, "message": f"the Rasa server did not answer within {RASA_HEALTH_TIMEOUT_S:g} s"}
    except ValueError:  # a body that is not JSON
        return {"status": 502, "message": "the Rasa server's GET /version did not answer JSON"}
    return {
        "version": str(answer.get("version", "")),
        "minimum_compatible_version": str(answer.get("minimum_compatible_version", "")),
        "status": 200,
    }


def migration_state(status: migration_pb2.GetStatusResponse) -> str:
    """The migration state as Rasa X named it: "completed", "in_progress", "pending", ..."""
    return migration_pb2.MigrationState.Name(status.state).removeprefix("MIGRATION_STATE_").lower()


async def _migration_status(request: Request) -> dict[str, Any]:
    try:
        status = await clients(request).migration.GetStatus(migration_pb2.GetStatusRequest(), timeout=CALL_TIMEOUT_S)
    except grpc.aio.AioRpcError as error:
        return {"status": "unavailable", "message": error.details() or error.code().name}
    return {
        "status": migration_state(status),
        "current_revision": list(status.current_revisions),
        "target_revision": list(status.target_revisions),
        "progress_in_percent": status.progress_percent,
        "message": status.message,
    }


routes = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/version", version, methods=["GET"]),
]
