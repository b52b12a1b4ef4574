"""Rasa's events through real RabbitMQ, event_service and storage_service into real PostgreSQL, read back
through the gateway."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from event_service.consumer import REASON_HEADER, dead_letter_queue
from tests.rabbitmq import delete_queues, drain, publish_like_rasa
from tests.servers import RABBITMQ_URL, require
from tests.stack import Stack, as_rasa_sent, events_status, stack_environment, wait_for

SERVICES = ("migrate", "storage", "events", "gateway")


@pytest.fixture(scope="module")
def stack(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require("RabbitMQ")
    queue = f"conversely_test_{uuid.uuid4().hex[:8]}"
    log_dir = tmp_path_factory.mktemp("rabbitmq-stack")
    env = stack_environment(
        log_dir,
        {
            "CONVERSELY_DATABASE_URL": postgres_url,
            "CONVERSELY_RABBITMQ_URL": RABBITMQ_URL,
            "CONVERSELY_RABBITMQ_QUEUE": queue,
        },
    )
    running = Stack(env, log_dir).start(*SERVICES)
    try:
        running.wait_until_serving(*SERVICES)
        yield running
    finally:
        exit_codes = running.stop()
        delete_queues(RABBITMQ_URL, queue, dead_letter_queue(queue))
    assert exit_codes == dict.fromkeys(reversed(SERVICES), 0), running.logs()


def conversations(stack: Stack) -> tuple[dict[str, dict[str, Any]], int]:
    response = stack.api().get("/api/conversations")
    response.raise_for_status()
    return {c["sender_id"]: c for c in response.json()}, int(response.headers["X-Total-Count"])


def stored_event_count(stack: Stack) -> int:
    listed, _ = conversations(stack)
    return sum(c["number_of_events"] for c in listed.values())


def tracker(stack: Stack, sender: str) -> dict[str, Any]:
    response = stack.api().get(f"/api/conversations/{quote(sender, safe='')}/tracker")
    response.raise_for_status()
    return response.json()


def test_every_fixture_event_reaches_the_tracker_in_timestamp_order(
    stack: Stack, broker_messages: list[dict[str, Any]], expected_events_by_sender: dict[str, list[dict[str, Any]]]
) -> None:
    publish_like_rasa(RABBITMQ_URL, stack.env["CONVERSELY_RABBITMQ_QUEUE"], broker_messages)
    wait_for(lambda: stored_event_count(stack) == len(broker_messages), "all 95 events stored", stack=stack)

    listed, total = conversations(stack)
    assert total == len(expected_events_by_sender) == 6
    for sender, expected in expected_events_by_sender.items():
        assert [as_rasa_sent(event) for event in tracker(stack, sender)["events"]] == expected, sender
        assert listed[sender]["n_user_messages"] == sum(e["event"] == "user" for e in expected)
    assert list(listed) == sorted(listed, key=lambda s: listed[s]["latest_event_time"], reverse=True)


def test_republished_messages_are_stored_once(stack: Stack, broker_messages: list[dict[str, Any]]) -> None:
    before = conversations(stack)[0]
    publish_like_rasa(RABBITMQ_URL, stack.env["CONVERSELY_RABBITMQ_QUEUE"], broker_messages[:20])
    status_url = stack.gateway_url + "/api/health"
    wait_for(
        lambda: events_status(stack.address("events")).duplicates >= 20, "the 20 duplicates to be skipped", stack=stack
    )
    assert conversations(stack)[0] == before
    assert httpx.get(status_url, timeout=5).status_code == 200


def test_undecodable_message_is_dead_lettered_and_does_not_block_the_next(stack: Stack) -> None:
    queue = stack.env["CONVERSELY_RABBITMQ_QUEUE"]
    good = {"sender_id": "after-the-bad-one", "event": "user", "timestamp": 1.5, "text": "still here"}
    publish_like_rasa(
        RABBITMQ_URL,
        queue,
        [
            {"raw": b"{not json", "properties": {"message_id": "bad-1"}},
            {"raw": json.dumps({"event": "user", "timestamp": 1.0}).encode(), "properties": {"message_id": "bad-2"}},
            {"body": {**good, "text": "x" * 1_100_000}, "properties": {"message_id": "too-big"}},
            {"raw": b'["a", "list"]', "properties": {"message_id": "not-an-object"}},
            {"body": {**good, "timestamp": "yesterday"}, "properties": {"message_id": "wrong-type"}},
            {"body": good},
        ],
    )
    wait_for(
        lambda: "after-the-bad-one" in conversations(stack)[0], "the good message behind the bad ones", stack=stack
    )
    wait_for(
        lambda: events_status(stack.address("events")).dead_lettered >= 5, "five dead letters counted", stack=stack
    )
    dead = drain(RABBITMQ_URL, dead_letter_queue(queue))
    reasons = {properties.message_id: properties.headers[REASON_HEADER] for properties, _ in dead}
    assert reasons["bad-1"].startswith("not JSON")
    assert reasons["bad-2"].startswith("sender_id must be a non-empty string")
    assert reasons["too-big"].endswith("more than the limit of 1000000")
    assert reasons["not-an-object"] == "not a JSON object but list"
    assert reasons["wrong-type"].startswith("timestamp must be a finite number, got str")
    assert [body for _, body in dead if _.message_id == "bad-1"] == [b"{not json"]


def test_gateway_reports_migration_status_like_rasa_x(stack: Stack) -> None:
    health = httpx.get(stack.gateway_url + "/api/health", timeout=5).json()
    assert health["database_migration"]["status"] == "completed"
    assert health["database_migration"]["progress_in_percent"] == 100.0
    assert set(health["services"].values()) == {"SERVING"}


def test_log_lines_are_json(stack: Stack) -> None:
    for process in stack.processes.values():
        lines = [line for line in process.log().splitlines() if line.strip()]
        assert lines, process.name
        for line in lines:
            assert json.loads(line)["service"], line
