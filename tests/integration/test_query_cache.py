"""The query cache, in process and in a real Redis: fresh after every write, hit on repeats, and harmless when
Redis is down, slow, or comes back."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from sqlalchemy.orm import Session, sessionmaker
from structlog.testing import capture_logs

from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from storage_service.cache import InProcessCache, NoCache, QueryCache, RedisCache, open_query_cache
from tests.servers import REDIS_URL, require
from tests.stack import free_port
from tests.statements import recorded_statements
from tests.storage import append, user
from tests.storage_server import storage_server

LIST = storage_pb2.ListConversationsRequest(limit=10)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the real Redis; its keys are deleted afterwards."""
    require("Redis")
    prefix = f"conversely-test:{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["in-process", "redis"])
def make_cache(request: pytest.FixtureRequest) -> Iterator[Callable[[float], QueryCache]]:
    """Makes caches with a given TTL: in process, then in the real Redis."""
    made: list[RedisCache] = []

    def make(ttl_s: float) -> QueryCache:
        if request.param == "in-process":
            return InProcessCache(ttl_s=ttl_s)
        made.append(RedisCache(REDIS_URL, ttl_s=ttl_s, prefix=request.getfixturevalue("redis_prefix")))
        return made[-1]

    yield make
    for cache in made:
        cache.close()


@pytest.fixture
def cache(make_cache: Callable[[float], QueryCache]) -> QueryCache:
    return make_cache(300)


@pytest.fixture
def storage(sessions: sessionmaker[Session], cache: QueryCache) -> Iterator[storage_pb2_grpc.StorageServiceStub]:
    with storage_server(sessions, cache) as channel:
        yield storage_pb2_grpc.StorageServiceStub(channel)


def store(storage: storage_pb2_grpc.StorageServiceStub, sender: str, timestamp: float) -> None:
    """Append one user message through the AppendEvents RPC (a write: it invalidates the cache)."""
    stored = storage_pb2.Event(sender_id=sender, json=json.dumps(user(sender, timestamp)))
    storage.AppendEvents(storage_pb2.AppendEventsRequest(events=[stored]))


def senders(storage: storage_pb2_grpc.StorageServiceStub) -> list[str]:
    return [c.sender_id for c in storage.ListConversations(LIST).conversations]


def test_a_stored_event_shows_in_the_very_next_list(storage: storage_pb2_grpc.StorageServiceStub) -> None:
    store(storage, "a", 1.0)
    assert senders(storage) == ["a"]
    store(storage, "b", 2.0)
    assert senders(storage) == ["b", "a"]
    store(storage, "a", 3.0)
    listed = storage.ListConversations(LIST)
    assert [(c.sender_id, c.number_events) for c in listed.conversations] == [("a", 2), ("b", 1)]


def test_a_redelivered_batch_leaves_the_cache_warm(
    sessions: sessionmaker[Session], storage: storage_pb2_grpc.StorageServiceStub
) -> None:
    store(storage, "a", 1.0)
    senders(storage)
    store(storage, "a", 1.0)  # the same event again: stored as a duplicate, nothing changes
    with recorded_statements(sessions) as statements:
        assert senders(storage) == ["a"]
    assert statements == []


def test_a_repeated_query_is_served_from_the_cache(
    sessions: sessionmaker[Session], storage: storage_pb2_grpc.StorageServiceStub
) -> None:
    append(sessions, [user("a", 1.0, intent="greet"), user("b", 2.0, intent="affirm")])
    options = storage_pb2.ListConversationFilterOptionsRequest(kind=storage_pb2.FILTER_OPTION_KIND_INTENT)
    calls: list[Callable[[], Any]] = [
        lambda: storage.ListConversations(LIST),
        lambda: storage.ListConversations(storage_pb2.ListConversationsRequest(filter={"intents": ["greet"]})),
        lambda: storage.GetStatistics(storage_pb2.GetStatisticsRequest()),
        lambda: storage.ListConversationFilterOptions(options),
    ]
    for call in calls:
        with recorded_statements(sessions) as first:
            answer = call()
        with recorded_statements(sessions) as repeated:
            assert call() == answer
        assert first and not repeated, (first, repeated)


def test_without_a_ttl_nothing_is_cached(sessions: sessionmaker[Session]) -> None:
    cache = open_query_cache(Settings(cache_ttl_s=0))
    assert isinstance(cache, NoCache)
    append(sessions, [user("a", 1.0)])
    with storage_server(sessions, cache) as channel, recorded_statements(sessions) as statements:
        stub = storage_pb2_grpc.StorageServiceStub(channel)
        stub.ListConversations(LIST)
        once = len(statements)
        stub.ListConversations(LIST)
        assert len(statements) == 2 * once > 0


def test_the_settings_choose_the_cache() -> None:
    assert isinstance(open_query_cache(Settings()), InProcessCache)
    redis_cache = open_query_cache(Settings(redis_url="redis://127.0.0.1:1/0"))
    assert isinstance(redis_cache, RedisCache)
    redis_cache.close()


class Computations:
    """A compute() for the cache that counts its calls."""

    def __init__(self, during: Callable[[], None] = lambda: None) -> None:
        self.count = 0
        self._during = during

    def __call__(self) -> bytes:
        self.count += 1
        self._during()
        return f"answer {self.count}".encode()


def test_entries_expire_after_the_ttl(make_cache: Callable[[float], QueryCache]) -> None:
    cache = make_cache(0.3)
    compute = Computations()
    assert cache.get_or_compute("k", compute) == cache.get_or_compute("k", compute) == b"answer 1"
    time.sleep(0.4)
    assert cache.get_or_compute("k", compute) == b"answer 2"


def test_an_answer_computed_while_a_write_commits_is_not_cached(cache: QueryCache) -> None:
    racing = Computations(during=cache.invalidate)
    assert cache.get_or_compute("k", racing) == b"answer 1"
    assert cache.get_or_compute("k", racing) == b"answer 2"
    settled = Computations()
    assert cache.get_or_compute("k", settled) == cache.get_or_compute("k", settled) == b"answer 1"
    cache.invalidate()
    assert cache.get_or_compute("k", settled) == b"answer 2"


def unavailable_warnings(logs: list[MutableMapping[str, Any]]) -> int:
    return sum(entry["event"] == "query_cache_unavailable" for entry in logs)


def test_with_redis_unreachable_queries_still_answer_and_one_warning_is_logged(
    sessions: sessionmaker[Session],
) -> None:
    nowhere = RedisCache(f"redis://127.0.0.1:{free_port()}/0", ttl_s=300, retry_after_s=0.05)
    with capture_logs() as logs, storage_server(sessions, nowhere) as channel:
        stub = storage_pb2_grpc.StorageServiceStub(channel)
        for number in range(5):
            store(stub, f"s{number}", float(number))
            assert senders(stub)[0] == f"s{number}"
            time.sleep(0.06)  # past retry_after_s: Redis is tried (and fails) again
        assert stub.GetStatistics(storage_pb2.GetStatisticsRequest()).conversations == 5
    assert unavailable_warnings(logs) == 1, logs
    nowhere.close()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung Redis)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def test_a_hung_redis_costs_one_short_timeout_not_one_per_query(silent_server: int) -> None:
    hung = RedisCache(f"redis://127.0.0.1:{silent_server}/0", ttl_s=300, timeout_s=0.2, retry_after_s=1.0)
    compute = Computations()
    started = time.monotonic()
    with capture_logs() as logs:
        for _ in range(20):
            hung.get_or_compute("k", compute)
            hung.invalidate()
    elapsed = time.monotonic() - started
    assert compute.count == 20
    assert elapsed < 0.6, elapsed
    assert unavailable_warnings(logs) == 1
    hung.close()


class RedisLink:
    """A TCP relay to the real Redis that the test can cut and restore: an outage as one storage_service sees it,
    while Redis itself (shared with other tests) keeps running."""

    def __init__(self, target_url: str) -> None:
        parts = urlsplit(target_url)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}{parts.path}"
        self._up = threading.Event()
        self._sockets: list[socket.socket] = []
        self._accepting: threading.Thread | None = None

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.05)
        self._up.set()
        self._accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accepting.start()

    def cut(self) -> None:
        self._up.clear()
        if self._accepting is not None:
            self._accepting.join()
        for connection in self._sockets:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._up.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                upstream = socket.create_connection(self._target)
                self._sockets += [client, upstream]
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_relay, args=(source, sink), daemon=True).start()


def _relay(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass


@pytest.fixture
def redis_link(redis_prefix: str) -> Iterator[RedisLink]:
    link = RedisLink(REDIS_URL)
    link.restore()
    yield link
    link.cut()


def test_redis_recovery_reenables_caching_without_serving_stale_answers(
    sessions: sessionmaker[Session], redis_link: RedisLink, redis_prefix: str
) -> None:
    cache = RedisCache(redis_link.url, ttl_s=300, prefix=redis_prefix, retry_after_s=0.2)
    with capture_logs() as logs, storage_server(sessions, cache) as channel:
        stub = storage_pb2_grpc.StorageServiceStub(channel)
        store(stub, "a", 1.0)
        assert senders(stub) == ["a"]  # cached in the current generation
        redis_link.cut()
        store(stub, "b", 2.0)  # committed, but its invalidation cannot reach Redis
        assert senders(stub) == ["b", "a"]
        redis_link.restore()
        time.sleep(0.3)
        assert senders(stub) == ["b", "a"]  # not the entry cached before the outage
        with recorded_statements(sessions) as statements:
            assert senders(stub) == ["b", "a"]
        assert statements == []  # cached again
    events = [entry["event"] for entry in logs if entry["event"].startswith("query_cache_")]
    assert events == ["query_cache_unavailable", "query_cache_recovered"]
    cache.close()
