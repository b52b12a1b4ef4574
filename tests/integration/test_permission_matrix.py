"""Every endpoint for every role: a caller gets exactly what their role's permissions allow, nobody anything more."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from gateway.auth import PUBLIC
from gateway.permissions import BUILT_IN_ROLES
from tests.gateway_app import Headers, admin, gateway_client, user_with_role
from tests.storage import append, user

# Values for path parameters: real enough to reach the permission check, none naming a test user or role.
PATH_VALUES = {
    "sender_id": "ana",
    "tag_id": "1",
    "message_timestamp": "100.0",
    "project_id": "default",
    "log_id": "1",
    "key": "0123456789abcdef0123456789abcdef",
    "username": "nobody-here",
    "role": "no-such-role",
    "model": "no-such-model",
    "tag": "production",
    "example_id": "1",
    "intent": "no_such_intent",
    "user_goal": "no-such-goal",
    "synonym_id": "1",
    "mapping_id": "1",
    "regex_id": "1",
    "lookup_table_id": "1",
    "story_id": "1",
    "response_id": "1",
    "response_name": "utter_nothing",
    "action_id": "1",
    "job_id": "1",
    "path": "js/main.js",
}


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", lambda match: PATH_VALUES[match.group(1)], path)


@pytest.fixture
def matrix_client(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    append(sqlite_sessions, [user("ana", 100.0)])
    with gateway_client(sqlite_sessions, tmp_path) as client:
        yield client


def endpoints(client: TestClient) -> list[tuple[str, str, str]]:
    """(method, concrete path, required permission) of every route of the app."""
    found = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, WebSocketRoute):
            continue  # /api/ws authenticates its first message (tests/integration/test_push_websocket.py)
        assert isinstance(route, Route)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.append((method, concrete(route.path), route.endpoint.required_scope))  # type: ignore[attr-defined]
    return found


def test_every_endpoint_answers_each_role_exactly_as_its_permissions_say(matrix_client: TestClient) -> None:
    callers: dict[str, Headers] = {"admin": admin(matrix_client)}
    for role in BUILT_IN_ROLES:
        if role != "admin":
            callers[role] = user_with_role(matrix_client, role)
    checked = 0
    for method, path, permission in endpoints(matrix_client):
        anonymous = matrix_client.request(method, path)
        if permission == PUBLIC:
            assert anonymous.status_code not in {401, 403}, (method, path)
            continue
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        for role, headers in callers.items():
            response = matrix_client.request(method, path, headers=headers)
            denied = response.status_code == 403 and permission in response.json()["message"]
            assert denied == (permission not in BUILT_IN_ROLES[role]), (role, method, path, response.text)
            assert response.status_code != 401, (role, method, path)
            checked += 1
    assert checked >= 4 * 40  # every route with a permission, for each of the four roles
