"""The NLU inbox (Rasa X's message log): distinct user messages with their latest prediction."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import asc, delete, desc, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import MessageLog, TrainingExample
from storage_service.queries.errors import InvalidRequest, NotFound
from storage_service.queries.events import text_hash
from storage_service.queries.hashed_rows import by_id_or_hash
from storage_service.queries.upsert import insert_for

InboxOrder = Literal["id", "time", "confidence"]


@dataclass(frozen=True)
class InboxFilter:
    """Which inbox messages to list, in which order; a page of `limit` from `offset`."""

    limit: int
    offset: int = 0
    # Case-insensitive substring of the text; LIKE wildcards in it match literally.
    query: str = ""
    # Any of these predicted intents; empty: any intent.
    intents: Sequence[str] = ()
    order: InboxOrder = "id"
    ascending: bool = False
    # Leave out messages whose text is a training example's.
    exclude_training_data: bool = False


def list_inbox_messages(session: Session, inbox_filter: InboxFilter) -> tuple[list[MessageLog], int]:
    """A page of the messages matching the filter (ties in the order broken by id), and how many match in all."""
    conditions = _conditions(inbox_filter)
    total = session.scalar(select(func.count()).select_from(MessageLog).where(*conditions)) or 0
    direction = asc if inbox_filter.ascending else desc
    order: list[Any] = []
    if inbox_filter.order == "confidence":
        # Messages without a prediction come last whichever the direction.
        order += [MessageLog.confidence.is_(None), direction(MessageLog.confidence)]
    elif inbox_filter.order == "time":
        order.append(direction(MessageLog.time))
    order.append(direction(MessageLog.id))
    rows = session.scalars(
        select(MessageLog).where(*conditions).order_by(*order).limit(inbox_filter.limit).offset(inbox_filter.offset)
    ).all()
    return list(rows), total


def get_inbox_message(session: Session, message_id: int | None = None, message_hash: str | None = None) -> MessageLog:
    """The message with this id, or else with this text hash."""
    return by_id_or_hash(session, MessageLog, "inbox message", message_id, message_hash)


def add_inbox_message(session: Session, text: str, user_input_json: str, model: str, time: float) -> MessageLog:
    """Add a message added by hand (not from a conversation), or give the one with the same text this prediction.

    `user_input_json` is Rasa's parse result, a JSON object; empty or "{}" when the text was not parsed.
    """
    if not text.strip():
        raise InvalidRequest("text must not be empty")
    if not math.isfinite(time) or time < 0:
        raise InvalidRequest(f"time must be a non-negative number of seconds, not {time!r}")
    user_input, intent, confidence = _prediction(user_input_json)
    values = {
        "text": text,
        "intent": intent,
        "confidence": confidence,
        "user_input": user_input,
        "conversation_id": "",
        "event_id": 0,
        "time": time,
        "model": model or None,
    }
    key = text_hash(text)
    statement = (
        insert_for(session, MessageLog)
        .values(hash=key, **values)
        .on_conflict_do_update(index_elements=["hash"], set_=values)
    )
    session.connection().execute(statement)
    return session.scalars(select(MessageLog).where(MessageLog.hash == key)).one()


def delete_inbox_message(session: Session, message_id: int) -> None:
    """Remove a message from the inbox."""
    result = session.connection().execute(delete(MessageLog).where(MessageLog.id == message_id))
    if result.rowcount == 0:
        raise NotFound(f"no inbox message with id {message_id}")


def _conditions(inbox_filter: InboxFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if inbox_filter.query:
        escaped = inbox_filter.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(MessageLog.text.ilike(f"%{escaped}%", escape="\\"))
    if inbox_filter.intents:
        conditions.append(MessageLog.intent.in_(inbox_filter.intents))
    if inbox_filter.exclude_training_data:
        conditions.append(~exists(select(TrainingExample.id).where(TrainingExample.hash == MessageLog.hash)))
    return conditions


def _prediction(user_input_json: str) -> tuple[str, str | None, float | None]:
    """The user_input to store, with the predicted intent and confidence it holds (None when not parsed)."""
    if not user_input_json.strip():
        return "{}", None, None
    try:
        parsed = json.loads(user_input_json, parse_constant=_reject_constant)
    except ValueError as error:  # json.JSONDecodeError is one
        raise InvalidRequest(f"user_input_json is not JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise InvalidRequest(f"user_input_json must be a JSON object, not {type(parsed).__name__}")
    intent = parsed.get("intent")
    if intent is None:
        return user_input_json, None, None
    if not isinstance(intent, dict):
        raise InvalidRequest("user_input_json: intent must be an object or null")
    name, confidence = intent.get("name"), intent.get("confidence")
    if name is not None and not isinstance(name, str):
        raise InvalidRequest("user_input_json: intent.name must be a string or null")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not math.isfinite(confidence)
    ):
        raise InvalidRequest("user_input_json: intent.confidence must be a finite number or null")
    return user_input_json, name or None, None if confidence is None else float(confidence)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")
