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

import orjson


class InvalidEvent(ValueError):
    """The message is not a Rasa event Conversely can store; the text says why."""


@dataclass(frozen=True, slots=True)
class RasaEvent:
    """One event: its exact JSON text, its identity, and what the review API filters and aggregates on."""

    sender_id: str
    type_name: str
    timestamp: float
    json: str
    key: str
    intent_name: str | None = None
    intent_confidence: float | None = None
    action_name: str | None = None
    action_confidence: float | None = None
    policy: str | None = None
    input_channel: str | None = None
    entities: tuple[str, ...] = ()
    slot: tuple[str, str] | None = None  # (name, value as text)
    flagged: bool = False
    model_id: str | None = None
    # A user message's text and Rasa X's NLU inbox `user_input` ({text, intent, intent_ranking, entities}).
    text: str | None = None
    user_input: str | None = None

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
    if "\x00" in sender:
        raise InvalidEvent("sender_id contains a NUL character, which the database cannot store")
    type_name = body.get("event")
    if not isinstance(type_name, str) or not type_name:
        raise InvalidEvent(_wrong("event", "a non-empty string", type_name))
    timestamp = body.get("timestamp")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float) or not math.isfinite(timestamp):
        raise InvalidEvent(_wrong("timestamp", "a finite number", timestamp))
    metadata = _optional(body, "metadata", dict) or {}
    projection = {name: _storable(value) for name, value in _PROJECTIONS.get(type_name, _nothing)(body).items()}
    return RasaEvent(
        sender_id=sender,
        type_name=type_name,
        timestamp=float(timestamp),
        json=text,
        key=event_key(sender, body),
        flagged=metadata.get("rasa_x_flagged") is True,
        model_id=_storable(_optional(metadata, "model_id", str)),
        **projection,
    )


def _storable(value: Any) -> Any:
    """A projected value PostgreSQL can store in a text column: NUL becomes U+FFFD (the event's JSON keeps it)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, tuple):
        return tuple(_storable(item) for item in value)
    return value


def _project_user(body: dict[str, Any]) -> dict[str, Any]:
    parse_data = _optional(body, "parse_data", dict) or {}
    intent = _optional(parse_data, "intent", dict) or {}
    text = _optional(body, "text", str)
    entities = _entity_names(parse_data.get("entities"), "parse_data.entities")
    user_input = None
    if text:
        user_input = json.dumps(
            {
                "text": text,
                "intent": intent,
                "intent_ranking": parse_data.get("intent_ranking") or [],
                "entities": parse_data.get("entities") or [],
            },
            ensure_ascii=False,
        )
    return {
        "intent_name": _optional(intent, "name", str),
        "intent_confidence": _confidence(intent, "intent.confidence"),
        "input_channel": _optional(body, "input_channel", str),
        "entities": entities,
        "text": text,
        "user_input": user_input,
    }


def _project_action(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "action_name": _optional(body, "name", str),
        "action_confidence": _confidence(body, "confidence"),
        "policy": _optional(body, "policy", str),
    }


def _project_slot(body: dict[str, Any]) -> dict[str, Any]:
    name = _optional(body, "name", str)
    if name is None:
        return {}
    value = body.get("value")
    return {"slot": (name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))}


def _project_entities(body: dict[str, Any]) -> dict[str, Any]:
    return {"entities": _entity_names(body.get("entities"), "entities")}


def _nothing(body: dict[str, Any]) -> dict[str, Any]:
    return {}


_PROJECTIONS = {"user": _project_user, "action": _project_action, "slot": _project_slot, "entities": _project_entities}


def event_key(sender_id: str, body: dict[str, Any]) -> str:
    """Identity of an event: Rasa sends no event id, so two events are the same when sender and content are.

    Rasa's timestamps have sub-microsecond digits, so distinct events practically never share all content,
    while a redelivered or republished message always does.
    """
    try:
        canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits, which only the standard library's json handles
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sender_id.encode())
    digest.update(b"\0")
    digest.update(canonical)
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
        body = orjson.loads(text)
    except orjson.JSONDecodeError:
        # orjson refuses integers beyond 64 bits, valid JSON that Rasa may carry in custom metadata.
        try:
            body = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as error:
            raise InvalidEvent(f"not JSON: {error}") from None
    if not isinstance(body, dict):
        raise InvalidEvent(f"not a JSON object but {type(body).__name__}")
    return body


def _optional(container: dict[str, Any], name: str, kind: type) -> Any:
    value = container.get(name)
    if value is not None and not isinstance(value, kind):
        raise InvalidEvent(_wrong(name, f"{_KIND_NAMES[kind]} or null", value))
    return value


_KIND_NAMES: dict[type, str] = {str: "a string", dict: "an object", list: "a list"}


def _confidence(container: dict[str, Any], name: str) -> float | None:
    value = container.get(name.rsplit(".", 1)[-1])
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidEvent(_wrong(name, "a finite number or null", value))
    return float(value)


def _entity_names(entities: Any, name: str) -> tuple[str, ...]:
    if entities is None:
        return ()
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise InvalidEvent(_wrong(name, "a list of objects or null", entities))
    return tuple(sorted({e["entity"] for e in entities if isinstance(e.get("entity"), str)}))


def _wrong(name: str, expected: str, value: Any) -> str:
    shown = "missing" if value is None else f"{type(value).__name__} {json.dumps(value)[:40]}"
    return f"{name} must be {expected}, got {shown}"
