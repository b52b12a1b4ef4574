"""The environments' Rasa servers: `GET /api/environments`, and their health in `GET /api/health` and versions in
`GET /api/version`, asked of every server at once with a short timeout (Rasa doubles, a dead port, a silent one)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tests.gateway_app import admin, gateway_client, user_with_role
from tests.rasa_double import RasaBehaviour, RasaDouble
from tests.stack import free_port

RASA_AUTH_TOKEN = "the-token-rasa-servers-were-started-with"


@contextmanager
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers (a hung Rasa, a black-holing proxy); its URL."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_environments_lists_each_servers_url_and_never_the_token(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = {
        "CONVERSELY_RASA_ENVIRONMENTS": "production=http://rasa-production:5005,worker=http://rasa-worker:5005/",
        "CONVERSELY_RASA_AUTH_TOKEN": RASA_AUTH_TOKEN,
    }
    with gateway_client(sqlite_sessions, tmp_path, settings) as client:
        response = client.get("/api/environments", headers=admin(client))
        as_annotator = client.get("/api/environments", headers=user_with_role(client, "annotator"))
        anonymous = client.get("/api/environments")

    assert response.status_code == 200, response.text
    assert response.json() == {
        "environments": {
            "production": {"url": "http://rasa-production:5005"},
            "worker": {"url": "http://rasa-worker:5005"},
        }
    }
    assert RASA_AUTH_TOKEN not in response.text
    assert as_annotator.status_code == 403
    assert anonymous.status_code == 401


def test_no_environments_configured_is_an_empty_mapping(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with gateway_client(sqlite_sessions, tmp_path) as client:
        response = client.get("/api/environments", headers=admin(client))

    assert response.json() == {"environments": {}}


def test_health_reports_each_rasa_server_at_once_and_a_silent_one_costs_at_most_a_few_seconds(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    down = RasaBehaviour(available=False)
    with (
        RasaDouble(auth_token=RASA_AUTH_TOKEN) as live,
        RasaDouble(behaviour=down, auth_token=RASA_AUTH_TOKEN) as maintenance,
        silent_server() as silent,
    ):
        environments = f"production={live.url},worker={dead},staging={maintenance.url},silent={silent}"
        settings = {"CONVERSELY_RASA_ENVIRONMENTS": environments, "CONVERSELY_RASA_AUTH_TOKEN": RASA_AUTH_TOKEN}
        with gateway_client(sqlite_sessions, tmp_path, settings) as client:
            started = time.monotonic()
            health = client.get("/api/health")
            elapsed = time.monotonic() - started
            version = client.get("/api/version")

    assert health.status_code == 200, health.text
    assert elapsed < 3.5, f"/api/health took {elapsed:.1f}s"
    body = health.json()
    assert body["production"] == {"version": "3.6.21", "minimum_compatible_version": "3.5.0", "status": 200}
    assert body["worker"]["status"] == 503
    assert body["worker"]["message"].startswith(f"the Rasa server of 'worker' at {dead} did not answer")
    assert body["staging"]["status"] == 503 and body["staging"]["message"]
    assert body["silent"] == {"status": 503, "message": "the Rasa server did not answer within 2.5 s"}
    assert {"database_migration", "services"} <= set(body)
    assert version.json()["rasa"] == {"production": "3.6.21"}


def test_health_without_environments_has_only_the_services_and_migration(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path) as client:
        body = client.get("/api/health").json()

    assert set(body) == {"database_migration", "services"}
