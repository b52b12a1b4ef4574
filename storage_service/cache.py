"""The query cache: answers of list, count, filter-option and statistics queries, keyed by the query.

Invalidation is exact and cheap: every committed write moves a generation number, and the generation is part
of every key, so an answer computed before a write is never served after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from conversely.settings import Settings


class QueryCache(Protocol):
    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key` in the current generation, else `compute()` (cached)."""

    def invalidate(self) -> None:
        """Start a new generation: nothing cached before this call is served after it."""


class InProcessCache:
    """The embedded mode's cache, inside storage_service (correct only while there is one storage_service)."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, bytes] = {}
        self._generation = 0
        self._max_entries = max_entries
        self._guard = threading.Lock()

    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> bytes:
        with self._guard:
            found, generation = self._entries.get(key), self._generation
        if found is not None:
            return found
        value = compute()
        with self._guard:
            # A write that committed while we computed may have made `value` stale: keep it only if none did.
            if generation == self._generation:
                if len(self._entries) >= self._max_entries:
                    self._entries.clear()
                self._entries[key] = value
        return value

    def invalidate(self) -> None:
        with self._guard:
            self._generation += 1
            self._entries.clear()


def open_query_cache(settings: Settings) -> QueryCache:
    return InProcessCache()
