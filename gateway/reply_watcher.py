"""Waits for the bot's answer to a chat message to arrive through the event broker, and pushes it to the browser.

Rasa answers a chat message over HTTP, but what Conversely shows is what reached storage through the event broker
(DESIGN.md §3): the user's message and the bot's `bot` events. After the gateway forwarded a message, a watcher polls
storage for the conversation's new events and publishes each on the conversation's push topic. The bot's turn is over
at the `action_listen` after the user's message (or shortly after its first `bot` event). When nothing arrives in
time the watcher says why, in a `no_reply` message an operator can act on: "Talk to your bot shows no answer" was
Rasa X's most common support question (RasaHQ/rasa#4479, #8611), and the cause is nearly always that Rasa's events
do not reach the platform.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import grpc
import structlog
from starlette.requests import Request

from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from gateway.clients import CALL_TIMEOUT_S, serving_status
from gateway.conversation_events import rasa_event
from gateway.push import PushHub, conversation_topic

log = structlog.get_logger()

POLL_INTERVAL_S = 0.2
# Rasa publishes a turn's events together; once a `bot` event is in, the rest of the turn follows within this.
SETTLE_AFTER_BOT_S = 1.0
PAGE_SIZE = 10_000  # storage's cap
HEALTH_TIMEOUT_S = 2.0
EVENTS_NOT_REACHING_CONVERSELY = "EventsNotReachingConversely"
BOT_DID_NOT_ANSWER = "BotDidNotAnswer"


@dataclass
class ReplyOutcome:
    """The events that arrived while watching, and the `no_reply` message when the bot's answer did not."""

    events: list[dict[str, Any]] = field(default_factory=list)
    no_reply: dict[str, Any] | None = None


@dataclass
class _Turn:
    """How far the bot's turn has got, judged from the events that arrived."""

    user_seen: bool = False
    bot_seen_at: float | None = None
    listening: bool = False

    def add(self, event: dict[str, Any], now: float) -> None:
        kind = event.get("event")
        if kind == "user":
            self.user_seen = True
        elif kind == "bot" and self.bot_seen_at is None:
            self.bot_seen_at = now
        elif kind == "action" and event.get("name") == "action_listen" and self.user_seen:
            self.listening = True

    def over(self, now: float) -> bool:
        return self.listening or (self.bot_seen_at is not None and now - self.bot_seen_at >= SETTLE_AFTER_BOT_S)


async def last_event_id(storage: storage_pb2_grpc.StorageServiceStub, sender_id: str) -> int:
    """The id of the conversation's last stored event (0 when it has none): where the watcher starts."""
    # Pages by offset come in timestamp order; the largest id of the first one is a start from which `after_id`
    # pages (in storage order) lead to the last event.
    page = await events_after(storage, sender_id, 0)
    cursor = max((event.id for event in page), default=0)
    while cursor and (page := await events_after(storage, sender_id, cursor)):
        cursor = max(event.id for event in page)
    return cursor


async def events_after(
    storage: storage_pb2_grpc.StorageServiceStub, sender_id: str, after_id: int
) -> list[storage_pb2.StoredEvent]:
    """Events stored after `after_id`; with 0, the conversation's first events (all of them are new then)."""
    response = await storage.ListConversationEvents(
        storage_pb2.ListConversationEventsRequest(sender_id=sender_id, page_size=PAGE_SIZE, after_id=after_id),
        timeout=CALL_TIMEOUT_S,
    )
    return list(response.events)


@dataclass
class ReplyWatcher:
    """Watches one conversation for the bot's answer to one message and publishes what arrives."""

    storage: storage_pb2_grpc.StorageServiceStub
    events_channel: grpc.aio.Channel
    hub: PushHub
    sender_id: str
    after_id: int
    # What Rasa answered over HTTP: with messages there but no events here, the events are what is missing.
    rasa_messages: list[dict[str, Any]]
    timeout_s: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def watch(self) -> ReplyOutcome:
        """Poll until the bot's turn is over or `timeout_s` passed; publish each event, then any `no_reply`."""
        outcome, turn = ReplyOutcome(), _Turn()
        topic = conversation_topic(self.sender_id)
        cursor, deadline = self.after_id, self.clock() + self.timeout_s
        while True:
            for stored in await events_after(self.storage, self.sender_id, cursor):
                cursor = max(cursor, stored.id)
                event = rasa_event(stored)
                outcome.events.append(event)
                turn.add(event, self.clock())
                self.hub.publish_event(topic, stored.id, event)
            now = self.clock()
            if turn.over(now):
                return outcome
            if now >= deadline:
                break
            await self.sleep(min(POLL_INTERVAL_S, deadline - now))
        if turn.bot_seen_at is None:
            outcome.no_reply = await self._no_reply(bool(outcome.events))
            self.hub.publish(topic, outcome.no_reply)
            log.info("chat_no_reply", reason=outcome.no_reply["reason"], events=len(outcome.events))
        return outcome

    async def _no_reply(self, events_arrived: bool) -> dict[str, Any]:
        waited = f"{self.timeout_s:g} s"
        if self.rasa_messages and not events_arrived:
            events_service = await serving_status(self.events_channel, HEALTH_TIMEOUT_S)
            if events_service != "SERVING":
                cause = (
                    f"Conversely's event service is not serving (its health is {events_service}): start it "
                    "(`conversely serve events`, or the event-service container) and check its log"
                )
            else:
                cause = (
                    "Rasa has no event broker pointing at Conversely: add the event_broker of GET /api/config to "
                    'Rasa\'s endpoints.yml (README: "Pointing Rasa at Conversely") and restart Rasa'
                )
            return {
                "type": "no_reply",
                "reason": EVENTS_NOT_REACHING_CONVERSELY,
                "message": f"Rasa answered over HTTP ({len(self.rasa_messages)} message(s)) but none of this "
                f"conversation's events reached Conversely within {waited}. {cause}.",
            }
        if events_arrived:
            detail = "this conversation's events reach Conversely, but no `bot` event among them"
        else:
            detail = (
                "no event of this conversation reached Conversely either: if the bot should have answered, check "
                "Rasa's log; if events never show up, check Rasa's event_broker (GET /api/config)"
            )
        return {
            "type": "no_reply",
            "reason": BOT_DID_NOT_ANSWER,
            "message": f"The bot did not answer within {waited}: Rasa answered over HTTP with "
            f"{len(self.rasa_messages)} message(s) and {detail}.",
        }


def run_in_background(request: Request, work: Coroutine[Any, Any, Any]) -> None:
    """Run `work` beyond the request, held by the app (a task nobody holds may be garbage-collected mid-way)."""
    running: set[asyncio.Task[Any]] = request.app.state.reply_watchers
    task = asyncio.create_task(_logged(work))
    running.add(task)
    task.add_done_callback(running.discard)


async def _logged(work: Coroutine[Any, Any, Any]) -> None:
    try:
        await work
    except Exception:  # e.g. storage went away; the chat already has its HTTP answer
        log.exception("reply_watcher_failed")
