"""`GET /api/config`: what a Rasa server started with `--config-endpoint` loads — 503 until the migrations are
complete, then endpoints.yml (model server, event broker) and credentials.yml. The real Rasa 3.6.21, when installed,
loads them and publishes through the broker they configure."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pika
import psycopg
import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from gateway.routes.runtime_config import yaml_text
from migration_service.runner import MigrationStatus
from tests.gateway_app import admin, gateway_client, user_with_role
from tests.live_gateway import COMPLETED, MigrationState, migration_server
from tests.real_rasa import RASA_ENV, RASA_TIMEOUT_S, RASA_VENV, requires_real_rasa
from tests.servers import RABBITMQ_URL, fresh_postgres_database, require

CONFIG = "/api/config"
RASA_TOKEN = "the-rasa-token-of-these-tests"
PUBLIC_URL = "https://conversely.example.com"

# Run inside Rasa's own virtualenv: read the files as `rasa run --endpoints --credentials` does, create the event
# broker they configure, publish one event through it, and report what Rasa made of them.
LOAD_IN_RASA = """
import asyncio, json, sys
from rasa.core.brokers.broker import EventBroker
from rasa.core.channels.rasa_chat import RasaChatInput
from rasa.core.channels.rest import RestInput
from rasa.core.utils import AvailableEndpoints
from rasa.shared.utils.io import read_config_file

endpoints = AvailableEndpoints.read_endpoints(sys.argv[1])
credentials = read_config_file(sys.argv[2])

async def publish():
    broker = await EventBroker.create(endpoints.event_broker)
    broker.publish({"sender_id": "interop", "event": "action", "name": "action_listen", "timestamp": 1.0})
    await asyncio.sleep(0.5)  # the pika broker publishes in a background task
    await broker.close()
    return type(broker).__name__

print(json.dumps({
    "model_url": endpoints.model.url,
    "model_token": endpoints.model.token,
    "wait_time_between_pulls": endpoints.model.kwargs["wait_time_between_pulls"],
    "broker": asyncio.run(publish()),
    "rasa_channel_url": RasaChatInput.from_credentials(credentials["rasa"]).base_url,
    "rest": RestInput.from_credentials(credentials["rest"]).name(),
}))
"""


@contextmanager
def config_client(
    sqlite_sessions: sessionmaker[Session], data_dir: Path, extra: dict[str, str] | None = None
) -> Iterator[tuple[TestClient, MigrationState]]:
    migration = MigrationState()
    with (
        migration_server(migration) as address,
        gateway_client(
            sqlite_sessions,
            data_dir,
            {
                "CONVERSELY_MIGRATION_ADDRESS": address,
                "CONVERSELY_RASA_TOKEN": RASA_TOKEN,
                "CONVERSELY_PUBLIC_URL": PUBLIC_URL,
                **(extra or {}),
            },
        ) as client,
    ):
        yield client, migration


def fetched(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """endpoints.yml and credentials.yml as Rasa fetches them (its token as ?token=)."""
    response = client.get(CONFIG, params={"token": RASA_TOKEN})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"endpoints", "credentials"}
    return yaml.safe_load(body["endpoints"]), yaml.safe_load(body["credentials"])


def test_config_is_503_until_the_migrations_are_complete(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with config_client(sqlite_sessions, tmp_path) as (client, migration):
        migration.status = MigrationStatus("in_progress", progress_percent=40.0, message="0004 -> 0005")
        waiting = client.get(CONFIG, params={"token": RASA_TOKEN})
        migration.status = replace(COMPLETED)
        ready = client.get(CONFIG, params={"token": RASA_TOKEN})

    assert waiting.status_code == 503, waiting.text
    assert waiting.json()["reason"] == "MigrationsNotComplete"
    assert "migrations are not complete (in_progress, 40 %: 0004 -> 0005)" in waiting.json()["message"]
    assert ready.status_code == 200, ready.text


def test_config_is_503_while_the_migration_service_does_not_answer(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_RASA_TOKEN": RASA_TOKEN}) as client:
        response = client.get(CONFIG, params={"token": RASA_TOKEN})

    assert response.status_code == 503, response.text
    assert "migration service did not answer" in response.json()["message"]


def test_endpoints_point_rasa_at_the_model_server_and_the_sqlite_event_broker(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with config_client(sqlite_sessions, tmp_path) as (client, _):
        endpoints, credentials = fetched(client)

    assert endpoints["models"] == {
        "url": f"{PUBLIC_URL}/api/projects/default/models/tags/production",
        "token": RASA_TOKEN,
        "wait_time_between_pulls": 10,
    }
    # The embedded default: Rasa's SQL broker writes into the table event_service polls, in Conversely's SQLite file.
    assert endpoints["event_broker"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": str((tmp_path / "conversely.db").resolve()),
    }
    assert credentials == {"rasa": {"url": f"{PUBLIC_URL}/api"}, "rest": {}}


def test_a_postgresql_sql_broker_is_given_as_rasas_sql_broker_arguments(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    url = "postgresql+psycopg://rasa:p%40ss%24word@db.example:5433/rasa_events"
    with config_client(sqlite_sessions, tmp_path, {"CONVERSELY_SQL_BROKER_URL": url}) as (client, _):
        endpoints, _ = fetched(client)

    # `url` is the host: Rasa's SQLEventBroker passes it as `host`, so a `host` key would clash.
    assert endpoints["event_broker"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.example",
        "port": 5433,
        "db": "rasa_events",
        "username": "rasa",
        "password": "p@ss$word",
    }


@pytest.mark.parametrize(
    ("rabbitmq_url", "host", "port"),
    [
        ("amqp://rasa:secret@rabbit.example:5673/%2F", "rabbit.example", 5673),
        ("amqp://rasa:secret@rabbit.example", "rabbit.example", 5672),
        ("amqp://rasa:secret@rabbit.example/bots", "amqp://rabbit.example:5672/bots", 5672),
        ("amqps://rasa:secret@rabbit.example/%2F", "amqps://rabbit.example:5671/%2F", 5671),
    ],
)
def test_rabbitmq_is_given_as_rasas_pika_broker_with_conversely_queue_and_exchange(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path, rabbitmq_url: str, host: str, port: int
) -> None:
    settings = {"CONVERSELY_RABBITMQ_URL": rabbitmq_url, "CONVERSELY_RABBITMQ_QUEUE": "bot_events"}
    with config_client(sqlite_sessions, tmp_path, settings) as (client, _):
        endpoints, _ = fetched(client)

    assert endpoints["event_broker"] == {
        "type": "pika",
        "url": host,
        "port": port,
        "username": "rasa",
        "password": "secret",
        "queues": ["bot_events"],
        "exchange_name": "rasa-exchange",
    }


def test_text_with_a_dollar_is_quoted_so_that_rasa_does_not_expand_it() -> None:
    text = yaml_text({"password": "pa${HOME}ss", "user": "rasa"})

    assert 'password: "pa${HOME}ss"' in text
    assert "user: rasa" in text


def test_config_needs_the_rasa_token_or_a_user_allowed_to_read_it(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with config_client(sqlite_sessions, tmp_path) as (client, _):
        anonymous = client.get(CONFIG)
        wrong = client.get(CONFIG, params={"token": "not-the-token"})
        as_admin = client.get(CONFIG, headers=admin(client))
        as_tester = client.get(CONFIG, headers=user_with_role(client, "tester"))

    assert anonymous.status_code == 401 and wrong.status_code == 401
    assert as_admin.status_code == 200, as_admin.text
    assert as_tester.status_code == 403, as_tester.text


def load_in_rasa(client: TestClient, tmp_path: Path) -> dict[str, Any]:
    """Rasa's reading of the fetched files, after it published an event through their broker."""
    body = client.get(CONFIG, params={"token": RASA_TOKEN}).json()
    (tmp_path / "endpoints.yml").write_text(body["endpoints"])
    (tmp_path / "credentials.yml").write_text(body["credentials"])
    result = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-c", LOAD_IN_RASA, str(tmp_path / "endpoints.yml"),
         str(tmp_path / "credentials.yml")],
        env=RASA_ENV, capture_output=True, text=True, timeout=RASA_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-5000:]
    loaded: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    assert loaded["model_url"] == f"{PUBLIC_URL}/api/projects/default/models/tags/production"
    assert loaded["model_token"] == RASA_TOKEN and loaded["wait_time_between_pulls"] == 10
    assert loaded["rasa_channel_url"] == f"{PUBLIC_URL}/api" and loaded["rest"] == "rest"
    return loaded


@requires_real_rasa
def test_real_rasa_loads_the_config_and_its_sql_broker_writes_the_events_table(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    broker_db = tmp_path / "rasa-events.db"
    settings = {"CONVERSELY_SQL_BROKER_URL": f"sqlite:///{broker_db}"}
    with config_client(sqlite_sessions, tmp_path / "gateway", settings) as (client, _):
        loaded = load_in_rasa(client, tmp_path)

    assert loaded["broker"] == "SQLEventBroker"
    with sqlite3.connect(broker_db) as db:
        rows = db.execute("SELECT sender_id, data FROM events").fetchall()
    assert [(sender, json.loads(data)["name"]) for sender, data in rows] == [("interop", "action_listen")]


@requires_real_rasa
def test_real_rasa_loads_the_config_and_its_postgresql_sql_broker_writes_the_events_table(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with fresh_postgres_database() as url:
        settings = {"CONVERSELY_SQL_BROKER_URL": url}
        with config_client(sqlite_sessions, tmp_path / "gateway", settings) as (client, _):
            loaded = load_in_rasa(client, tmp_path)
        with psycopg.connect(url) as db:
            rows = db.execute("SELECT sender_id FROM events").fetchall()

    assert loaded["broker"] == "SQLEventBroker"
    assert rows == [("interop",)]


@requires_real_rasa
def test_real_rasa_loads_the_config_and_publishes_to_conversely_queue_through_rabbitmq(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    require("RabbitMQ")
    queue = f"conversely_test_{uuid.uuid4().hex[:12]}"
    settings = {"CONVERSELY_RABBITMQ_URL": RABBITMQ_URL, "CONVERSELY_RABBITMQ_QUEUE": queue}
    with config_client(sqlite_sessions, tmp_path / "gateway", settings) as (client, _):
        loaded = load_in_rasa(client, tmp_path)
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    try:
        channel = connection.channel()
        _, _, body = channel.basic_get(queue, auto_ack=True)
        channel.queue_delete(queue)
    finally:
        connection.close()

    assert loaded["broker"] == "PikaEventBroker"
    assert body is not None and json.loads(body)["sender_id"] == "interop"
