"""Interactive learning: conversations the caller creates, and predict, execute and events proxied to Rasa."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.integration.test_chat_api import ChatStack, chat_stack

GREET = {"event": "user", "text": "hello", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}}


@pytest.fixture
def chat(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[ChatStack]:
    with chat_stack(sqlite_sessions, tmp_path) as stack:
        yield stack


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [event["event"] if event["event"] != "action" else event["name"] for event in events]


def conversations(chat: ChatStack) -> dict[str, dict[str, Any]]:
    return {c["sender_id"]: c for c in chat.admin.get("/api/conversations").json()}


def test_a_new_interactive_conversation_is_the_callers_and_open_in_rasa(chat: ChatStack) -> None:
    created = chat.admin.post("/api/conversations")

    assert created.status_code == 201, created.text
    body = created.json()
    sender = body["sender_id"]
    assert len(sender) == 32
    assert (body["interactive"], body["created_by"]) == (True, "admin")
    assert kinds(body["events"]) == ["action_session_start", "session_started", "action_listen"]
    assert kinds(chat.rasa.events(sender)) == kinds(body["events"])
    stored = conversations(chat)[sender]
    assert (stored["interactive"], stored["created_by"], stored["number_of_events"]) == (True, "admin", 3)

    named = chat.admin.post("/api/conversations", json={"sender_id": "il-demo"})
    assert named.status_code == 201, named.text
    assert named.json()["sender_id"] == "il-demo"
    again = chat.admin.post("/api/conversations", json={"sender_id": "il-demo"})
    assert again.status_code == 409
    assert again.json()["reason"] == "ConversationExists"


def test_predict_execute_and_events_are_rasas_answers(chat: ChatStack) -> None:
    assert chat.admin.post("/api/conversations", json={"sender_id": "il-1"}).status_code == 201

    appended = chat.admin.post("/api/conversations/il-1/events", json=GREET)
    assert appended.status_code == 200, appended.text
    assert kinds(appended.json()["events"])[-1] == "user"
    predicted = chat.admin.post("/api/conversations/il-1/predict")
    assert predicted.status_code == 200, predicted.text
    assert predicted.json()["scores"][0] == {"action": "utter_greet", "score": 1.0}
    assert predicted.json()["policy"] == "MemoizationPolicy"
    executed = chat.admin.post(
        "/api/conversations/il-1/execute", json={"name": "utter_greet", "policy": "MemoizationPolicy", "confidence": 1}
    )
    assert executed.status_code == 200, executed.text
    assert executed.json()["messages"] == [{"recipient_id": "il-1", "text": "Hey! How are you?"}]
    listed = chat.admin.post(
        "/api/conversations/il-1/events",
        json=[{"event": "action", "name": "action_listen"}, {"event": "slot", "name": "mood", "value": "great"}],
    )
    assert listed.status_code == 200, listed.text

    assert kinds(chat.rasa.events("il-1"))[3:] == ["user", "utter_greet", "bot", "action_listen", "slot"]
    executed_event = chat.rasa.events("il-1")[4]
    assert (executed_event["policy"], executed_event["confidence"]) == ("MemoizationPolicy", 1)
    # Rasa's events reached Conversely through the broker.
    messages = chat.admin.get("/api/conversations/il-1/messages").json()["messages"]
    assert [(m["type"], m.get("text")) for m in messages] == [("user", "hello"), ("bot", "Hey! How are you?")]


@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("execute", {}, "name"),
        ("execute", {"name": " "}, "name"),
        ("execute", {"name": "utter_greet", "policy": 3}, "policy"),
        ("execute", {"name": "utter_greet", "confidence": 2}, "confidence"),
        ("execute", {"name": "utter_greet", "confidence": True}, "confidence"),
        ("events", [], "event"),
        ("events", [{"text": "no type"}], "event 0"),
        ("events", [GREET, "user"], "event 1"),
        ("events", {"event": "user", "timestamp": "now"}, "timestamp"),
    ],
)
def test_a_bad_interactive_body_is_a_400_naming_the_field(
    chat: ChatStack, endpoint: str, body: Any, field: str
) -> None:
    assert chat.admin.post("/api/conversations", json={"sender_id": "il-2"}).status_code == 201

    answer = chat.admin.post(f"/api/conversations/il-2/{endpoint}", json=body)

    assert answer.status_code == 400, answer.text
    assert field in answer.json()["message"]
    assert kinds(chat.rasa.events("il-2")) == ["action_session_start", "session_started", "action_listen"]


@pytest.mark.parametrize(
    "body", [{"sender_id": 5}, {"sender_id": " "}, {"sender_id": "x" * 256}, {"sender_id": "new\nline"}, [1]]
)
def test_a_bad_new_conversation_is_a_400(chat: ChatStack, body: Any) -> None:
    answer = chat.admin.post("/api/conversations", json=body)

    assert answer.status_code == 400, answer.text
    assert conversations(chat) == {}


def test_a_caller_drives_only_conversations_they_may_open(chat: ChatStack) -> None:
    assert chat.admin.post("/api/conversations", json={"sender_id": "il-admin"}).status_code == 201
    tester = chat.user("tester")

    assert tester.post("/api/conversations/il-admin/predict").status_code == 403
    assert tester.post("/api/conversations/il-admin/events", json=GREET).status_code == 403
    assert tester.post("/api/conversations/il-admin/execute", json={"name": "utter_greet"}).status_code == 403
    assert tester.post("/api/conversations", json={"sender_id": "il-tester"}).status_code == 201
    assert tester.post("/api/conversations/il-tester/predict").status_code == 200
    assert chat.admin.post("/api/conversations/il-tester/predict").status_code == 200, "admins may open any"
    assert chat.admin.post("/api/conversations/nobody/predict").status_code == 404
    assert kinds(chat.rasa.events("il-admin")) == ["action_session_start", "session_started", "action_listen"]


def test_rasas_refusal_is_a_502_with_rasas_reason(chat: ChatStack) -> None:
    assert chat.admin.post("/api/conversations", json={"sender_id": "il-3"}).status_code == 201

    answer = chat.admin.post("/api/conversations/il-3/execute", json={"name": "utter_nothing_like_it"})

    assert answer.status_code == 502, answer.text
    assert answer.json()["reason"] == "RasaRefused"
    assert "utter_nothing_like_it" in answer.json()["message"]
    no_server = chat.admin.post("/api/conversations/il-3/predict?environment=worker")
    assert no_server.status_code == 409
    assert no_server.json()["reason"] == "NoRasaServer"
