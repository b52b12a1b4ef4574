"""The gateway answers every failure with Rasa X's JSON error body, even when a service is down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient

from conversely.settings import Settings
from gateway.app import create_app
from tests.gateway_app import Headers
from tests.stack import TEST_ADMIN, free_port

ERROR_KEYS = {"version", "status", "message", "reason", "details", "help", "code"}


@pytest.fixture
def services_down(tmp_path: Path) -> Iterator[TestClient]:
    nowhere = f"127.0.0.1:{free_port()}"  # no service listens: the internal services are "down"
    settings = Settings.from_env(
        {
            "CONVERSELY_DATA_DIR": str(tmp_path),
            "CONVERSELY_STORAGE_ADDRESS": nowhere,
            "CONVERSELY_EVENTS_ADDRESS": nowhere,
            "CONVERSELY_MIGRATION_ADDRESS": nowhere,
        }
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=ten", "limit must be a whole number, got 'ten'"),
        ("limit=-1", "limit must be from 0 to 1000, got -1"),
        ("limit=1001", "limit must be from 0 to 1000, got 1001"),
        ("offset=-5", "offset must be from 0 to 2147483647, got -5"),
    ],
)
def test_bad_list_parameters_are_a_400(api: TestClient, as_admin: Headers, query: str, message: str) -> None:
    response = api.get(f"/api/conversations?{query}", headers=as_admin)
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["message"] == message
    assert response.json()["status"] == "failure"


def test_bad_tracker_time_is_a_400(api: TestClient, as_admin: Headers) -> None:
    response = api.get("/api/conversations/a/tracker?until=yesterday", headers=as_admin)
    assert (response.status_code, response.json()["reason"]) == (400, "InvalidParameter")


def test_unknown_path_is_a_404_in_rasa_x_shape(services_down: TestClient) -> None:
    response = services_down.get("/api/nothing-here")
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


def test_storage_down_is_a_503_not_a_crash(services_down: TestClient) -> None:
    response = services_down.post("/api/auth", json={"username": TEST_ADMIN[0], "password": TEST_ADMIN[1]})
    assert response.status_code == 503
    assert response.json()["code"] == 503
    assert services_down.get("/api/conversations").status_code == 401


def test_health_answers_while_services_are_down(services_down: TestClient) -> None:
    response = services_down.get("/api/health")
    assert response.status_code == 200
    assert response.json()["database_migration"]["status"] == "unavailable"
    assert set(response.json()["services"].values()) == {"UNAVAILABLE"}


# Websockets authenticate with their first message and check a permission per subscription; each is listed here once
# its own tests show that (tests/integration/test_push_websocket.py).
AUTHENTICATED_IN_PROTOCOL = {"/api/ws"}


def test_every_api_route_declares_its_permission(services_down: TestClient) -> None:
    for route in services_down.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, WebSocketRoute):
            assert route.path in AUTHENTICATED_IN_PROTOCOL, f"{route.path}: an untested websocket"
            continue
        assert getattr(route.endpoint, "required_scope", None), f"{route.path} declares no permission"


def test_a_wrong_method_is_a_405_that_says_which_are_allowed(services_down: TestClient) -> None:
    response = services_down.put("/api/version")
    assert response.status_code == 405
    assert set(response.json()) == ERROR_KEYS
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}
