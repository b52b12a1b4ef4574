"""A batch of events on its way to storage, with what must be acknowledged once it is committed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from conversely.storage.v1 import storage_pb2


@dataclass
class Batch:
    max_size: int
    max_wait_s: float
    events: list[storage_pb2.Event] = field(default_factory=list)
    last_delivery_tag: int = 0
    _opened_at: float = 0.0

    def add(self, event: storage_pb2.Event, delivery_tag: int = 0) -> None:
        if not self.events:
            self._opened_at = time.monotonic()
        self.events.append(event)
        self.last_delivery_tag = max(self.last_delivery_tag, delivery_tag)

    @property
    def is_due(self) -> bool:
        """Full, or its oldest event has waited long enough."""
        if not self.events:
            return False
        return len(self.events) >= self.max_size or time.monotonic() - self._opened_at >= self.max_wait_s

    def clear(self) -> None:
        self.events = []
        self.last_delivery_tag = 0

    def __len__(self) -> int:
        return len(self.events)
