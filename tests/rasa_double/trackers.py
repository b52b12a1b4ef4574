"""A conversation's tracker state computed from its events, as Rasa's `DialogueStateTracker.current_state` gives it
with the default verbosity of the HTTP API (events after the latest restart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.rasa_double.events import Event

# The fixture domain's slot, and the slot Rasa adds to every domain.
DOMAIN_SLOTS = ("city", "session_started_metadata")
RESETTING_EVENTS = {"restart", "session_started"}


def empty_message() -> dict[str, Any]:
    """`UserUttered.empty().parse_data`: the latest message of a tracker no user has written to."""
    return {"intent": {}, "entities": [], "text": None, "message_id": None, "metadata": {}}


@dataclass
class _Replay:
    """The fields of a tracker that events change (`DialogueStateTracker._reset` gives the initial values)."""

    slots: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(DOMAIN_SLOTS))
    latest_message: dict[str, Any] = field(default_factory=empty_message)
    latest_action: dict[str, Any] | None = None
    followup_action: str | None = "action_listen"
    paused: bool = False
    active_loop: dict[str, Any] = field(default_factory=dict)

    def apply(self, event: Event) -> None:
        kind = event["event"]
        if kind == "slot":
            self.slots[str(event.get("name"))] = event.get("value")
        elif kind == "reset_slots":
            self.slots = dict.fromkeys(self.slots)
        elif kind == "user":
            parse_data = event.get("parse_data") or {}
            self.latest_message = {**parse_data, "entities": parse_data.get("entities", [])}
        elif kind == "action":
            name, text = event.get("name"), event.get("action_text")
            self.latest_action = {"action_name": name} if name else {"action_text": text}
            self.followup_action = None
        elif kind == "followup":
            self.followup_action = event.get("name")
        elif kind in {"pause", "resume"}:
            self.paused = kind == "pause"
        elif kind == "active_loop":
            name = event.get("name")
            self.active_loop = (
                {"name": name, "validate": True, "rejected": False, "trigger_message": self.latest_message}
                if name
                else {}
            )


def applied_events(events: list[Event]) -> list[Event]:
    """The events still in effect: a restart or session start clears what came before, `rewind` undoes the latest
    user message (and the action before it), `undo` the latest action (`DialogueStateTracker.applied_events`)."""
    applied: list[Event] = []
    for event in events:
        kind = event["event"]
        if kind in RESETTING_EVENTS:
            applied = []
        elif kind == "undo":
            _undo_until(applied, "action")
        elif kind == "rewind":
            _undo_until(applied, "user")
            _undo_until(applied, "action")
        else:
            applied.append(event)
    return applied


def current_state(sender_id: str, events: list[Event]) -> dict[str, Any]:
    """The tracker as `GET /conversations/{id}/tracker` answers it."""
    replay = _Replay()
    for event in applied_events(events):
        replay.apply(event)
    return {
        "sender_id": sender_id,
        "slots": replay.slots,
        "latest_message": replay.latest_message,
        "latest_event_time": events[-1]["timestamp"] if events else None,
        "followup_action": replay.followup_action,
        "paused": replay.paused,
        "events": events_after_latest_restart(events),
        "latest_input_channel": latest_input_channel(events),
        "active_loop": replay.active_loop,
        "latest_action": replay.latest_action,
        "latest_action_name": (replay.latest_action or {}).get("action_name"),
    }


def events_after_latest_restart(events: list[Event]) -> list[Event]:
    restarts = [index for index, event in enumerate(events) if event["event"] == "restart"]
    return list(events[restarts[-1] + 1 :] if restarts else events)


def latest_input_channel(events: list[Event]) -> str | None:
    for event in reversed(events):
        if event["event"] == "user":
            channel = event.get("input_channel")
            return channel if isinstance(channel, str) else None
    return None


def latest_intent(events: list[Event]) -> str | None:
    """The intent of the latest user message still in effect."""
    for event in reversed(applied_events(events)):
        if event["event"] == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            return name if isinstance(name, str) else None
    return None


def _undo_until(applied: list[Event], kind: str) -> None:
    while applied:
        if applied.pop()["event"] == kind:
            return
