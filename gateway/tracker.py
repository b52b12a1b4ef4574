"""A conversation's tracker state, derived from its events the way Rasa applies them.

The shape is Rasa's `tracker.current_state()` (what Rasa X's `GET /conversations/{id}/tracker` returned):
events are returned exactly as stored; slots, latest message, pause state and the active loop are replayed.
`undo` reverts to before the latest bot action, `rewind` to before the latest user message, `restart` and
`session_started` reset the conversation state (not the history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]


@dataclass
class _State:
    slots: dict[str, Any] = field(default_factory=dict)
    latest_message: dict[str, Any] = field(default_factory=dict)
    latest_action_name: str | None = None
    latest_input_channel: str | None = None
    followup_action: str | None = None
    paused: bool = False
    active_loop: dict[str, Any] = field(default_factory=dict)


def tracker_state(sender_id: str, events: list[Event]) -> dict[str, Any]:
    state = _replay(events)
    return {
        "sender_id": sender_id,
        "slots": state.slots,
        "latest_message": state.latest_message,
        "latest_event_time": max((e.get("timestamp", 0.0) for e in events), default=None),
        "followup_action": state.followup_action,
        "paused": state.paused,
        "events": events,
        "latest_input_channel": state.latest_input_channel,
        "active_loop": state.active_loop,
        "latest_action_name": state.latest_action_name,
    }


def _replay(events: list[Event]) -> _State:
    applied: list[Event] = []
    for event in events:
        kind = event.get("event")
        if kind == "undo":
            applied = _before_last(applied, "action")
        elif kind == "rewind":
            applied = _before_last(applied, "user")
        else:
            applied.append(event)
    state = _State()
    for event in applied:
        _apply(state, event)
    return state


def _before_last(applied: list[Event], kind: str) -> list[Event]:
    for index in range(len(applied) - 1, -1, -1):
        if applied[index].get("event") == kind:
            return applied[:index]
    return applied


def _apply(state: _State, event: Event) -> None:
    kind = event.get("event")
    if kind == "slot" and isinstance(event.get("name"), str):
        state.slots[event["name"]] = event.get("value")
    elif kind == "reset_slots":
        state.slots = dict.fromkeys(state.slots)
    elif kind in {"restart", "session_started"}:
        # As Rasa's tracker reset: slots carried over to a new session come back as `slot` events after it.
        state.__dict__.update(_State(latest_input_channel=state.latest_input_channel).__dict__)
    elif kind == "user":
        parse_data = event.get("parse_data") or {}
        state.latest_message = {**parse_data, "text": event.get("text")}
        state.latest_input_channel = event.get("input_channel")
    elif kind == "action":
        state.latest_action_name = event.get("name")
        state.followup_action = None
    elif kind == "followup":
        state.followup_action = event.get("name")
    elif kind == "pause":
        state.paused = True
    elif kind == "resume":
        state.paused = False
    elif kind == "active_loop":
        name = event.get("name")
        state.active_loop = {"name": name} if name else {}
