"""InboxService through real gRPC, on SQLite and on PostgreSQL: the NLU inbox list, lookups, additions, deletions."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import grpc
import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import inbox_pb2, inbox_pb2_grpc
from storage_service.models import MessageLog
from tests.storage import append, event
from tests.storage_server import rejected


@pytest.fixture
def inbox(storage_channel: grpc.Channel) -> inbox_pb2_grpc.InboxServiceStub:
    return inbox_pb2_grpc.InboxServiceStub(storage_channel)


def parse_result(text: str, intent: str | None, confidence: float | None) -> str:
    return json.dumps({"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []})


def add(
    inbox: inbox_pb2_grpc.InboxServiceStub,
    text: str,
    intent: str | None = "greet",
    confidence: float | None = 0.5,
    at: float = 100.0,
    model: str = "",
) -> inbox_pb2.InboxMessage:
    request = inbox_pb2.AddInboxMessageRequest(
        text=text, user_input_json=parse_result(text, intent, confidence), time=at, model=model
    )
    return inbox.AddInboxMessage(request).message


def listed(inbox: inbox_pb2_grpc.InboxServiceStub, **fields: Any) -> list[str]:
    return [m.text for m in inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest(**fields)).messages]


def test_added_message_is_stored_with_its_prediction_and_found_by_id_and_hash(
    inbox: inbox_pb2_grpc.InboxServiceStub,
) -> None:
    before = time.time()
    request = inbox_pb2.AddInboxMessageRequest(
        text="Hello there", user_input_json=parse_result("Hello there", "greet", 0.75), model="20240101-000000"
    )
    added = inbox.AddInboxMessage(request).message
    assert before <= added.time <= time.time()
    assert added.hash == hashlib.md5(b"Hello there").hexdigest()
    assert (added.text, added.intent, added.confidence, added.model) == (
        "Hello there",
        "greet",
        0.75,
        "20240101-000000",
    )
    assert (added.conversation_id, added.event_id) == ("", 0)
    assert json.loads(added.user_input_json)["intent"] == {"name": "greet", "confidence": 0.75}

    assert inbox.GetInboxMessage(inbox_pb2.GetInboxMessageRequest(id=added.id)).message == added
    assert inbox.GetInboxMessage(inbox_pb2.GetInboxMessageRequest(hash=added.hash)).message == added


def test_adding_the_same_text_again_replaces_the_prediction(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    first = add(inbox, "hi", "greet", 0.4, at=10.0, model="old")
    second = add(inbox, "hi", "hello", 0.9, at=20.0)
    assert second.id == first.id
    assert (second.intent, second.confidence, second.time, second.model) == ("hello", 0.9, 20.0, "")
    response = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest())
    assert (list(response.messages), response.total_count) == ([second], 1)


@pytest.mark.parametrize("user_input_json", ["", "{}", '{"text": "hi"}', '{"intent": null}'])
def test_unparsed_message_has_no_intent_and_no_confidence(
    inbox: inbox_pb2_grpc.InboxServiceStub, user_input_json: str
) -> None:
    added = inbox.AddInboxMessage(inbox_pb2.AddInboxMessageRequest(text="hi", user_input_json=user_input_json)).message
    assert added.intent == ""
    assert not added.HasField("confidence")
    assert json.loads(added.user_input_json) == json.loads(user_input_json or "{}")


@pytest.mark.parametrize(
    ("text", "user_input_json", "reason"),
    [
        ("", "{}", "text"),
        ("   ", "{}", "text"),
        ("hi", "{not json", "not JSON"),
        ("hi", "[1, 2]", "JSON object"),
        ("hi", '"hi"', "JSON object"),
        ("hi", '{"intent": "greet"}', "intent"),
        ("hi", '{"intent": {"name": 3}}', "intent.name"),
        ("hi", '{"intent": {"name": "greet", "confidence": "high"}}', "intent.confidence"),
        ("hi", '{"intent": {"name": "greet", "confidence": NaN}}', "NaN"),
    ],
)
def test_bad_message_is_rejected_with_the_reason_and_not_stored(
    inbox: inbox_pb2_grpc.InboxServiceStub, text: str, user_input_json: str, reason: str
) -> None:
    request = inbox_pb2.AddInboxMessageRequest(text=text, user_input_json=user_input_json)
    assert reason in rejected(inbox.AddInboxMessage, request, grpc.StatusCode.INVALID_ARGUMENT)
    assert inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest()).total_count == 0


def test_get_needs_an_id_or_a_hash_that_exists(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    rejected(inbox.GetInboxMessage, inbox_pb2.GetInboxMessageRequest(), grpc.StatusCode.INVALID_ARGUMENT)
    assert "42" in rejected(inbox.GetInboxMessage, inbox_pb2.GetInboxMessageRequest(id=42), grpc.StatusCode.NOT_FOUND)
    missing = inbox_pb2.GetInboxMessageRequest(hash=hashlib.md5(b"never").hexdigest())
    rejected(inbox.GetInboxMessage, missing, grpc.StatusCode.NOT_FOUND)


def test_deleted_message_leaves_the_inbox(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    kept, gone = add(inbox, "keep me"), add(inbox, "delete me")
    assert listed(inbox) == ["delete me", "keep me"]  # also caches the list, which the delete must invalidate
    request = inbox_pb2.DeleteInboxMessageRequest(id=gone.id)
    inbox.DeleteInboxMessage(request)
    assert listed(inbox) == ["keep me"]
    assert str(gone.id) in rejected(inbox.DeleteInboxMessage, request, grpc.StatusCode.NOT_FOUND)
    assert inbox.GetInboxMessage(inbox_pb2.GetInboxMessageRequest(id=kept.id)).message == kept


def test_list_shows_an_addition_made_after_the_same_list_was_cached(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    add(inbox, "first")
    assert listed(inbox) == ["first"]
    add(inbox, "second")
    assert listed(inbox) == ["second", "first"]


def test_user_messages_of_conversations_arrive_in_the_inbox(
    inbox: inbox_pb2_grpc.InboxServiceStub, sessions: sessionmaker[Session]
) -> None:
    parse_data = {"intent": {"name": "greet", "confidence": 0.8}, "entities": []}
    append(sessions, [event("a", "user", 7.0, text="hey", parse_data=parse_data), event("a", "bot", 8.0, text="yo")])
    (message,) = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest()).messages
    assert (message.text, message.intent, message.confidence, message.conversation_id) == ("hey", "greet", 0.8, "a")
    assert message.event_id > 0 and message.time == 7.0


def test_default_list_is_newest_id_first_twenty_at_a_time_with_the_total(
    inbox: inbox_pb2_grpc.InboxServiceStub,
) -> None:
    for number in range(25):
        add(inbox, f"message {number:02}")
    response = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest())
    assert [m.text for m in response.messages] == [f"message {n:02}" for n in range(24, 4, -1)]
    assert response.total_count == 25
    page = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest(limit=3, offset=21, ascending=True))
    assert [m.text for m in page.messages] == ["message 21", "message 22", "message 23"]
    assert page.total_count == 25


def test_list_pages_are_at_most_a_thousand(
    inbox: inbox_pb2_grpc.InboxServiceStub, sessions: sessionmaker[Session]
) -> None:
    rows = [
        {"hash": f"{n:032x}", "text": f"t{n}", "user_input": "{}", "conversation_id": "", "event_id": 0, "time": 1.0}
        for n in range(1001)
    ]
    with sessions.begin() as session:
        session.execute(insert(MessageLog), rows)
    response = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest(limit=5000))
    assert (len(response.messages), response.total_count) == (1000, 1001)


@pytest.mark.parametrize("field", ["limit", "offset"])
def test_negative_page_bounds_are_rejected(inbox: inbox_pb2_grpc.InboxServiceStub, field: str) -> None:
    bounds: dict[str, Any] = {field: -1}
    request = inbox_pb2.ListInboxMessagesRequest(**bounds)
    assert field in rejected(inbox.ListInboxMessages, request, grpc.StatusCode.INVALID_ARGUMENT)


def test_query_is_a_case_insensitive_substring_with_wildcards_taken_literally(
    inbox: inbox_pb2_grpc.InboxServiceStub,
) -> None:
    for text in ["100% SURE", "1000 sure", "snake_case", "snakeXcase", "back\\slash", "backslash", "Hello World"]:
        add(inbox, text)
    assert listed(inbox, query="hello") == ["Hello World"]
    assert listed(inbox, query="WORLD") == ["Hello World"]
    assert listed(inbox, query="0% s") == ["100% SURE"]
    assert listed(inbox, query="%") == ["100% SURE"]
    assert listed(inbox, query="e_c") == ["snake_case"]
    assert listed(inbox, query="_") == ["snake_case"]
    assert listed(inbox, query="k\\s") == ["back\\slash"]
    assert listed(inbox, query="\\") == ["back\\slash"]
    response = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest(query="S", limit=1))
    assert response.total_count == 6


def test_query_folds_case_beyond_ascii_on_both_databases(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    add(inbox, "ÜBER den Fluß")
    assert listed(inbox, query="über") == ["ÜBER den Fluß"]


def test_intents_filter_matches_any_of_them(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    add(inbox, "hi", "greet")
    add(inbox, "bye", "goodbye")
    add(inbox, "yes", "affirm")
    add(inbox, "unparsed", None, None)
    assert listed(inbox, intents=["greet", "affirm"]) == ["yes", "hi"]
    assert listed(inbox, intents=["greet"], query="h") == ["hi"]
    assert listed(inbox, intents=["nothing"]) == []


def test_confidence_order_puts_unparsed_messages_last_either_way_and_breaks_ties_by_id(
    inbox: inbox_pb2_grpc.InboxServiceStub,
) -> None:
    add(inbox, "none-1", None, None)
    add(inbox, "low", "greet", 0.2)
    add(inbox, "tie-1", "greet", 0.6)
    add(inbox, "high", "greet", 0.9)
    add(inbox, "none-2", None, None)
    add(inbox, "tie-2", "greet", 0.6)
    order = inbox_pb2.INBOX_ORDER_CONFIDENCE
    assert listed(inbox, order=order) == ["high", "tie-2", "tie-1", "low", "none-2", "none-1"]
    assert listed(inbox, order=order, ascending=True) == ["low", "tie-1", "tie-2", "high", "none-1", "none-2"]


def test_time_order_in_both_directions(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    add(inbox, "middle", at=20.0)
    add(inbox, "late", at=30.0)
    add(inbox, "early", at=10.0)
    assert listed(inbox, order=inbox_pb2.INBOX_ORDER_TIME) == ["late", "middle", "early"]
    assert listed(inbox, order=inbox_pb2.INBOX_ORDER_TIME, ascending=True) == ["early", "middle", "late"]
    assert listed(inbox, order=inbox_pb2.INBOX_ORDER_ID, ascending=True) == ["middle", "late", "early"]


def test_exclude_training_data_is_accepted(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    add(inbox, "hi")
    assert listed(inbox, exclude_training_data=True) == ["hi"]


def test_unknown_order_is_rejected(inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    request = inbox_pb2.ListInboxMessagesRequest(order=99)  # type: ignore[arg-type]
    rejected(inbox.ListInboxMessages, request, grpc.StatusCode.INVALID_ARGUMENT)


def test_text_the_database_cannot_hold_is_an_invalid_argument_not_a_crash(
    inbox: inbox_pb2_grpc.InboxServiceStub, sessions: sessionmaker[Session]
) -> None:
    request = inbox_pb2.AddInboxMessageRequest(text="nul\x00byte", user_input_json="{}")
    if sessions.kw["bind"].dialect.name == "postgresql":  # PostgreSQL text cannot hold NUL; SQLite's can
        assert "NUL" in rejected(inbox.AddInboxMessage, request, grpc.StatusCode.INVALID_ARGUMENT)
        rejected(
            inbox.ListInboxMessages, inbox_pb2.ListInboxMessagesRequest(query="\x00"), grpc.StatusCode.INVALID_ARGUMENT
        )
    else:
        assert inbox.AddInboxMessage(request).message.text == "nul\x00byte"
