"""Acknowledging in order while batches are stored out of order.

Batches go to storage concurrently, so a later batch may commit first. RabbitMQ's `multiple=True` ack covers every
earlier delivery tag, so a batch may only be acknowledged once every batch dispatched before it has committed.
"""

from __future__ import annotations

from collections import deque


class AckWindow:
    """Tracks dispatched batches; used from the connection's own thread only (pika is not thread-safe)."""

    def __init__(self) -> None:
        self._next_ticket = 0
        self._pending: deque[tuple[int, int]] = deque()  # (ticket, last delivery tag), in dispatch order
        self._done: set[int] = set()

    def dispatch(self, last_delivery_tag: int) -> int:
        """Record a batch on its way to storage; returns its ticket."""
        ticket = self._next_ticket
        self._next_ticket += 1
        self._pending.append((ticket, last_delivery_tag))
        return ticket

    def complete(self, ticket: int) -> int | None:
        """Mark a batch stored; returns the delivery tag to acknowledge with multiple=True, if any is due."""
        self._done.add(ticket)
        acknowledge = None
        while self._pending and self._pending[0][0] in self._done:
            done_ticket, acknowledge = self._pending.popleft()
            self._done.discard(done_ticket)
        return acknowledge

    @property
    def in_flight(self) -> int:
        return len(self._pending)
