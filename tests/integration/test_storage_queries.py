"""storage_service's queries against real SQLite and real PostgreSQL, schema made by the real migrations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from conversely.rasa_events import parse_event
from storage_service.models import ConversationEvent, MessageLog
from storage_service.queries import conversations, events
from tests.storage import append, event, user


def stored_events(sessions: sessionmaker[Session], sender: str) -> list[dict[str, Any]]:
    with sessions() as session:
        return [json.loads(e.json) for e in conversations.list_events(session, sender, offset=0, limit=1000)]


def summary(sessions: sessionmaker[Session], sender: str) -> conversations.ConversationSummary:
    with sessions() as session:
        return conversations.get_conversation(session, sender)


def test_events_come_back_in_timestamp_order_whatever_the_arrival_order(
    sessions: sessionmaker[Session], expected_events_by_sender: dict[str, list[dict[str, Any]]]
) -> None:
    erin = expected_events_by_sender["erin"]
    arrival_order = sorted(erin, key=lambda e: e["timestamp"], reverse=True)
    for body in arrival_order:
        append(sessions, [body])
    assert stored_events(sessions, "erin") == erin


def test_event_json_is_kept_byte_for_byte(sessions: sessionmaker[Session]) -> None:
    raw = '{"sender_id": "s", "event": "bot", "timestamp": 1795478705.6887054, "text": "ünï", "data": {"x": 1.50}}'
    with sessions.begin() as session:
        events.append_events(session, [(parse_event(raw), "production")])
    with sessions() as session:
        assert conversations.list_events(session, "s", 0, 10)[0].json == raw


def test_redelivered_batch_is_stored_once(sessions: sessionmaker[Session]) -> None:
    batch = [event("a", "action", 1.0, name="action_listen"), user("a", 2.0)]
    assert append(sessions, batch) == events.AppendResult(stored=2, duplicates=0)
    assert append(sessions, batch) == events.AppendResult(stored=0, duplicates=2)
    assert len(stored_events(sessions, "a")) == 2
    assert summary(sessions, "a").conversation.number_user_messages == 1


def test_same_event_twice_in_one_batch_is_stored_once(sessions: sessionmaker[Session]) -> None:
    assert append(sessions, [user("a", 1.0), user("a", 1.0)]) == events.AppendResult(stored=1, duplicates=1)


def test_distinct_events_with_same_sender_type_and_timestamp_are_both_stored(sessions: sessionmaker[Session]) -> None:
    result = append(sessions, [event("a", "slot", 5.0, name="x", value=1), event("a", "slot", 5.0, name="y", value=2)])
    assert result.stored == 2
    assert [e["name"] for e in stored_events(sessions, "a")] == ["x", "y"]


def test_conversation_summary_aggregates_every_batch(sessions: sessionmaker[Session]) -> None:
    append(sessions, [event("a", "action", 1.0, name="action_session_start"), user("a", 2.0, intent="greet")])
    append(sessions, [user("a", 3.0, intent="affirm", channel="socketio"), event("a", "bot", 4.0, text="ok")])
    found = summary(sessions, "a")
    assert found.conversation.number_user_messages == 2
    assert found.conversation.number_events == 4
    assert found.conversation.latest_event_time == 4.0
    assert found.conversation.latest_input_channel == "socketio"
    assert found.values("intent") == ["affirm", "greet"]
    assert found.values("action") == ["action_session_start"]


def test_latest_input_channel_is_the_latest_user_messages_even_when_it_arrived_first(
    sessions: sessionmaker[Session],
) -> None:
    append(sessions, [user("a", 10.0, channel="socketio")])
    append(sessions, [user("a", 5.0, channel="rest")])
    found = summary(sessions, "a").conversation
    assert (found.latest_input_channel, found.latest_event_time) == ("socketio", 10.0)


def test_list_is_newest_first_with_total(sessions: sessionmaker[Session]) -> None:
    append(sessions, [user("old", 1.0), user("new", 3.0), user("middle", 2.0)])
    with sessions() as session:
        page, total = conversations.list_conversations(session, limit=2, offset=0)
        rest, _ = conversations.list_conversations(session, limit=2, offset=2)
    assert total == 3
    assert [s.conversation.sender_id for s in page + rest] == ["new", "middle", "old"]


def test_checkpoint_is_stored_with_its_events(sessions: sessionmaker[Session]) -> None:
    append(sessions, [user("a", 1.0)], checkpoint=("sql-broker:events", 7))
    append(sessions, [], checkpoint=("sql-broker:events", 9))
    with sessions() as session:
        assert events.read_checkpoint(session, "sql-broker:events") == 9
        assert events.read_checkpoint(session, "never-seen") == 0


def test_unknown_conversation_is_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, pytest.raises(conversations.ConversationNotFound):
        conversations.list_events(session, "nobody", 0, 10)


def test_confidences_policies_entities_slots_and_environments_are_aggregated(sessions: sessionmaker[Session]) -> None:
    first = user("a", 1.0, intent="book")
    first["parse_data"]["intent"]["confidence"] = 0.4
    first["parse_data"]["entities"] = [{"entity": "city", "value": "Berlin"}]
    append(sessions, [first, event("a", "action", 2.0, name="utter_ok", policy="RulePolicy", confidence=0.9)])
    second = user("a", 3.0, intent="affirm")
    second["parse_data"]["intent"]["confidence"] = 0.8
    append(
        sessions,
        [
            second,
            event("a", "action", 4.0, name="action_listen", policy="TEDPolicy", confidence=0.3),
            event("a", "action", 4.5, name="action_listen", policy=None, confidence=None),
            event("a", "slot", 5.0, name="people", value=2),
            event("a", "entities", 6.0, entities=[{"entity": "date", "value": "today"}]),
        ],
        environment="worker",
    )
    found = summary(sessions, "a")
    row = found.conversation
    assert (row.minimum_action_confidence, row.maximum_action_confidence) == (0.3, 0.9)
    assert (row.minimum_intent_confidence, row.maximum_intent_confidence) == (0.4, 0.8)
    assert found.values("policy") == ["RulePolicy", "TEDPolicy"]
    assert found.values("entity") == ["city", "date"]
    assert found.values("slot") == ["people:2"]
    assert found.values("environment") == ["production", "worker"]


def test_confidence_stays_unknown_until_an_event_carries_one(sessions: sessionmaker[Session]) -> None:
    append(sessions, [event("a", "action", 1.0, name="action_listen", confidence=None)])
    row = summary(sessions, "a").conversation
    assert (row.minimum_action_confidence, row.minimum_intent_confidence) == (None, None)


def test_flagged_message_marks_the_conversation(sessions: sessionmaker[Session]) -> None:
    append(sessions, [user("a", 1.0)])
    assert summary(sessions, "a").conversation.has_flagged_messages is False
    append(sessions, [event("a", "bot", 2.0, text="?", metadata={"rasa_x_flagged": True})])
    append(sessions, [event("a", "bot", 3.0, text="ok")])
    assert summary(sessions, "a").conversation.has_flagged_messages is True


def test_user_messages_land_in_the_nlu_inbox_once_per_text(sessions: sessionmaker[Session]) -> None:
    earlier = user("a", 1.0, intent="greet", text="hello there")
    later = user("b", 5.0, intent="affirm", text="hello there")
    append(sessions, [later])
    append(sessions, [earlier, user("a", 2.0, text="bye")])
    with sessions() as session:
        rows = {row.text: row for row in session.scalars(select(MessageLog))}
    assert set(rows) == {"hello there", "bye"}
    kept = rows["hello there"]
    assert (kept.conversation_id, kept.intent, kept.time) == ("b", "affirm", 5.0)
    assert kept.hash == events.text_hash("hello there")
    assert json.loads(kept.user_input)["text"] == "hello there"
    with sessions() as session:
        stored = session.get(ConversationEvent, kept.event_id)
    assert stored is not None and json.loads(stored.data)["sender_id"] == "b"
