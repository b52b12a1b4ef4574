"""Ingestion benchmark: RabbitMQ -> event_service -> storage_service -> PostgreSQL, end to end.

    .venv/bin/python -m bench.ingest --events 200000

Preloads N events shaped like the fixture into RabbitMQ, starts the real services on a fresh PostgreSQL database,
and prints stored events/s end to end, publish-to-commit latency (p50/p99, measured under a steady load after the
preload), each service's RSS over the run and its peak, and the same throughput for a naive consumer (one INSERT +
COMMIT + ack per message) measured in the same run, as a ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pika
import psycopg

from bench.workload import conversations
from event_service.consumer import declare_rasa_topology
from tests.servers import RABBITMQ_URL, fresh_postgres_database
from tests.stack import Stack, stack_environment

SERVICES = ("migrate", "storage", "events")


def publish(queue: str, exchange: str, total: int, senders: int) -> float:
    """Publish like Rasa (persistent, fresh message_id); returns seconds taken."""
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    channel = connection.channel()
    declare_rasa_topology(channel, exchange, queue)
    started = time.perf_counter()
    for _, bodies in conversations(total, senders):
        for body in bodies:
            channel.basic_publish(
                exchange, "", body, pika.BasicProperties(delivery_mode=2, headers={}, message_id=uuid.uuid4().hex)
            )
    connection.close()
    return time.perf_counter() - started


def stored_count(database_url: str) -> int:
    with psycopg.connect(database_url) as connection:
        return connection.execute("SELECT count(*) FROM conversation_event").fetchone()[0]  # type: ignore[index]


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_throughput(stack: Stack, database_url: str, total: int) -> tuple[float, dict[str, list[float]]]:
    """Seconds from the consumer's start until `total` events are stored, and RSS samples per service."""
    samples: dict[str, list[float]] = {name: [] for name in SERVICES}
    stack.start("events")
    started = time.perf_counter()
    next_sample = 0.0
    while (count := stored_count(database_url)) < total:
        if count >= next_sample:
            for name in SERVICES:
                samples[name].append(rss_mib(stack.processes[name].process.pid))
            next_sample += total / 10
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    for name in SERVICES:
        samples[name].append(rss_mib(stack.processes[name].process.pid))
    return elapsed, samples


def measure_latency(queue: str, exchange: str, database_url: str, rate: int, seconds: float) -> list[float]:
    """Publish `rate` events/s of load plus a probe event every 50 ms; latency = probe first seen in PostgreSQL."""
    probes: dict[str, float] = {}
    seen: dict[str, float] = {}
    done = threading.Event()

    def watch() -> None:
        with psycopg.connect(database_url, autocommit=True) as connection:
            while not done.is_set() or len(seen) < len(probes):
                pending = [sender for sender in list(probes) if sender not in seen]
                rows = connection.execute(
                    "SELECT DISTINCT sender_id FROM conversation_event WHERE sender_id = ANY(%s)", (pending,)
                ).fetchall()
                now = time.perf_counter()
                for (sender,) in rows:
                    seen.setdefault(sender, now)
                time.sleep(0.005)
                if done.is_set() and time.perf_counter() - end_time > 30:
                    return

    end_time = float("inf")
    watcher = threading.Thread(target=watch)
    watcher.start()
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    channel = connection.channel()
    load = (body for _, bodies in conversations(rate * int(seconds) * 2, 1000, seed=99) for body in bodies)
    started = time.perf_counter()
    sent = 0
    while (elapsed := time.perf_counter() - started) < seconds:
        while sent < elapsed * rate:
            channel.basic_publish(exchange, "", next(load), pika.BasicProperties(delivery_mode=2))
            sent += 1
        if len(probes) < elapsed / 0.05:
            sender = f"probe-{len(probes)}"
            body = {"sender_id": sender, "event": "user", "timestamp": time.time(), "text": "probe"}
            channel.basic_publish(exchange, "", json.dumps(body).encode(), pika.BasicProperties(delivery_mode=2))
            probes[sender] = time.perf_counter()
        connection.sleep(0.001)
    connection.close()
    end_time = time.perf_counter()
    done.set()
    watcher.join()
    return sorted((seen[s] - probes[s]) * 1000 for s in probes if s in seen)


def naive_consumer(queue: str, exchange: str, database_url: str, total: int, senders: int) -> float:
    """One INSERT + COMMIT + ack per message; returns events/s."""
    publish(queue, exchange, total, senders)
    with psycopg.connect(database_url) as db:
        db.execute("CREATE TABLE naive_event (id bigserial PRIMARY KEY, sender_id text, data text)")
        db.commit()
        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        channel = connection.channel()
        channel.basic_qos(prefetch_count=100)
        started = time.perf_counter()
        for consumed, (method, _, body) in enumerate(channel.consume(queue), start=1):
            event = json.loads(body)
            db.execute("INSERT INTO naive_event (sender_id, data) VALUES (%s, %s)", (event["sender_id"], body.decode()))
            db.commit()
            channel.basic_ack(method.delivery_tag)
            if consumed == total:
                break
        elapsed = time.perf_counter() - started
        channel.cancel()
        connection.close()
    return total / elapsed


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--senders", type=int, default=10_000)
    parser.add_argument("--naive-events", type=int, default=10_000)
    parser.add_argument("--latency-rate", type=int, default=2_000, help="events/s of load while probing latency")
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()

    exchange = f"bench-exchange-{uuid.uuid4().hex[:6]}"  # not rasa-exchange: no other queue gets a copy
    queue = f"bench_events_{uuid.uuid4().hex[:6]}"
    naive_queue = queue + "_naive"
    with fresh_postgres_database() as database_url, tempfile.TemporaryDirectory() as logs:
        extra = {
            "CONVERSELY_DATABASE_URL": database_url,
            "CONVERSELY_RABBITMQ_URL": RABBITMQ_URL,
            "CONVERSELY_RABBITMQ_QUEUE": queue,
            "CONVERSELY_RABBITMQ_EXCHANGE": exchange,
            "CONVERSELY_LOG_LEVEL": "warning",
        }
        if args.batch_size:
            extra["CONVERSELY_BATCH_SIZE"] = str(args.batch_size)
        stack = Stack(stack_environment(Path(logs), extra), Path(logs)).start("migrate", "storage")
        try:
            stack.wait_until_serving("migrate", "storage")
            print(f"preloading {args.events:,} events over {args.senders:,} senders ...", flush=True)
            publish_s = publish(queue, exchange, args.events, args.senders)
            print(f"  published in {publish_s:.1f}s ({args.events / publish_s:,.0f}/s)", flush=True)
            elapsed, rss = measure_throughput(stack, database_url, args.events)
            throughput = args.events / elapsed
            latencies = measure_latency(queue, exchange, database_url, args.latency_rate, args.latency_seconds)
            peaks = {name: rss_mib(stack.processes[name].process.pid, "VmHWM") for name in SERVICES}
        finally:
            stack.stop()
        naive = naive_consumer(naive_queue, exchange, database_url, args.naive_events, args.senders)
        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        channel = connection.channel()
        for name in (queue, queue + ".dead-letter", naive_queue):
            channel.queue_delete(name)
        channel.exchange_delete(exchange)
        connection.close()

    print()
    print(f"events stored end to end:   {args.events:,} in {elapsed:.1f}s = {throughput:,.0f} events/s")
    print(f"naive consumer (same run):  {naive:,.0f} events/s  ->  ratio {throughput / naive:.1f}x")
    print(
        f"publish->commit latency at {args.latency_rate:,}/s: "
        f"p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms ({len(latencies)} probes)"
    )
    for name in SERVICES:
        series = ", ".join(f"{value:.0f}" for value in rss[name])
        print(f"RSS {name:8s} MiB over the run (every 10%): {series}; peak {peaks[name]:.0f}")


if __name__ == "__main__":
    main()
