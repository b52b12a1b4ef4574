"""The gateway app in-process (Starlette's TestClient) on an in-process storage server, and logged-in callers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from conversely.settings import Settings
from gateway.app import create_app
from tests.stack import TEST_ADMIN
from tests.storage_server import storage_server_address

Headers = dict[str, str]


@contextmanager
def gateway_client(
    sessions: sessionmaker[Session], data_dir: Path, extra: dict[str, str] | None = None
) -> Iterator[TestClient]:
    """A client of a gateway whose storage is `sessions`; its admin is tests.stack.TEST_ADMIN."""
    with storage_server_address(sessions) as address:
        settings = Settings.from_env(
            {
                "CONVERSELY_DATA_DIR": str(data_dir),
                "CONVERSELY_STORAGE_ADDRESS": address,
                "CONVERSELY_ADMIN_USERNAME": TEST_ADMIN[0],
                "CONVERSELY_ADMIN_PASSWORD": TEST_ADMIN[1],
                **(extra or {}),
            }
        )
        with TestClient(create_app(settings)) as client:
            yield client


def login(client: TestClient, username: str, password: str) -> Headers:
    """Authorization headers of `username`, waiting while the gateway is still creating its first admin."""
    for _ in range(100):
        response = client.post("/api/auth", json={"username": username, "password": password})
        if response.status_code != 503:
            break
        time.sleep(0.1)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def admin(client: TestClient) -> Headers:
    return login(client, *TEST_ADMIN)


def user_with_role(client: TestClient, role: str, username: str | None = None) -> Headers:
    """Create a user having only `role` (as the admin) and log in as them."""
    name = username or f"{role}-user"
    password = f"{name}-password"
    created = client.post(
        "/api/users", json={"username": name, "password": password, "roles": [role]}, headers=admin(client)
    )
    assert created.status_code in {201, 409}, created.text
    return login(client, name, password)
