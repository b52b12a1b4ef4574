"""`GET /api/config?token=`: the endpoints.yml and credentials.yml a Rasa server started with --config-endpoint uses.

`rasa x --production --config-endpoint <gateway>/api/config?token=<Rasa token>` fetches `{"endpoints": "<yaml>",
"credentials": "<yaml>"}` and retries every 5 s (60 times) on any other answer (`_pull_runtime_config_from_server`
in rasa/cli/x.py), so the gateway answers 503 until the database migrations are complete, as Rasa X did.

endpoints.yml points Rasa's model pulls at this gateway's model server (the `production` tag) and its event broker
at where Conversely consumes: RabbitMQ when CONVERSELY_RABBITMQ_URL is set (Rasa's pika broker), else the SQL table
event_service polls (Rasa's SQL broker). credentials.yml enables Rasa's `rasa` channel (chat from this gateway,
JWT-verified with the key of GET /api/version) and `rest`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import grpc
import yaml
from sqlalchemy.engine import make_url
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely.migration.v1 import migration_pb2
from conversely.settings import Settings
from gateway.auth import auth_state, requires
from gateway.clients import clients
from gateway.errors import ApiError
from gateway.permissions import RUNTIME_CONFIG_GET
from gateway.routes.health import migration_state

MIGRATION_TIMEOUT_S = 3.0
# Rasa X's default: how often Rasa asks the model server for a new model.
WAIT_TIME_BETWEEN_PULLS_S = 10
MODEL_TAG = "production"
AMQP_PORTS = {"amqp": 5672, "amqps": 5671}


@requires(RUNTIME_CONFIG_GET, rasa_token=True)
async def runtime_config(request: Request) -> JSONResponse:
    """200 `{"endpoints", "credentials"}` (YAML texts) once migrations are complete; 503 saying why until then."""
    try:
        status = await clients(request).migration.GetStatus(
            migration_pb2.GetStatusRequest(), timeout=MIGRATION_TIMEOUT_S
        )
    except grpc.aio.AioRpcError as error:
        raise ApiError(
            503, "MigrationsNotComplete", f"the migration service did not answer ({error.code().name}); retry"
        ) from None
    problem = migrations_not_complete(status)
    if problem is not None:
        raise ApiError(503, "MigrationsNotComplete", problem)
    settings: Settings = request.app.state.settings
    return JSONResponse(
        {
            "endpoints": yaml_text(endpoints_config(settings, auth_state(request).rasa_token)),
            "credentials": yaml_text(credentials_config(settings)),
        },
        headers={"Cache-Control": "no-store"},  # it holds the Rasa token and the broker's password
    )


def migrations_not_complete(status: migration_pb2.GetStatusResponse) -> str | None:
    """Why Rasa must wait (the migrations are not complete yet, or failed), or None when they are complete."""
    if status.state == migration_pb2.MIGRATION_STATE_COMPLETED:
        return None
    state = migration_state(status)
    detail = f": {status.message}" if status.message else ""
    return (
        f"the database migrations are not complete ({state}, {status.progress_percent:.0f} %{detail}); "
        "Rasa retries every 5 s"
    )


def endpoints_config(settings: Settings, rasa_token: str) -> dict[str, Any]:
    """endpoints.yml: the model server (this gateway, tag `production`) and the event broker Conversely reads."""
    return {
        "models": {
            "url": f"{settings.effective_public_url}/api/projects/default/models/tags/{MODEL_TAG}",
            "token": rasa_token,
            "wait_time_between_pulls": WAIT_TIME_BETWEEN_PULLS_S,
        },
        "event_broker": event_broker_config(settings),
    }


def credentials_config(settings: Settings) -> dict[str, Any]:
    """credentials.yml: Rasa's `rasa` channel (chat from this gateway) and `rest`."""
    return {"rasa": {"url": f"{settings.effective_public_url}/api"}, "rest": {}}


def event_broker_config(settings: Settings) -> dict[str, Any]:
    """Rasa's pika broker for CONVERSELY_RABBITMQ_URL, else its SQL broker on the SQL broker database."""
    if settings.rabbitmq_url:
        return pika_broker_config(settings.rabbitmq_url, settings.rabbitmq_queue, settings.rabbitmq_exchange)
    return sql_broker_config(settings.effective_sql_broker_url)


def pika_broker_config(rabbitmq_url: str, queue: str, exchange: str) -> dict[str, Any]:
    """Rasa's PikaEventBroker arguments (rasa/core/brokers/pika.py): `url` is its host. A plain host name where it
    can be (the default virtual host over amqp): Rasa then logs in with `username` and `password` as given, whatever
    characters they hold; otherwise an amqp(s):// URL naming the virtual host, to which Rasa adds the login."""
    parts = urlsplit(rabbitmq_url)
    scheme = parts.scheme if parts.scheme in AMQP_PORTS else "amqp"
    port = parts.port or AMQP_PORTS[scheme]
    vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    host = parts.hostname or "localhost"
    if scheme != "amqp" or vhost != "/":
        host = f"{scheme}://{host}:{port}/{quote(vhost, safe='')}"
    return {
        "type": "pika",
        "url": host,
        "port": port,
        "username": unquote(parts.username or "guest"),
        "password": unquote(parts.password or "guest"),
        "queues": [queue],
        "exchange_name": exchange,
    }


def sql_broker_config(database_url: str) -> dict[str, Any]:
    """Rasa's SQLEventBroker arguments (rasa/core/brokers/sql.py): `url` is its host (a `host` key would clash with
    it), and a SQLite `db` is the file's absolute path."""
    url = make_url(database_url)
    dialect = url.get_backend_name()
    if dialect == "sqlite":
        return {"type": "SQL", "dialect": "sqlite", "db": str(Path(url.database or "rasa.db").resolve())}
    config = {
        "type": "SQL",
        "dialect": dialect,
        "url": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    }
    return {key: value for key, value in config.items() if value is not None}


def yaml_text(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Rasa expands ${NAME} in plain scalars of its config files (rasa/shared/utils/io.py); quoted text is kept as is.
    style = '"' if "$" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)

routes = [Route("/api/config", runtime_config, methods=["GET"])]
