"""Tracker state replayed from events as Rasa applies them."""

from __future__ import annotations

from typing import Any

from gateway.tracker import tracker_state


def ev(kind: str, ts: float, **fields: Any) -> dict[str, Any]:
    return {"event": kind, "timestamp": ts, **fields}


def test_fixture_conversations_replay(expected_events_by_sender: dict[str, list[dict[str, Any]]]) -> None:
    for sender, events in expected_events_by_sender.items():
        state = tracker_state(sender, events)
        assert state["events"] == events
        assert state["latest_event_time"] == max(e["timestamp"] for e in events)


def test_slots_latest_message_and_channel() -> None:
    state = tracker_state(
        "s",
        [
            ev("user", 1, text="hi", input_channel="rest", parse_data={"intent": {"name": "greet"}}),
            ev("slot", 2, name="city", value="Berlin"),
            ev("action", 3, name="utter_greet"),
        ],
    )
    assert state["slots"] == {"city": "Berlin"}
    assert state["latest_message"] == {"intent": {"name": "greet"}, "text": "hi"}
    assert state["latest_input_channel"] == "rest"
    assert state["latest_action_name"] == "utter_greet"


def test_rewind_reverts_to_before_the_latest_user_message() -> None:
    state = tracker_state(
        "s",
        [
            ev("user", 1, text="first"),
            ev("slot", 2, name="a", value=1),
            ev("user", 3, text="second"),
            ev("slot", 4, name="a", value=2),
            ev("rewind", 5),
        ],
    )
    assert state["latest_message"]["text"] == "first"
    assert state["slots"] == {"a": 1}


def test_undo_reverts_to_before_the_latest_action() -> None:
    state = tracker_state("s", [ev("action", 1, name="one"), ev("action", 2, name="two"), ev("undo", 3)])
    assert state["latest_action_name"] == "one"


def test_pause_resume_restart_and_loops() -> None:
    events = [ev("slot", 1, name="a", value=1), ev("active_loop", 2, name="form"), ev("pause", 3)]
    paused = tracker_state("s", events)
    assert paused["paused"] is True
    assert paused["active_loop"] == {"name": "form"}
    resumed = tracker_state("s", [*events, ev("resume", 4), ev("active_loop", 5, name=None)])
    assert (resumed["paused"], resumed["active_loop"]) == (False, {})
    restarted = tracker_state("s", [*events, ev("restart", 6)])
    assert (restarted["slots"], restarted["paused"], restarted["active_loop"]) == ({}, False, {})


def test_reset_slots_keeps_names_with_no_values() -> None:
    state = tracker_state("s", [ev("slot", 1, name="a", value=1), ev("reset_slots", 2)])
    assert state["slots"] == {"a": None}


def test_followup_is_cleared_by_the_next_action() -> None:
    assert tracker_state("s", [ev("followup", 1, name="x")])["followup_action"] == "x"
    assert tracker_state("s", [ev("followup", 1, name="x"), ev("action", 2, name="x")])["followup_action"] is None
