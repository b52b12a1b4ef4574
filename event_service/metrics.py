"""Counters of what event_service consumed, stored and rejected, shared by its sources and its gRPC status."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class IngestMetrics:
    sources: list[str] = field(default_factory=list)
    consumed: int = 0
    stored: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    last_error: str = ""
    queue_depth: int = 0
    batches: int = 0
    last_batch_size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record_consumed(self, count: int) -> None:
        with self._lock:
            self.consumed += count

    def record_stored(self, stored: int, duplicates: int) -> None:
        with self._lock:
            self.stored += stored
            self.duplicates += duplicates

    def record_dead_letter(self, reason: str) -> None:
        with self._lock:
            self.dead_lettered += 1
            self.last_error = reason

    def record_batch(self, size: int) -> None:
        with self._lock:
            self.batches += 1
            self.last_batch_size = size

    def set_queue_depth(self, depth: int) -> None:
        self.queue_depth = depth

    def record_error(self, error: str) -> None:
        with self._lock:
            self.last_error = error
