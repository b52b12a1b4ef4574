"""The query cache: answers of list, count, filter-option and statistics queries, keyed by the query.

Invalidation is exact and cheap: every committed write moves a generation number, and the generation is part
of every key, so an answer computed before a write is never served after it. Entries also expire after
CONVERSELY_CACHE_TTL_S, which bounds what the cases below cannot rule out.

`RedisCache` shares the generation between all storage_service processes through Redis:

- Write while computing. A reader reads generation g, computes its answer in a transaction, and stores it
  under g only if the generation is still g at that moment (one Lua script, atomic in Redis). A write commits
  and only then increments the generation; so either the increment happened before the store (the store is
  skipped: the answer may predate the write), or the write committed after the reader read g — then the
  entry is filed under g, and g stops being served as soon as the write's increment lands, which is before the
  write's RPC returns. No answer older than a returned write is ever served.
- Redis down or failing. Reads compute the answer from the database, so the service keeps answering. After a
  failure Redis is skipped for `retry_after_s` (1 s), connections use short timeouts and no retries, so an
  outage adds at most one short timeout per second, not seconds to every request. The first failure logs
  `query_cache_unavailable` once; the first success afterwards logs `query_cache_recovered`.
- An invalidation lost while Redis was unreachable. Entries filed before such a write would become current
  again when Redis returns. So after any failure, the generation is incremented before Redis serves anything
  again; and every new connection to Redis starts with an increment too, which also covers a Redis restarted
  from an old snapshot (its restored entries belong to a generation that is over) and a connection silently
  re-established between two requests. Another storage_service that lost its connection to Redis while this
  one kept serving cannot be covered: its lost increment happens when it reconnects (at most every
  `retry_after_s`), and the TTL bounds the rest.

Keys hold no namespace for the database: one Redis database (the /N of CONVERSELY_REDIS_URL) serves one
Conversely installation.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import redis
import structlog
from redis.backoff import NoBackoff
from redis.retry import Retry

from conversely.settings import Settings

log = structlog.get_logger()


class QueryCache(Protocol):
    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key` in the current generation, else `compute()` (cached)."""

    def invalidate(self) -> None:
        """Start a new generation: nothing cached before this call is served after it."""


class NoCache:
    """No caching at all: every query is computed (CONVERSELY_CACHE_TTL_S=0)."""

    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        return compute()

    def invalidate(self) -> None:
        pass


class InProcessCache:
    """The embedded mode's cache, inside storage_service (correct only while there is one storage_service)."""

    def __init__(self, ttl_s: float = 300.0, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._generation = 0
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._guard = threading.Lock()

    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        with self._guard:
            found, generation = self._entries.get(key), self._generation
        if found is not None and found[0] > time.monotonic():
            return found[1]
        value = compute()
        with self._guard:
            # A write that committed while we computed may have made `value` stale: keep it only if none did.
            if generation == self._generation:
                if len(self._entries) >= self._max_entries:
                    self._drop_expired()
                if len(self._entries) >= self._max_entries:
                    self._entries.clear()
                self._entries[key] = (time.monotonic() + self._ttl_s, value)
        return value

    def invalidate(self) -> None:
        with self._guard:
            self._generation += 1
            self._entries.clear()

    def _drop_expired(self) -> None:
        now = time.monotonic()
        for key in [key for key, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[key]


# KEYS[1]: the generation; ARGV[1]: the entry key's prefix; ARGV[2]: the query's digest.
_READ = """
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
"""
# KEYS[1]: the generation; ARGV: prefix, digest, the generation read, the answer, its lifetime in ms.
_STORE_IF_CURRENT = """
local generation = redis.call('GET', KEYS[1]) or '0'
if generation == ARGV[3] then
  redis.call('SET', ARGV[1] .. generation .. ':' .. ARGV[2], ARGV[4], 'PX', ARGV[5])
end
return generation
"""


class RedisCache:
    """The query cache in Redis, shared by every storage_service of one installation (see the module docstring)."""

    def __init__(
        self,
        url: str,
        ttl_s: float,
        prefix: str = "conversely:query-cache",
        timeout_s: float = 0.25,
        retry_after_s: float = 1.0,
    ) -> None:
        self._generation_key = f"{prefix}:generation"
        self._entry_prefix = f"{prefix}:entry:"
        self._ttl_ms = max(1, int(ttl_s * 1000))
        self._retry_after_s = retry_after_s
        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
            retry=Retry(NoBackoff(), 0),
            redis_connect_func=self._on_connect,
        )
        self._read = self._redis.register_script(_READ)
        self._store = self._redis.register_script(_STORE_IF_CURRENT)
        self._guard = threading.Lock()
        # False from a failure until Redis has answered again and the generation has been advanced.
        self._healthy = True
        self._skip_until = 0.0
        self._probing = False
        # An invalidation could not reach Redis while a probe was under way.
        self._missed = False

    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        if not self._usable():
            return compute()
        digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        try:
            generation, found = self._read(keys=[self._generation_key], args=[self._entry_prefix, digest])
        except redis.RedisError as error:
            self._failed(error)
            return compute()
        if found is not None:
            return bytes(found)
        value = compute()
        try:
            self._store(keys=[self._generation_key], args=[self._entry_prefix, digest, generation, value, self._ttl_ms])
        except redis.RedisError as error:
            self._failed(error)
        return value

    def invalidate(self) -> None:
        if self._usable():
            try:
                self._redis.incr(self._generation_key)
                return
            except redis.RedisError as error:
                self._failed(error)
        # Not lost: Redis is used again only after an increment that follows this call (see `_usable`).
        with self._guard:
            self._missed = True

    def close(self) -> None:
        self._redis.close()

    def _usable(self) -> bool:
        """Whether to use Redis now. After a failure: not for `retry_after_s`, then only once an increment of
        the generation has succeeded, so that no invalidation missed meanwhile can be undone."""
        if self._healthy:
            return True
        with self._guard:
            if self._healthy:
                return True
            if self._probing or time.monotonic() < self._skip_until:
                return False
            self._probing = True
        try:
            while True:
                with self._guard:
                    self._missed = False
                self._redis.incr(self._generation_key)
                with self._guard:
                    if not self._missed:
                        self._healthy = True
                        break
        except redis.RedisError:
            with self._guard:
                self._skip_until = time.monotonic() + self._retry_after_s
            return False
        finally:
            with self._guard:
                self._probing = False
        log.info("query_cache_recovered")
        return True

    def _failed(self, error: redis.RedisError) -> None:
        with self._guard:
            self._skip_until = time.monotonic() + self._retry_after_s
            was_healthy, self._healthy = self._healthy, False
        if was_healthy:
            log.warning("query_cache_unavailable", error=str(error) or type(error).__name__)

    def _on_connect(self, connection: Any) -> None:
        """Every new connection first ends the current generation (see the module docstring)."""
        connection.on_connect()
        connection.send_command("INCR", self._generation_key)
        connection.read_response()


def open_query_cache(settings: Settings) -> QueryCache:
    """No cache when CONVERSELY_CACHE_TTL_S is 0; Redis when CONVERSELY_REDIS_URL is set; else in-process."""
    if settings.cache_ttl_s <= 0:
        return NoCache()
    if settings.redis_url:
        return RedisCache(settings.redis_url, settings.cache_ttl_s)
    return InProcessCache(settings.cache_ttl_s)
