"""The Rasa event wire contract: what is accepted, what is rejected and why, and event identity."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conversely.rasa_events import InvalidEvent, parse_event


def test_every_fixture_event_parses_with_its_text_kept(broker_messages: list[dict[str, Any]]) -> None:
    for message in broker_messages:
        raw = json.dumps(message["body"])
        event = parse_event(raw.encode())
        assert event.json == raw
        assert event.sender_id == message["body"]["sender_id"]
        assert event.type_name == message["body"]["event"]


def test_user_event_projects_intent_and_channel(broker_messages: list[dict[str, Any]]) -> None:
    body = next(m["body"] for m in broker_messages if m["body"]["event"] == "user")
    event = parse_event(json.dumps(body))
    assert event.intent_name == body["parse_data"]["intent"]["name"]
    assert event.input_channel == body["input_channel"]
    assert event.is_user_message


def test_action_event_projects_its_name() -> None:
    event = parse_event('{"sender_id": "s", "event": "action", "timestamp": 1, "name": "utter_greet"}')
    assert (event.action_name, event.intent_name) == ("utter_greet", None)


def test_unknown_event_types_are_kept() -> None:
    assert (
        parse_event('{"sender_id": "s", "event": "from_rasa_4", "timestamp": 1, "x": [1]}').type_name == "from_rasa_4"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not UTF-8"),
        ("{not json", "not JSON"),
        ('{"sender_id": "s", "event": "user", "timestamp": NaN}', "not JSON: NaN"),
        ("[1, 2]", "not a JSON object but list"),
        ('{"event": "user", "timestamp": 1}', "sender_id must be a non-empty string, got missing"),
        ('{"sender_id": 7, "event": "user", "timestamp": 1}', "sender_id must be a non-empty string, got int"),
        ('{"sender_id": "s", "timestamp": 1}', "event must be a non-empty string"),
        ('{"sender_id": "s", "event": "user"}', "timestamp must be a finite number, got missing"),
        ('{"sender_id": "s", "event": "user", "timestamp": "now"}', "timestamp must be a finite number, got str"),
        ('{"sender_id": "s", "event": "user", "timestamp": true}', "timestamp must be a finite number, got bool"),
        ('{"sender_id": "s", "event": "user", "timestamp": 1, "parse_data": 3}', "parse_data must be an object"),
        ('{"sender_id": "s", "event": "action", "timestamp": 1, "name": 3}', "name must be a string or null"),
    ],
)
def test_invalid_events_are_rejected_with_the_reason(raw: str | bytes, reason: str) -> None:
    with pytest.raises(InvalidEvent, match=reason):
        parse_event(raw)


def test_sender_beside_the_body_must_match_it() -> None:
    with pytest.raises(InvalidEvent, match="differs"):
        parse_event('{"sender_id": "a", "event": "user", "timestamp": 1}', sender_id="b")
    assert parse_event('{"event": "user", "timestamp": 1}', sender_id="b").sender_id == "b"


def test_same_content_is_the_same_event_whatever_the_formatting() -> None:
    compact = parse_event('{"sender_id":"s","event":"user","timestamp":1.5,"text":"hi"}')
    spaced = parse_event('{"text": "hi", "timestamp": 1.5, "event": "user", "sender_id": "s"}')
    assert compact.key == spaced.key


def test_events_differing_only_in_content_are_different_events() -> None:
    first = parse_event('{"sender_id": "s", "event": "slot", "timestamp": 1.5, "name": "a", "value": 1}')
    second = parse_event('{"sender_id": "s", "event": "slot", "timestamp": 1.5, "name": "a", "value": 2}')
    other_sender = parse_event('{"sender_id": "t", "event": "slot", "timestamp": 1.5, "name": "a", "value": 1}')
    assert len({first.key, second.key, other_sender.key}) == 3


def test_a_nul_in_the_sender_id_is_refused_and_elsewhere_replaced_in_the_columns_only() -> None:
    with pytest.raises(InvalidEvent, match="NUL"):
        parse_event('{"sender_id": "a\\u0000b", "event": "bot", "timestamp": 1}')
    raw = (
        '{"sender_id": "a", "event": "user", "timestamp": 1, "text": "x\\u0000y",'
        ' "parse_data": {"intent": {"name": "i\\u0000"}}}'
    )
    event = parse_event(raw)
    assert event.json == raw
    assert (event.text, event.intent_name) == ("x\ufffdy", "i\ufffd")
