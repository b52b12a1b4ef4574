"""The real servers the integration tests talk to: PostgreSQL, RabbitMQ and Redis on this machine.

With CI=true a missing server fails the test; elsewhere the test is skipped with a reason naming the server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pika
import psycopg
import pytest
import redis

POSTGRES_ADMIN_URL = os.environ.get("CONVERSELY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBITMQ_URL = os.environ.get("CONVERSELY_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
REDIS_URL = os.environ.get("CONVERSELY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@cache
def _unreachable(server: str) -> str | None:
    """Why `server` cannot be reached, or None when it can."""
    try:
        if server == "PostgreSQL":
            psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
        elif server == "RabbitMQ":
            pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL + "?socket_timeout=3")).close()
        elif server == "Redis":
            redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def require(server: str) -> None:
    reason = _unreachable(server)
    if reason is None:
        return
    message = f"{server} is not reachable ({reason})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; with CI=true the tests that need it must run", pytrace=False)
    pytest.skip(f"needs {server}: {message}")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test module; dropped afterwards."""
    require("PostgreSQL")
    name = f"conversely_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
