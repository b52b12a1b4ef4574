"""Nothing lost, nothing doubled: ingestion through real RabbitMQ and PostgreSQL while things fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pika
import psycopg
import pytest

from bench.workload import conversations
from conversely.events.v1 import events_pb2, events_pb2_grpc
from event_service.consumer import dead_letter_queue
from tests.rabbitmq import delete_queues, publish_like_rasa
from tests.servers import RABBITMQ_URL, fresh_postgres_database, require
from tests.stack import Stack, events_status, free_port, stack_environment, start_process, wait_for

SERVICES = ("migrate", "storage", "events")


@pytest.fixture
def database_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def stack(database_url: str, tmp_path: Path) -> Iterator[Stack]:
    require("RabbitMQ")
    queue = f"conversely_faults_{uuid.uuid4().hex[:8]}"
    env = stack_environment(
        tmp_path,
        {
            "CONVERSELY_DATABASE_URL": database_url,
            "CONVERSELY_RABBITMQ_URL": RABBITMQ_URL,
            "CONVERSELY_RABBITMQ_QUEUE": queue,
            "CONVERSELY_RABBITMQ_EXCHANGE": f"conversely-faults-{uuid.uuid4().hex[:8]}",
            "CONVERSELY_BATCH_SIZE": "100",
        },
    )
    running = Stack(env, tmp_path)
    yield running
    running.stop()
    delete_queues(RABBITMQ_URL, queue, dead_letter_queue(queue))


def workload(total: int, senders: int, seed: int = 3) -> list[dict[str, Any]]:
    return [{"body": json.loads(body)} for _, bodies in conversations(total, senders, seed=seed) for body in bodies]


def publish(stack: Stack, messages: list[dict[str, Any]]) -> None:
    publish_like_rasa(
        RABBITMQ_URL, stack.env["CONVERSELY_RABBITMQ_QUEUE"], messages, stack.env["CONVERSELY_RABBITMQ_EXCHANGE"]
    )


def stored(database_url: str) -> tuple[int, int]:
    """(stored events, distinct event keys): equal unless something was stored twice."""
    with psycopg.connect(database_url) as connection:
        row = connection.execute("SELECT count(*), count(DISTINCT event_key) FROM conversation_event").fetchone()
    assert row is not None
    return row[0], row[1]


def stored_count(database_url: str) -> int:
    try:
        return stored(database_url)[0]
    except psycopg.OperationalError:
        return -1  # PostgreSQL restarting


def conversation_aggregates(database_url: str) -> dict[str, tuple[int, int, float, list[str]]]:
    """Per conversation: events, user messages, latest event time, intents."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT c.sender_id, c.number_events, c.number_user_messages, c.latest_event_time,"
            " coalesce(array_agg(a.value ORDER BY a.value) FILTER (WHERE a.value IS NOT NULL), '{}')"
            " FROM conversation c LEFT JOIN conversation_attribute a ON a.sender_id = c.sender_id AND a.kind = 'intent'"
            " GROUP BY c.sender_id"
        ).fetchall()
    return {sender: (events, users, latest, intents) for sender, events, users, latest, intents in rows}


def expected_aggregates(messages: list[dict[str, Any]]) -> dict[str, tuple[int, int, float, list[str]]]:
    bodies = [m["body"] for m in messages]
    events = Counter(b["sender_id"] for b in bodies)
    users = Counter(b["sender_id"] for b in bodies if b["event"] == "user")
    latest: dict[str, float] = {}
    intents: dict[str, set[str]] = {}
    for body in bodies:
        latest[body["sender_id"]] = max(latest.get(body["sender_id"], 0.0), body["timestamp"])
        name = ((body.get("parse_data") or {}).get("intent") or {}).get("name") if body["event"] == "user" else None
        intents.setdefault(body["sender_id"], set()).update([name] if name else [])
    return {s: (events[s], users[s], latest[s], sorted(intents[s])) for s in events}


def assert_exactly(database_url: str, messages: list[dict[str, Any]], stack: Stack) -> None:
    wait_for(lambda: stored_count(database_url) >= len(messages), f"{len(messages)} events stored", stack=stack)
    time.sleep(0.5)  # anything stored twice would show up now
    assert stored(database_url) == (len(messages), len(messages))
    assert conversation_aggregates(database_url) == expected_aggregates(messages)


def test_storage_outage_loses_nothing(stack: Stack, database_url: str) -> None:
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    messages = workload(1500, 40)
    publish(stack, messages[:500])
    wait_for(lambda: stored_count(database_url) == 500, "the first 500 events", stack=stack)

    assert stack.processes["storage"].stop() == 0
    publish(stack, messages[500:])
    wait_for(lambda: "storage_unavailable" in stack.processes["events"].log(), "the consumer to notice", stack=stack)
    assert stack.processes["events"].process.poll() is None, "the consumer must survive storage's absence"
    assert stored_count(database_url) == 500

    stack.start("storage")
    assert_exactly(database_url, messages, stack)


def test_rabbitmq_restart_is_survived_and_the_binding_restored(stack: Stack, database_url: str) -> None:
    rabbitmqctl = shutil.which("rabbitmqctl")
    if rabbitmqctl is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rabbitmqctl is needed to restart RabbitMQ")
        pytest.skip("needs rabbitmqctl to restart RabbitMQ")
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    messages = workload(600, 20)
    publish(stack, messages[:300])
    wait_for(lambda: stored_count(database_url) == 300, "the events before the restart", stack=stack)

    try:
        subprocess.run([rabbitmqctl, "stop_app"], check=True, capture_output=True, timeout=120)
    finally:
        subprocess.run([rabbitmqctl, "start_app"], check=True, capture_output=True, timeout=120)
    # A restart drops the non-durable exchange and its binding: only the consumer's reconnect brings them back,
    # so publish as Rasa would after the restart, without declaring anything ourselves.
    exchange = stack.env["CONVERSELY_RABBITMQ_EXCHANGE"]
    wait_for(lambda: _exchange_exists(exchange), "the consumer to declare the exchange again", stack=stack)
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    channel = connection.channel()
    channel.confirm_delivery()
    for message in messages[300:]:
        channel.basic_publish(exchange, "", json.dumps(message["body"]).encode(), pika.BasicProperties(delivery_mode=2))
    connection.close()
    assert_exactly(database_url, messages, stack)


def _exchange_exists(exchange: str) -> bool:
    try:
        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    except pika.exceptions.AMQPError:
        return False
    try:
        connection.channel().exchange_declare(exchange, exchange_type="fanout", passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False
    finally:
        if connection.is_open:
            connection.close()


def test_postgresql_restart_loses_and_doubles_nothing(stack: Stack, database_url: str) -> None:
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") is None or not clusters.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("pg_ctlcluster is needed to restart PostgreSQL")
        pytest.skip("needs pg_ctlcluster to restart PostgreSQL")
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    messages = workload(3000, 60)
    publisher = threading.Thread(target=_publish_slowly, args=(stack, messages, 1000))
    publisher.start()
    wait_for(lambda: stored_count(database_url) > 300, "ingestion under way", stack=stack)
    version = next(clusters.iterdir()).name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    publisher.join()
    assert_exactly(database_url, messages, stack)
    logs = stack.processes["storage"].log() + stack.processes["events"].log()
    assert "database_unavailable" in logs or "storage_unavailable" in logs, "the restart went unnoticed"


def _publish_slowly(stack: Stack, messages: list[dict[str, Any]], per_second: int) -> None:
    chunk = per_second // 10
    for start in range(0, len(messages), chunk):
        publish(stack, messages[start : start + chunk])
        time.sleep(0.1)


def test_sigterm_commits_and_acknowledges_a_batch_or_neither(stack: Stack, database_url: str) -> None:
    stack.env["CONVERSELY_BATCH_SIZE"] = "250"
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    messages = workload(20000, 400)
    publish(stack, messages)
    wait_for(lambda: stored_count(database_url) > 1000, "ingestion under way", stack=stack)
    assert stack.processes["events"].stop() == 0
    committed = stored(database_url)[0]
    left_in_queue = _ready_messages(stack.env["CONVERSELY_RABBITMQ_QUEUE"])
    assert committed + left_in_queue == len(messages), (committed, left_in_queue)

    stack.start("events")
    assert_exactly(database_url, messages, stack)


def _ready_messages(queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    try:
        return int(connection.channel().queue_declare(queue, passive=True).method.message_count)
    finally:
        connection.close()


def test_three_event_services_share_one_queue_exactly(stack: Stack, database_url: str) -> None:
    stack.start("migrate", "storage").wait_until_serving("migrate", "storage")
    addresses = []
    for number in range(3):
        env = dict(stack.env)
        env["CONVERSELY_EVENTS_ADDRESS"] = address = f"127.0.0.1:{free_port()}"
        env["CONVERSELY_EVENTS_HTTP_PORT"] = str(free_port())
        stack.processes[f"events{number}"] = start_process(f"events{number}", ["serve", "events"], env, stack.log_dir)
        addresses.append(address)
    messages = workload(9000, 150) + [{"body": m} for m in _fixture_bodies()]
    publish(stack, messages)
    assert_exactly(database_url, messages, stack)
    consumed = [events_status(address).consumed for address in addresses]
    assert sum(consumed) == len(messages)
    assert all(count > 0 for count in consumed), consumed
    assert [stack.processes[f"events{number}"].stop() for number in range(3)] == [0, 0, 0]


def _fixture_bodies() -> list[dict[str, Any]]:
    from tests.conftest import load_broker_messages

    return [message["body"] for message in load_broker_messages()]


def test_metrics_and_status_report_what_happened(stack: Stack, database_url: str) -> None:
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    messages = workload(400, 10)
    publish(stack, [*messages, {"raw": b"not json", "properties": {"message_id": "bad"}}, *messages[:50]])
    wait_for(lambda: events_status(stack.address("events")).duplicates == 50, "the duplicates to be counted")
    status = events_status(stack.address("events"))
    assert (status.stored, status.duplicates, status.dead_lettered) == (400, 50, 1)
    assert status.consumed == 451
    assert status.batches >= 1 and status.last_batch_size > 0
    assert status.last_error.startswith("not JSON")
    assert "rabbitmq:" + stack.env["CONVERSELY_RABBITMQ_QUEUE"] in status.sources

    metrics = httpx.get(f"http://127.0.0.1:{stack.env['CONVERSELY_EVENTS_HTTP_PORT']}/metrics", timeout=5).text
    assert "conversely_events_stored_total 400.0" in metrics
    assert "conversely_events_duplicates_total 50.0" in metrics
    assert "conversely_events_dead_lettered_total 1.0" in metrics
    assert "conversely_events_batch_size_count" in metrics
    health = httpx.get(f"http://127.0.0.1:{stack.env['CONVERSELY_EVENTS_HTTP_PORT']}/health", timeout=5)
    assert health.status_code == 200


def test_sql_broker_table_on_postgresql(database_url: str, tmp_path: Path) -> None:
    with fresh_postgres_database() as rasa_database:
        with psycopg.connect(rasa_database) as rasa:
            rasa.execute("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")
            bodies = _fixture_bodies()
            with rasa.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO events (sender_id, data) VALUES (%s, %s)",
                    [(body["sender_id"], json.dumps(body)) for body in bodies],
                )
        env = stack_environment(
            tmp_path, {"CONVERSELY_DATABASE_URL": database_url, "CONVERSELY_SQL_BROKER_URL": rasa_database}
        )
        running = Stack(env, tmp_path).start(*SERVICES)
        try:
            running.wait_until_serving(*SERVICES)
            assert_exactly(database_url, [{"body": body} for body in bodies], running)
        finally:
            assert running.stop() == {"events": 0, "storage": 0, "migrate": 0}


def test_unreachable_rabbitmq_keeps_the_service_up_and_retrying(stack: Stack, database_url: str) -> None:
    stack.env["CONVERSELY_RABBITMQ_URL"] = f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"  # nothing listens
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    wait_for(lambda: stack.processes["events"].log().count('"source_failed"') >= 2, "two restarts", stack=stack)
    assert stack.processes["events"].process.poll() is None
    status = events_status(stack.address("events"))
    assert status.last_error.startswith("rabbitmq:")
    event = {"sender_id": "still-ingesting", "event": "user", "timestamp": 1.0, "text": "hi"}
    with grpc.insecure_channel(stack.address("events")) as channel:
        response = events_pb2_grpc.EventServiceStub(channel).Ingest(
            events_pb2.IngestRequest(events=[json.dumps(event)]), timeout=10
        )
    assert response.stored == 1


def test_sigterm_while_storage_is_down_exits_cleanly_and_loses_nothing(stack: Stack, database_url: str) -> None:
    stack.start(*SERVICES).wait_until_serving(*SERVICES)
    wait_for(lambda: '"consuming"' in stack.processes["events"].log(), "the consumer to start", stack=stack)
    assert stack.processes["storage"].stop() == 0
    messages = workload(2000, 50)
    publish(stack, messages)  # enough for every writer to be busy retrying and the consumer to wait for one
    wait_for(lambda: "storage_unavailable" in stack.processes["events"].log(), "writers retrying", stack=stack)
    assert stack.processes["events"].stop(timeout_s=15) == 0

    stack.start("storage", "events")
    assert_exactly(database_url, messages, stack)
