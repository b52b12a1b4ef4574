"""Keeps open conversations live: while someone follows `conversation:<sender_id>` on /api/ws, the conversation's new
events are published on that topic, however they reached storage (Rasa's event broker, a chat, the API).

One follower per conversation and gateway, started by the first subscriber and ending once the topic has none. It
polls storage (one small query a second), from the conversation's last event when it started; the events of chats
sent through this gateway also come sooner from their reply watcher (gateway/reply_watcher.py), and the hub
publishes each stored event once.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import grpc
import structlog

from conversely.storage.v1 import storage_pb2_grpc
from gateway.conversation_events import rasa_event
from gateway.push import PushHub, conversation_topic
from gateway.reply_watcher import events_after, last_event_id

log = structlog.get_logger()

FOLLOW_INTERVAL_S = 1.0


@dataclass
class ConversationFollowers:
    storage: storage_pb2_grpc.StorageServiceStub
    hub: PushHub
    interval_s: float = FOLLOW_INTERVAL_S
    _following: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    async def follow(self, sender_id: str) -> None:
        """Publish the conversation's new events while its topic has subscribers: every event stored after this
        returns (a no-op when already following)."""
        if sender_id in self._following:
            return
        try:
            cursor: int | None = await last_event_id(self.storage, sender_id)
        except grpc.aio.AioRpcError:
            cursor = None  # storage is down: the follower starts from the last event once it answers
        if sender_id not in self._following:  # another subscriber may have started it meanwhile
            self._following[sender_id] = asyncio.create_task(self._follow(sender_id, cursor))

    async def close(self) -> None:
        for task in self._following.values():
            task.cancel()
        for task in list(self._following.values()):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _follow(self, sender_id: str, cursor: int | None) -> None:
        topic = conversation_topic(sender_id)
        try:
            while self.hub.has_subscribers(topic):
                try:
                    if cursor is None:
                        cursor = await last_event_id(self.storage, sender_id)
                    for stored in await events_after(self.storage, sender_id, cursor):
                        cursor = max(cursor, stored.id)
                        self.hub.publish_event(topic, stored.id, rasa_event(stored))
                except grpc.aio.AioRpcError as error:
                    log.warning("conversation_follow_failed", code=error.code().name, retry_in_s=self.interval_s)
                await asyncio.sleep(self.interval_s)
        finally:
            self._following.pop(sender_id, None)
