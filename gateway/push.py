"""What the gateway pushes to browsers (websocket `/api/ws`): job progress, the bot's replies, chat diagnostics.

A `PushHub` is one gateway's in-process fan-out. Publishers call `publish(topic, message)` and never wait: each
subscriber has a bounded queue, and a subscriber too slow to keep up loses its oldest messages (it is told how
many in a `dropped` message) rather than holding anyone up. Topics are `models` (jobs and models, for everyone
who may list jobs) and `conversation:<sender_id>` (a conversation's new events and chat diagnostics).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

MODELS_TOPIC = "models"
QUEUE_SIZE = 256


def conversation_topic(sender_id: str) -> str:
    return f"conversation:{sender_id}"


@dataclass(eq=False)  # kept in a set by identity
class Subscription:
    topics: set[str]
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0

    def offer(self, message: dict[str, Any]) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(message)

    async def next(self) -> dict[str, Any]:
        """The next message; after messages were dropped, first a `{"type": "dropped", "count"}` message."""
        if self.dropped:
            count, self.dropped = self.dropped, 0
            return {"topic": "", "type": "dropped", "count": count}
        return await self.queue.get()


@dataclass
class PushHub:
    _subscriptions: set[Subscription] = field(default_factory=set)
    # Per conversation topic, the id of the last stored event published on it: a conversation's events may be found
    # by more than one poller (gateway/conversation_follower.py, gateway/reply_watcher.py) and go out once.
    _last_event_ids: dict[str, int] = field(default_factory=dict)

    def publish(self, topic: str, message: dict[str, Any]) -> None:
        """Give `message` (a JSON object) to every subscriber of `topic`, tagged with the topic."""
        tagged = {"topic": topic, **message}
        for subscription in list(self._subscriptions):
            if topic in subscription.topics:
                subscription.offer(tagged)

    def publish_event(self, topic: str, event_id: int, event: dict[str, Any]) -> None:
        """Publish a stored event on `topic` as `{"type": "event", "event"}`, unless an event with this id or a
        later one was published on it already."""
        if not self.has_subscribers(topic):
            self._last_event_ids.pop(topic, None)
            return
        if event_id <= self._last_event_ids.get(topic, 0):
            return
        self._last_event_ids[topic] = event_id
        self.publish(topic, {"type": "event", "event": event})

    def has_subscribers(self, topic: str) -> bool:
        return any(topic in subscription.topics for subscription in self._subscriptions)

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(set(topics))
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)


def push_hub(connection: HTTPConnection) -> PushHub:
    return connection.app.state.push  # type: ignore[no-any-return]
