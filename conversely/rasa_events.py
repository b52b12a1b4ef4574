"""The contract of a Rasa event on the wire (as Rasa's pika, SQL and Kafka event brokers publish it).

One parser for every service: event_service uses it to dead-letter what can never be stored, storage_service to
project the columns its queries need. The JSON text itself is kept exactly as received.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any


class InvalidEvent(ValueError):
    """The message is not a Rasa event Conversely can store; the text says why."""


@dataclass(frozen=True, slots=True)
class RasaEvent:
    sender_id: str
    type_name: str
    timestamp: float
    json: str
    key: str
    intent_name: str | None = None
    action_name: str | None = None
    input_channel: str | None = None

    @property
    def is_user_message(self) -> bool:
        return self.type_name == "user"


def parse_event(raw: str | bytes, sender_id: str | None = None) -> RasaEvent:
    """Parse and check one event. `sender_id` is for sources that carry it beside the body (SQL broker)."""
    text = _decode(raw)
    body = _load_object(text)
    sender = body.get("sender_id", sender_id)
    if sender_id is not None and sender != sender_id:
        raise InvalidEvent(f"sender_id {sender!r} in the body differs from {sender_id!r} beside it")
    if not isinstance(sender, str) or not sender:
        raise InvalidEvent(_wrong("sender_id", "a non-empty string", sender))
    type_name = body.get("event")
    if not isinstance(type_name, str) or not type_name:
        raise InvalidEvent(_wrong("event", "a non-empty string", type_name))
    timestamp = body.get("timestamp")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float) or not math.isfinite(timestamp):
        raise InvalidEvent(_wrong("timestamp", "a finite number", timestamp))
    return RasaEvent(
        sender_id=sender,
        type_name=type_name,
        timestamp=float(timestamp),
        json=text,
        key=event_key(sender, body),
        intent_name=_user_intent(body) if type_name == "user" else None,
        action_name=_optional_str(body, "name") if type_name == "action" else None,
        input_channel=_optional_str(body, "input_channel") if type_name == "user" else None,
    )


def event_key(sender_id: str, body: dict[str, Any]) -> str:
    """Identity of an event: Rasa sends no event id, so two events are the same when sender and content are.

    Rasa's timestamps have sub-microsecond digits, so distinct events practically never share all content,
    while a redelivered or republished message always does.
    """
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sender_id.encode())
    digest.update(b"\0")
    digest.update(canonical.encode())
    return digest.hexdigest()


def _decode(raw: str | bytes) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidEvent(f"not UTF-8 text: {error}") from None


def _reject_constant(name: str) -> Any:
    raise InvalidEvent(f"not JSON: {name} is not a JSON value")


def _load_object(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InvalidEvent(f"not JSON: {error}") from None
    if not isinstance(body, dict):
        raise InvalidEvent(f"not a JSON object but {type(body).__name__}")
    return body


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidEvent(_wrong(name, "a string or null", value))
    return value


def _user_intent(body: dict[str, Any]) -> str | None:
    parse_data = body.get("parse_data")
    if parse_data is None:
        return None
    if not isinstance(parse_data, dict):
        raise InvalidEvent(_wrong("parse_data", "an object or null", parse_data))
    intent = parse_data.get("intent")
    if intent is None:
        return None
    if not isinstance(intent, dict):
        raise InvalidEvent(_wrong("parse_data.intent", "an object or null", intent))
    return _optional_str(intent, "name")


def _wrong(name: str, expected: str, value: Any) -> str:
    shown = "missing" if value is None else f"{type(value).__name__} {json.dumps(value)[:40]}"
    return f"{name} must be {expected}, got {shown}"
