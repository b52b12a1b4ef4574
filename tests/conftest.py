from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from conversely.database import open_engine
from storage_service.models import Base
from tests.embedded import Embedded
from tests.gateway_app import Headers, admin, gateway_client
from tests.servers import fresh_postgres_database
from tests.storage import migrate
from tests.storage_server import storage_server

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "rasa-3.6.21"


def load_broker_messages() -> list[dict[str, Any]]:
    """The 95 AMQP messages a real Rasa 3.6.21 published, as recorded in ../shared/fixtures."""
    path = FIXTURES / "broker-messages.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def broker_messages() -> list[dict[str, Any]]:
    return load_broker_messages()


@pytest.fixture(scope="session")
def expected_events_by_sender(broker_messages: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each sender's events in timestamp order (stable: arrival order breaks ties), as a tracker must hold them."""
    by_sender: dict[str, list[dict[str, Any]]] = {}
    for message in broker_messages:
        by_sender.setdefault(message["body"]["sender_id"], []).append(message["body"])
    return {sender: sorted(events, key=lambda e: e["timestamp"]) for sender, events in by_sender.items()}


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'conversely.db'}"


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Embedded]:
    """`conversely up` on a SQLite file in tmp_path, not yet started; stopped after the test if still running."""
    stack = Embedded(tmp_path)
    yield stack
    if stack.process is not None and stack.process.process.poll() is None:
        stack.process.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a migrated database (SQLite, then PostgreSQL), every table emptied."""
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    yield from _emptied_database(url)


@pytest.fixture
def sqlite_sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a migrated SQLite database, for tests whose subject does not depend on the database."""
    yield from _emptied_database(sqlite_url)


def _emptied_database(url: str) -> Iterator[sessionmaker[Session]]:
    migrate(url)
    engine = open_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(text(f"DELETE FROM {table.name}"))
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def storage_channel(sessions: sessionmaker[Session]) -> Iterator[grpc.Channel]:
    """A channel to every storage RPC, served in-process on the `sessions` database (SQLite, then PostgreSQL)."""
    with storage_server(sessions) as channel:
        yield channel


@pytest.fixture
def api(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    """A client of the gateway app on an in-process storage server on SQLite (modules may override it)."""
    with gateway_client(sqlite_sessions, tmp_path) as client:
        yield client


@pytest.fixture
def as_admin(api: TestClient) -> Headers:
    """The Authorization header of `api`'s admin."""
    return admin(api)
