"""The double's tracker store and message processor: conversations kept in memory, their new events published.

Like Rasa, every request that changes a conversation saves its tracker once, and saving publishes the events
that are new since the last save, in order (rasa/core/tracker_store.py `stream_events`). One lock serialises
the requests, so a conversation's events reach the sink in the order they were made.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.rasa_double import bot
from tests.rasa_double.behaviour import RasaBehaviour, Recordings
from tests.rasa_double.errors import HTTP_API_HELP_URL, RasaError
from tests.rasa_double.events import Clock, Event, EventFactory, Sink, published
from tests.rasa_double.trackers import applied_events, current_state

KNOWN_EVENTS = frozenset(
    {
        "user",
        "bot",
        "action",
        "slot",
        "entities",
        "user_featurization",
        "cancel_reminder",
        "reminder",
        "action_execution_rejected",
        "form_validation",
        "loop_interrupted",
        "form",
        "active_loop",
        "reset_slots",
        "resume",
        "pause",
        "followup",
        "export",
        "restart",
        "undo",
        "rewind",
        "session_started",
        "agent",
    }
)
REQUIRED_FIELDS = {"slot": ("name", "value"), "entities": ("entities",)}


@dataclass
class Conversations:
    sink: Sink | None
    recordings: Recordings
    clock: Clock = field(default_factory=Clock)
    _events: dict[str, list[Event]] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def exists(self, sender_id: str) -> bool:
        return bool(self._events.get(sender_id))

    def events(self, sender_id: str) -> list[Event]:
        return list(self._events.get(sender_id, []))

    def _factory(self, behaviour: RasaBehaviour) -> EventFactory:
        return EventFactory(behaviour.model_id, behaviour.assistant_id, self.clock)

    async def handle_message(
        self,
        sender_id: str,
        text: str,
        input_channel: str,
        metadata: dict[str, Any] | None,
        behaviour: RasaBehaviour,
    ) -> list[dict[str, Any]]:
        """One user message through NLU and the reply actions; the messages the bot sent back."""
        make = self._factory(behaviour)
        async with self._lock:
            new = [] if self.exists(sender_id) else make.session_start()
            message_id = uuid.uuid4().hex
            parse_data = bot.parse(text, message_id)
            parse_data["metadata"] = dict(metadata or {})
            new += [make.user(text, parse_data, input_channel, message_id), make.user_featurization()]
            steps = bot.reply_to(parse_data["intent"].get("name"))
            messages: list[dict[str, Any]] = []
            for step in steps:
                new += _run(make, sender_id, step, messages)
            listen = bot.listen_after(steps)
            new.append(make.action(listen.action, listen.policy, listen.confidence, listen.hide_rule_turn))
            await self._save(sender_id, new, behaviour)
        return messages

    async def tracker(self, sender_id: str, behaviour: RasaBehaviour) -> dict[str, Any]:
        """The tracker; a new conversation gets a session start that is shown but not saved (as Rasa does)."""
        async with self._lock:
            events = self.events(sender_id) or self._factory(behaviour).session_start()
        return current_state(sender_id, events)

    async def append(self, sender_id: str, body: Any, behaviour: RasaBehaviour) -> dict[str, Any]:
        """`POST /conversations/{id}/tracker/events`: one event or a list, after a session start if the
        conversation is new and the events do not begin with one."""
        posted = _valid_events(body)
        make = self._factory(behaviour)
        async with self._lock:
            new = [] if self.exists(sender_id) or _begins_with_session_start(posted) else make.session_start()
            new += [make.posted(event) for event in posted]
            await self._save(sender_id, new, behaviour)
            return current_state(sender_id, self.events(sender_id))

    async def predict(self, sender_id: str) -> dict[str, Any]:
        """`POST /conversations/{id}/predict`: the scores of every action, the best one first."""
        async with self._lock:
            events = self._existing(sender_id)
        step = bot.next_step(applied_events(events))
        scores = [
            {"action": action, "score": step.confidence if action == step.action else 0.0}
            for action in bot.ACTION_NAMES
        ]
        return {
            "scores": sorted(scores, key=lambda score: (-score["score"], score["action"])),
            "policy": step.policy,
            "confidence": step.confidence,
            "tracker": current_state(sender_id, events),
        }

    async def execute(
        self, sender_id: str, action: str, policy: str | None, confidence: float | None, behaviour: RasaBehaviour
    ) -> dict[str, Any]:
        """`POST /conversations/{id}/execute`: run one action, save and publish its events.

        Like Rasa 3.6.21, the `tracker` answered is the one fetched before the action ran (the server fetches
        the tracker, then the agent fetches its own copy to run the action on), so it lacks the new events.
        """
        if action not in bot.ACTION_NAMES:
            raise RasaError(
                500,
                "ConversationError",
                f"An unexpected error occurred. Error: Cannot access action '{action}', as that name is not a "
                "registered action for this domain.",
            )
        make = self._factory(behaviour)
        messages: list[dict[str, Any]] = []
        async with self._lock:
            before = current_state(sender_id, self._existing(sender_id))
            new = _run(make, sender_id, bot.Step(action, policy or "", confidence or 0.0), messages)
            new[0].update(policy=policy, confidence=confidence)
            await self._save(sender_id, new, behaviour)
        return {"tracker": before, "messages": messages}

    def _existing(self, sender_id: str) -> list[Event]:
        if not self.exists(sender_id):
            raise RasaError(404, "Not found", "Conversation ID not found.")
        return self.events(sender_id)

    async def _save(self, sender_id: str, new: list[Event], behaviour: RasaBehaviour) -> None:
        self._events.setdefault(sender_id, []).extend(new)
        if not new or self.sink is None or not behaviour.chat_publishes_events:
            return
        try:
            await asyncio.to_thread(self.sink, published(sender_id, new))
        except Exception as error:
            # Rasa logs a broker that fails and answers the request anyway.
            self.recordings.publish_errors.append(f"{type(error).__name__}: {error}")


def _run(make: EventFactory, sender_id: str, step: bot.Step, messages: list[dict[str, Any]]) -> list[Event]:
    """The events of one action (and the messages it sends to the user)."""
    events = [make.action(step.action, step.policy, step.confidence, step.hide_rule_turn)]
    if step.action in bot.RESPONSES:
        events.append(make.bot(step.action, bot.RESPONSES[step.action]))
        messages += bot.messages_of(sender_id, step.action)
    elif step.action == "action_default_fallback":
        events += [make.bot("utter_default", bot.RESPONSES["utter_default"]), make.rewind()]
        messages += bot.messages_of(sender_id, "utter_default")
    elif step.action == "action_restart":
        events.append(make.restart())
    return events


def _valid_events(body: Any) -> list[dict[str, Any]]:
    """The posted events Rasa would accept (its EVENTS_SCHEMA, then `Event.from_parameters`, which drops unknown
    types); 400 as Rasa answers otherwise."""
    posted = body if isinstance(body, list) else [body]
    for index, event in enumerate(posted):
        problem = ""
        if not isinstance(event, dict):
            problem = f"{event!r} is not of type 'object'"
        elif not isinstance(event.get("event"), str):
            problem = f"'event' is a required property of event {index}"
        else:
            missing = [key for key in REQUIRED_FIELDS.get(event["event"], ()) if key not in event]
            problem = f"{missing[0]!r} is a required property" if missing else ""
        if problem:
            raise RasaError(
                400,
                "BadRequest",
                "Failed to validate the events format. For more information about the format visit the docs. "
                f"Error: {problem}",
                help_url=HTTP_API_HELP_URL,
            )
    known = [event for event in posted if event["event"] in KNOWN_EVENTS]
    if not known:
        raise RasaError(
            400,
            "BadRequest",
            "Couldn't extract a proper event from the request body.",
            {"parameter": "", "in": "body"},
        )
    return known


def _begins_with_session_start(events: list[dict[str, Any]]) -> bool:
    """`rasa.shared.core.events.do_events_begin_with_session_start`."""
    return (
        len(events) >= 2
        and events[0]["event"] == "action"
        and events[0].get("name") == "action_session_start"
        and events[1]["event"] == "session_started"
    )
