"""Query benchmark: storage_service's conversation API on a large PostgreSQL database, cached and uncached.

    .venv/bin/python -m bench.api --conversations 100000 --events 5000000

Creates a fresh PostgreSQL database, migrates it with the real migration service, loads conversations shaped like
the recorded fixture (plus one conversation of 1,000 events) through the bulk ingestion path (in-process
`append_events`, big batches), gives some of them review states, tags and creators, and VACUUM ANALYZEs. Then it
starts two real storage_service processes on it, one caching in Redis and one with CONVERSELY_CACHE_TTL_S=0, and
prints p50/p95/p99 latencies of ListConversations (no filter, each filter alone, combinations),
ListConversationEvents of the long conversation and GetStatistics, cached and uncached; the same main calls through
a real gateway per storage process (HTTP, with a JWT), as a browser or script sees them; a naive baseline computed
in the same run (the first page and its count from the events table); load time and rate; each storage process's
peak RSS.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import grpc
import orjson
import psycopg
from sqlalchemy.orm import sessionmaker

from bench.ingest import rss_mib
from bench.workload import TEXTS, fixture_events
from conversely.database import open_engine
from conversely.grpc_runtime import channel, is_serving
from conversely.migration.v1 import migration_pb2, migration_pb2_grpc
from conversely.rasa_events import parse_event
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from storage_service.queries.events import append_events
from tests.servers import POSTGRES_ADMIN_URL, REDIS_URL, fresh_postgres_database, require
from tests.stack import Stack, api_client, free_port, stack_environment, start_process, wait_for

LONG_CONVERSATION = "bench-long"
LONG_EVENTS = 1000
FIXTURE_INTENTS = ["greet", "weather", "mood_unhappy", "affirm", "goodbye", "bot_challenge", "mood_great"]
# A long tail of rarer intents, so that intent filters range from most conversations to a few.
INTENTS = FIXTURE_INTENTS + [f"faq_{number:03d}" for number in range(100)]
INTENT_WEIGHTS = [1.0 / (rank + 1) for rank in range(len(INTENTS))]
CHANNELS, CHANNEL_WEIGHTS = ["rest", "socketio", "telegram", "slack"], [60, 30, 9, 1]
CITIES = ["berlin", "lagos", "paris", "tokyo", "lima", "oslo", "cairo", "delhi", "quito", "accra"] + [
    f"town{number:02d}" for number in range(40)
]
Request = storage_pb2.ListConversationsRequest
Filter = storage_pb2.ConversationFilter
BOTH_ORDERS = storage_pb2.ConversationOrder(by_latest_event_time=True, by_confidence=True)


def conversation_lengths(conversations: int, events: int, rng: random.Random) -> list[int]:
    """Event counts of the ordinary conversations: around the average, summing exactly to `events`."""
    average = events / conversations
    low, high = max(1, int(average * 0.2)), max(1, int(average * 1.8))
    lengths = [rng.randint(low, high) for _ in range(conversations)]
    difference = events - sum(lengths)
    while difference:
        index = rng.randrange(conversations)
        step = 1 if difference > 0 else -1
        if low <= lengths[index] + step <= high:
            lengths[index] += step
            difference -= step
    return lengths


def conversation_events(sender: str, length: int, start: float, rng: random.Random, templates: list[dict]) -> list:
    """One conversation's events, fixture-shaped, with intents, confidences, channels, slots and texts varied."""
    channel_name = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    flagged_at = rng.randrange(length) if rng.random() < 0.01 else -1
    first = rng.randrange(len(templates))
    clock = start
    bodies = []
    for offset in range(length):
        body = dict(templates[(first + offset) % len(templates)])
        body["sender_id"] = sender
        clock += rng.uniform(0.001, 2.0)
        body["timestamp"] = clock
        kind = body["event"]
        if kind == "user":
            body["text"] = f"{rng.choice(TEXTS)} {rng.randrange(1000)}"
            body["input_channel"] = channel_name
            parse_data = dict(body.get("parse_data") or {})
            intent = rng.choices(INTENTS, INTENT_WEIGHTS)[0]
            parse_data["intent"] = {"name": intent, "confidence": round(rng.uniform(0.3, 1.0), 4)}
            body["parse_data"] = parse_data
        elif kind == "action" and body.get("policy"):
            body["confidence"] = round(rng.uniform(0.2, 1.0), 4)
        elif kind == "slot":
            body["value"] = rng.choice(CITIES)
        if offset == flagged_at:
            body["metadata"] = {**(body.get("metadata") or {}), "rasa_x_flagged": True}
        bodies.append(body)
    return bodies


def generated(conversations: int, events: int, seed: int = 11) -> Iterator[tuple[list[dict], str]]:
    """(events of one conversation, its Rasa environment) for every conversation, oldest first; the long one
    is in the middle of the time range."""
    rng = random.Random(seed)
    templates = fixture_events()
    lengths = conversation_lengths(conversations - 1, events - LONG_EVENTS, rng)
    base = 1_800_000_000.0
    for number, length in enumerate(lengths):
        if number == len(lengths) // 2:
            yield conversation_events(LONG_CONVERSATION, LONG_EVENTS, base + number * 60, rng, templates), "production"
        environment = "worker" if rng.random() < 0.1 else "production"
        yield conversation_events(f"bench-{number:07d}", length, base + number * 60, rng, templates), environment


def load(database_url: str, conversations: int, events: int, batch_events: int) -> float:
    """Store the generated events with storage's own bulk path; returns seconds taken."""
    engine = open_engine(database_url)
    sessions = sessionmaker(engine)
    started = time.perf_counter()
    batch: list[Any] = []
    stored = 0
    report_every = max(events // 10, 1)
    for bodies, environment in generated(conversations, events):
        batch.extend((parse_event(orjson.dumps(body)), environment) for body in bodies)
        if len(batch) >= batch_events:
            with sessions.begin() as session:
                stored += append_events(session, batch).stored
            if stored // report_every != (stored - len(batch)) // report_every:
                rate = stored / (time.perf_counter() - started)
                print(f"  {stored:,} events stored ({rate:,.0f}/s)", flush=True)
            batch = []
    if batch:
        with sessions.begin() as session:
            stored += append_events(session, batch).stored
    engine.dispose()
    assert stored == events, (stored, events)
    return time.perf_counter() - started


REVIEW_SETUP = [
    # 20% reviewed, 5% saved for later, 10% covered by training stories, 0.5% interactive by two users.
    "UPDATE conversation SET review_status = CASE WHEN abs(hashtext(sender_id)) % 100 < 20 THEN 'reviewed'"
    " WHEN abs(hashtext(sender_id)) % 100 < 25 THEN 'saved_for_later' ELSE 'unread' END,"
    " in_training_data = abs(hashtext(sender_id || 't')) % 100 < 10",
    "UPDATE conversation SET interactive = true,"
    " created_by = CASE WHEN abs(hashtext(sender_id)) % 2 = 0 THEN 'ann' ELSE 'ben' END"
    " WHERE abs(hashtext(sender_id || 'i')) % 1000 < 5",
    "INSERT INTO conversation_tag (value, color) VALUES ('common', 'ff0000'), ('rare', '00ff00'), ('unused', '0000ff')",
    "INSERT INTO conversation_tag_assignment (sender_id, tag_id) SELECT sender_id, t.id FROM conversation,"
    " conversation_tag t WHERE t.value = 'common' AND abs(hashtext(sender_id || 'c')) % 100 < 5",
    "INSERT INTO conversation_tag_assignment (sender_id, tag_id) SELECT sender_id, t.id FROM conversation,"
    " conversation_tag t WHERE t.value = 'rare' AND abs(hashtext(sender_id || 'r')) % 1000 < 1",
]


def review(database_url: str) -> None:
    """Review states, tags and creators on some conversations, then VACUUM ANALYZE (as autovacuum would)."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        for statement in REVIEW_SETUP:
            connection.execute(statement)  # type: ignore[arg-type]
        connection.execute("VACUUM ANALYZE")


def tag_ids(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as connection:
        return {value: id for id, value in connection.execute("SELECT id, value FROM conversation_tag")}


def wait_for_migrations(address: str, stack: Stack) -> None:
    stub = migration_pb2_grpc.MigrationServiceStub(channel(address))

    def completed() -> bool:
        try:
            state = stub.GetStatus(migration_pb2.GetStatusRequest(), timeout=2).state
        except grpc.RpcError:
            return False
        return state == migration_pb2.MIGRATION_STATE_COMPLETED

    wait_for(completed, "migrations to complete", timeout_s=120, stack=stack)


def list_requests(tags: dict[str, int], latest: float) -> list[tuple[str, Request]]:
    """ListConversations at limit 20: no filter, each filter alone, combinations, the gateway's default."""
    slot = storage_pb2.SlotFilter
    filters: list[tuple[str, dict[str, Any]]] = [
        ("start (last ~5% of the time range)", {"start": latest - 0.05 * (latest - 1_800_000_000.0)}),
        ("intents=greet (most)", {"intents": ["greet"]}),
        ("intents=faq_090 (rare)", {"intents": ["faq_090"]}),
        ("entities=city", {"entities": ["city"]}),
        ("actions=utter_weather", {"actions": ["utter_weather"]}),
        ("policies=RulePolicy", {"policies": ["RulePolicy"]}),
        ("slots=city:lag", {"slots": [slot(name="city", value="lag")]}),
        ("input_channels=slack", {"input_channels": ["slack"]}),
        ("text='table for two 123' (rare)", {"text": "table for two 123"}),
        ("text='berlin' (common)", {"text": "berlin"}),
        ("minimum_user_messages=10", {"minimum_user_messages": 10}),
        ("minimum_action_confidence=0.4", {"minimum_action_confidence": 0.4}),
        ("maximum_intent_confidence=0.35", {"maximum_intent_confidence": 0.35}),
        ("in_training_data=true", {"in_training_data": True}),
        ("review_status=saved_for_later", {"review_status": storage_pb2.REVIEW_STATUS_SAVED_FOR_LATER}),
        ("tag_ids=[rare]", {"tag_ids": [tags["rare"]]}),
        ("flagged_only", {"flagged_only": True}),
        ("exclude_interactive", {"exclude_interactive": True}),
        ("exclude_created_by=ann", {"exclude_created_by": "ann"}),
        ("created_by=ben", {"created_by": "ben"}),
        ("rasa_environment=worker", {"rasa_environment": "worker"}),
    ]
    requests = [("no filter", Request(limit=20))]
    requests += [(label, Request(limit=20, filter=Filter(**fields))) for label, fields in filters]
    three = Filter(intents=["greet"], input_channels=["telegram"], minimum_user_messages=5)
    requests.append(("intents+input_channels+minimum_user_messages", Request(limit=20, filter=three)))
    gateway_default = Filter(rasa_environment="production")
    requests.append(
        (
            "gateway default (environment=production, both sorts)",
            Request(limit=20, filter=gateway_default, order=BOTH_ORDERS),
        )
    )
    not_trained = Filter(rasa_environment="production", in_training_data=False)
    requests.append(("in_training_data=false, by confidence", Request(limit=20, filter=not_trained, order=BOTH_ORDERS)))
    return requests


@dataclass
class Timing:
    label: str
    milliseconds: list[float]

    def percentile(self, q: int) -> float:
        values = sorted(self.milliseconds)
        return values[min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))]

    def line(self) -> str:
        return f"p50 {self.percentile(50):7.2f}  p95 {self.percentile(95):7.2f}  p99 {self.percentile(99):7.2f} ms"


def timed(label: str, call: Callable[[], Any], calls: int, budget_s: float) -> Timing:
    """Milliseconds of `calls` calls (fewer if they exceed `budget_s`), after one warm-up call."""
    call()
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < calls and (len(times) < 5 or time.perf_counter() < deadline):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return Timing(label, times)


def naive_first_page(database_url: str, runs: int) -> Timing:
    """The first page and its count computed from the events table alone, as a store without aggregates must."""
    times = []
    with psycopg.connect(database_url) as connection:
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(
                "SELECT sender_id, max(timestamp) AS latest FROM conversation_event"
                " GROUP BY sender_id ORDER BY latest DESC LIMIT 20"
            ).fetchall()
            connection.execute("SELECT count(DISTINCT sender_id) FROM conversation_event").fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return Timing("naive", times)


def measure(
    stub: storage_pb2_grpc.StorageServiceStub, requests: list[tuple[str, Request]], calls: int, budget_s: float
) -> list[Timing]:
    timings = [timed(label, partial(stub.ListConversations, request), calls, budget_s) for label, request in requests]
    events = storage_pb2.ListConversationEventsRequest(sender_id=LONG_CONVERSATION, page_size=LONG_EVENTS)
    timings.append(
        timed("ListConversationEvents, 1,000 events", lambda: stub.ListConversationEvents(events), calls, budget_s)
    )
    timings.append(
        timed("GetStatistics", lambda: stub.GetStatistics(storage_pb2.GetStatisticsRequest()), calls, budget_s)
    )
    options = storage_pb2.ListConversationFilterOptionsRequest(kind=storage_pb2.FILTER_OPTION_KIND_INTENT)
    timings.append(
        timed(
            "ListConversationFilterOptions intents",
            lambda: stub.ListConversationFilterOptions(options),
            calls,
            budget_s,
        )
    )
    return timings


def same_answers(
    cached: storage_pb2_grpc.StorageServiceStub,
    uncached: storage_pb2_grpc.StorageServiceStub,
    requests: list[tuple[str, Request]],
) -> list[int]:
    """Checks both services answer alike; the total count of each list request."""
    totals = []
    for label, request in requests:
        answer = uncached.ListConversations(request)
        assert cached.ListConversations(request) == answer, label
        totals.append(answer.total_count)
    return totals


def start_storage_processes(stack: Stack, log_dir: Path) -> tuple[str, str]:
    """One storage_service caching in Redis (the stack's) and one without any cache; their addresses."""
    stack.start("storage")
    uncached_env = {
        **stack.env,
        "CONVERSELY_STORAGE_ADDRESS": f"127.0.0.1:{free_port()}",
        "CONVERSELY_CACHE_TTL_S": "0",
        "CONVERSELY_REDIS_URL": "",
    }
    stack.processes["storage-uncached"] = start_process("storage-uncached", ["serve", "storage"], uncached_env, log_dir)
    stack.wait_until_serving("storage")
    uncached = uncached_env["CONVERSELY_STORAGE_ADDRESS"]
    wait_for(lambda: is_serving(channel(uncached), timeout_s=1), "the uncached storage_service", stack=stack)
    return stack.address("storage"), uncached


def start_gateway(stack: Stack, log_dir: Path, name: str, storage_address: str) -> str:
    """A gateway process on `storage_address`; its URL once its admin can log in."""
    env = {**stack.env, "CONVERSELY_STORAGE_ADDRESS": storage_address, "CONVERSELY_GATEWAY_PORT": str(free_port())}
    stack.processes[name] = start_process(name, ["serve", "gateway"], env, log_dir)
    return f"http://127.0.0.1:{env['CONVERSELY_GATEWAY_PORT']}"


def measure_http(gateway_url: str, calls: int, budget_s: float) -> list[Timing]:
    """What a browser or script sees: the same calls through the gateway (JWT check, gRPC, JSON)."""
    with api_client(gateway_url) as api:

        def get(path: str) -> Callable[[], Any]:
            return lambda: api.get(path).raise_for_status()

        return [
            timed(label, get(path), calls, budget_s)
            for label, path in (
                ("GET /api/conversations?limit=20", "/api/conversations?limit=20"),
                ("GET /api/conversations?limit=20&intent=greet", "/api/conversations?limit=20&intent=greet"),
                (
                    f"GET …/{LONG_CONVERSATION}/tracker (1,000 events)",
                    f"/api/conversations/{LONG_CONVERSATION}/tracker",
                ),
                ("GET /api/statistics", "/api/statistics"),
            )
        ]


def latest_event_time(database_url: str) -> float:
    with psycopg.connect(database_url) as connection:
        return float(connection.execute("SELECT max(latest_event_time) FROM conversation").fetchone()[0])  # type: ignore[index]


@contextmanager
def database(args: argparse.Namespace) -> Iterator[tuple[str, bool]]:
    """(URL, whether it must be loaded): the given one, a kept new one, or a new one dropped afterwards."""
    if args.database_url:
        yield args.database_url, False
    elif args.keep:
        require("PostgreSQL")
        name = f"conversely_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        url = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
        print(f"database kept for --database-url: {url}")
        yield url, True
    else:
        with fresh_postgres_database() as url:
            yield url, True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--calls", type=int, default=200, help="calls per measurement")
    parser.add_argument("--budget-s", type=float, default=20.0, help="longest one measurement runs (>= 5 calls)")
    parser.add_argument("--batch-events", type=int, default=20_000, help="events per append_events transaction")
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--database-url", default="", help="an already loaded database: skip creating and loading")
    parser.add_argument("--keep", action="store_true", help="keep the new database (reuse it with --database-url)")
    args = parser.parse_args()
    require("Redis")
    with database(args) as (database_url, must_load), tempfile.TemporaryDirectory() as logs:
        log_dir = Path(logs)
        extra = {
            "CONVERSELY_DATABASE_URL": database_url,
            "CONVERSELY_REDIS_URL": REDIS_URL,
            "CONVERSELY_LOG_LEVEL": "warning",
        }
        stack = Stack(stack_environment(log_dir, extra), log_dir).start("migrate")
        try:
            wait_for_migrations(stack.address("migrate"), stack)
            load_s = 0.0
            if must_load:
                print(f"loading {args.conversations:,} conversations, {args.events:,} events ...", flush=True)
                load_s = load(database_url, args.conversations, args.events, args.batch_events)
                review(database_url)
            requests = list_requests(tag_ids(database_url), latest_event_time(database_url))
            cached_address, uncached_address = start_storage_processes(stack, log_dir)
            cached = storage_pb2_grpc.StorageServiceStub(channel(cached_address))
            uncached = storage_pb2_grpc.StorageServiceStub(channel(uncached_address))
            totals = same_answers(cached, uncached, requests)
            print("measuring uncached ...", flush=True)
            uncached_timings = measure(uncached, requests, args.calls, args.budget_s)
            print("measuring cached ...", flush=True)
            cached_timings = measure(cached, requests, args.calls, args.budget_s)
            print("measuring through the gateway ...", flush=True)
            http = {
                name: measure_http(start_gateway(stack, log_dir, f"gateway-{name}", address), args.calls, args.budget_s)
                for name, address in (("uncached", uncached_address), ("cached", cached_address))
            }
            peaks = {
                name: rss_mib(stack.processes[name].process.pid, "VmHWM") for name in ("storage", "storage-uncached")
            }
        finally:
            stack.stop()
        naive = naive_first_page(database_url, args.naive_runs)
    report(args, load_s, totals, uncached_timings, cached_timings, naive, peaks)
    report_http(http)


def report(
    args: argparse.Namespace,
    load_s: float,
    totals: list[int],
    uncached: list[Timing],
    cached: list[Timing],
    naive: Timing,
    peaks: dict[str, float],
) -> None:
    print()
    if load_s:
        rate = args.events / load_s
        size = f"{args.events:,} events, {args.conversations:,} conversations"
        print(f"load: {size} in {load_s:.0f}s = {rate:,.0f} events/s")
    width = max(len(t.label) for t in uncached) + 2
    heading = "call (ListConversations limit 20 unless named)"
    print(f"{heading:{width}}  {'matches':>8}  {'uncached':^40}  {'cached (Redis)':^40}")
    for index, (plain, fast) in enumerate(zip(uncached, cached, strict=True)):
        matches = f"{totals[index]:,}" if index < len(totals) else ""
        print(f"{plain.label:{width}}  {matches:>8}  {plain.line():40}  {fast.line():40}  n={len(plain.milliseconds)}")
    first_page = uncached[0]
    print(
        f"naive first page + count from conversation_event: {naive.line()} ({len(naive.milliseconds)} runs) -> "
        f"{naive.percentile(50) / first_page.percentile(50):,.0f}x the uncached p50, "
        f"{naive.percentile(50) / cached[0].percentile(50):,.0f}x the cached p50"
    )
    cached_peak, uncached_peak = peaks["storage"], peaks["storage-uncached"]
    print(f"peak RSS: storage (Redis cache) {cached_peak:.0f} MiB, storage (no cache) {uncached_peak:.0f} MiB")


def report_http(http: dict[str, list[Timing]]) -> None:
    print()
    width = max(len(t.label) for t in http["uncached"]) + 2
    print(f"{'through the gateway (HTTP, admin JWT)':{width}}  {'uncached':^40}  {'cached (Redis)':^40}")
    for plain, fast in zip(http["uncached"], http["cached"], strict=True):
        print(f"{plain.label:{width}}  {plain.line():40}  {fast.line():40}  n={len(plain.milliseconds)}")


if __name__ == "__main__":
    main()
