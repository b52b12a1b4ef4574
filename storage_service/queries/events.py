"""Appending events: one transaction per batch, duplicates skipped, aggregates updated from new events only."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session

from conversely.rasa_events import RasaEvent
from storage_service.models import (
    Conversation,
    ConversationAttribute,
    ConversationEvent,
    IngestionCheckpoint,
    MessageLog,
)
from storage_service.queries.upsert import bulk_insert, greatest, insert_for, least


@dataclass(frozen=True)
class AppendResult:
    stored: int
    duplicates: int


def _lower(current: float | None, new: float | None) -> float | None:
    return new if current is None else current if new is None else min(current, new)


def _higher(current: float | None, new: float | None) -> float | None:
    return new if current is None else current if new is None else max(current, new)


@dataclass
class _ConversationDelta:
    """What a batch's newly stored events add to one conversation."""

    sender_id: str
    latest_event_time: float
    number_events: int = 0
    number_user_messages: int = 0
    number_bot_messages: int = 0
    latest_user_event_time: float | None = None
    latest_input_channel: str | None = None
    minimum_action_confidence: float | None = None
    maximum_action_confidence: float | None = None
    minimum_intent_confidence: float | None = None
    maximum_intent_confidence: float | None = None
    has_flagged_messages: bool = False
    attributes: set[tuple[str, str]] = field(default_factory=set)

    def add(self, event: RasaEvent, environment: str) -> None:
        self.latest_event_time = max(self.latest_event_time, event.timestamp)
        self.number_events += 1
        self.has_flagged_messages |= event.flagged
        self.attributes.add(("environment", environment))
        if event.type_name == "bot":
            self.number_bot_messages += 1
        if event.is_user_message:
            self.number_user_messages += 1
            if self.latest_user_event_time is None or event.timestamp >= self.latest_user_event_time:
                self.latest_user_event_time = event.timestamp
                self.latest_input_channel = event.input_channel
        self.minimum_action_confidence = _lower(self.minimum_action_confidence, event.action_confidence)
        self.maximum_action_confidence = _higher(self.maximum_action_confidence, event.action_confidence)
        self.minimum_intent_confidence = _lower(self.minimum_intent_confidence, event.intent_confidence)
        self.maximum_intent_confidence = _higher(self.maximum_intent_confidence, event.intent_confidence)
        for kind, value in (("intent", event.intent_name), ("action", event.action_name), ("policy", event.policy)):
            if value:
                self.attributes.add((kind, value))
        self.attributes.update(("entity", entity) for entity in event.entities)
        if event.slot is not None:
            self.attributes.add(("slot", f"{event.slot[0]}:{event.slot[1]}"))

    def row(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if name != "attributes"}


def append_events(
    session: Session,
    events: Sequence[tuple[RasaEvent, str]],
    checkpoint: tuple[str, int] | None = None,
) -> AppendResult:
    """Store (event, rasa_environment) pairs not stored before; the caller commits."""
    unique = list({event.key: (event, environment) for event, environment in events}.values())
    inserted_ids = _insert_new_events(session, unique)
    new_events = [(event, environment) for event, environment in unique if event.key in inserted_ids]
    deltas = _deltas(new_events)
    _upsert_conversations(session, deltas)
    _add_attributes(session, deltas)
    _log_user_messages(session, [(event, inserted_ids[event.key]) for event, _ in new_events])
    if checkpoint is not None:
        _save_checkpoint(session, *checkpoint)
    return AppendResult(stored=len(new_events), duplicates=len(events) - len(new_events))


def read_checkpoint(session: Session, source: str) -> int:
    position = session.scalar(select(IngestionCheckpoint.position).where(IngestionCheckpoint.source == source))
    return position or 0


def _deltas(events: Iterable[tuple[RasaEvent, str]]) -> list[_ConversationDelta]:
    deltas: dict[str, _ConversationDelta] = {}
    for event, environment in events:
        deltas.setdefault(event.sender_id, _ConversationDelta(event.sender_id, event.timestamp)).add(event, environment)
    # A fixed order, so that concurrent batches lock the same rows in the same order and cannot deadlock.
    return [deltas[sender] for sender in sorted(deltas)]


def _insert_new_events(session: Session, events: Sequence[tuple[RasaEvent, str]]) -> dict[str, int]:
    """Insert the events not stored before; their keys mapped to their new ids."""
    if not events:
        return {}
    rows = [
        {
            "sender_id": event.sender_id,
            "event_key": event.key,
            "type_name": event.type_name,
            "timestamp": event.timestamp,
            "intent_name": event.intent_name,
            "action_name": event.action_name,
            "policy": event.policy,
            "confidence": event.action_confidence if event.action_confidence is not None else event.intent_confidence,
            "rasa_environment": environment,
            "data": event.json,
            "text": event.text,
            "is_flagged": event.flagged,
        }
        for event, environment in events  # arrival order: it breaks ties between equal timestamps
    ]
    insert = bulk_insert(session, ConversationEvent, rows)
    table = ConversationEvent.__table__
    statement = insert.statement.on_conflict_do_nothing(index_elements=["event_key"]).returning(
        table.c.event_key, table.c.id
    )
    return {key: event_id for key, event_id in insert.execute(session, statement)}


def _upsert_conversations(session: Session, deltas: list[_ConversationDelta]) -> None:
    if not deltas:
        return
    insert = bulk_insert(session, Conversation, [delta.row() for delta in deltas])
    new, old = insert.statement.excluded, Conversation.__table__.c
    newer_user_message = and_(
        new.latest_user_event_time.is_not(None),
        or_(old.latest_user_event_time.is_(None), new.latest_user_event_time >= old.latest_user_event_time),
    )
    statement = insert.statement.on_conflict_do_update(
        index_elements=["sender_id"],
        set_={
            "latest_event_time": greatest(session, old.latest_event_time, new.latest_event_time),
            "number_events": old.number_events + new.number_events,
            "number_user_messages": old.number_user_messages + new.number_user_messages,
            "number_bot_messages": old.number_bot_messages + new.number_bot_messages,
            "latest_input_channel": case(
                (newer_user_message, new.latest_input_channel), else_=old.latest_input_channel
            ),
            "latest_user_event_time": case(
                (newer_user_message, new.latest_user_event_time), else_=old.latest_user_event_time
            ),
            "minimum_action_confidence": least(session, old.minimum_action_confidence, new.minimum_action_confidence),
            "maximum_action_confidence": greatest(
                session, old.maximum_action_confidence, new.maximum_action_confidence
            ),
            "minimum_intent_confidence": least(session, old.minimum_intent_confidence, new.minimum_intent_confidence),
            "maximum_intent_confidence": greatest(
                session, old.maximum_intent_confidence, new.maximum_intent_confidence
            ),
            "has_flagged_messages": or_(old.has_flagged_messages, new.has_flagged_messages),
        },
    )
    insert.execute(session, statement)


def _add_attributes(session: Session, deltas: list[_ConversationDelta]) -> None:
    rows = [
        {"sender_id": delta.sender_id, "kind": kind, "value": value}
        for delta in deltas
        for kind, value in sorted(delta.attributes)
    ]
    if rows:
        insert = bulk_insert(session, ConversationAttribute, rows)
        insert.execute(session, insert.statement.on_conflict_do_nothing())


def text_hash(text: str) -> str:
    """Rasa X's NLU inbox key: the md5 of the message text."""
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _log_user_messages(session: Session, events: Sequence[tuple[RasaEvent, int]]) -> None:
    """Put user messages in the NLU inbox, one row per text, showing the latest prediction for it."""
    latest: dict[str, dict[str, Any]] = {}
    for event, event_id in events:
        if not event.text or event.user_input is None:
            continue
        key = text_hash(event.text)
        row: dict[str, Any] = {
            "hash": key,
            "text": event.text,
            "intent": event.intent_name,
            "confidence": event.intent_confidence,
            "user_input": event.user_input,
            "conversation_id": event.sender_id,
            "event_id": event_id,
            "time": event.timestamp,
            "model": event.model_id,
        }
        if key not in latest or latest[key]["time"] <= event.timestamp:
            latest[key] = row
    if not latest:
        return
    insert = bulk_insert(session, MessageLog, [latest[key] for key in sorted(latest)])
    excluded = insert.statement.excluded
    statement = insert.statement.on_conflict_do_update(
        index_elements=["hash"],
        set_={name: excluded[name] for name in next(iter(latest.values())) if name != "hash"},
        where=excluded.time >= MessageLog.__table__.c.time,
    )
    insert.execute(session, statement)


def _save_checkpoint(session: Session, source: str, position: int) -> None:
    insert = insert_for(session, IngestionCheckpoint)
    session.connection().execute(
        insert.values(source=source, position=position).on_conflict_do_update(
            index_elements=["source"], set_={"position": position}
        )
    )
