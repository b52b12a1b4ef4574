"""Appending events: one transaction per batch, duplicates skipped, aggregates updated from new events only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session

from conversely.rasa_events import RasaEvent
from storage_service.models import (
    Base,
    Conversation,
    ConversationAction,
    ConversationEvent,
    ConversationIntent,
    IngestionCheckpoint,
)
from storage_service.queries.upsert import greatest, insert_for


@dataclass(frozen=True)
class AppendResult:
    stored: int
    duplicates: int


@dataclass
class _ConversationDelta:
    """What a batch's newly stored events add to one conversation."""

    sender_id: str
    latest_event_time: float
    number_events: int = 0
    number_user_messages: int = 0
    latest_user_event_time: float | None = None
    latest_input_channel: str | None = None
    intents: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)

    def add(self, event: RasaEvent) -> None:
        self.latest_event_time = max(self.latest_event_time, event.timestamp)
        self.number_events += 1
        if event.is_user_message:
            self.number_user_messages += 1
            if self.latest_user_event_time is None or event.timestamp >= self.latest_user_event_time:
                self.latest_user_event_time = event.timestamp
                self.latest_input_channel = event.input_channel
        if event.intent_name:
            self.intents.add(event.intent_name)
        if event.action_name:
            self.actions.add(event.action_name)

    def row(self) -> dict[str, Any]:
        return {
            "sender_id": self.sender_id,
            "latest_event_time": self.latest_event_time,
            "number_events": self.number_events,
            "number_user_messages": self.number_user_messages,
            "latest_user_event_time": self.latest_user_event_time,
            "latest_input_channel": self.latest_input_channel,
        }


def append_events(
    session: Session,
    events: Sequence[tuple[RasaEvent, str]],
    checkpoint: tuple[str, int] | None = None,
) -> AppendResult:
    """Store (event, rasa_environment) pairs not stored before; the caller commits."""
    unique = list({event.key: (event, environment) for event, environment in events}.values())
    inserted_keys = _insert_new_events(session, unique)
    new_events = [event for event, _ in unique if event.key in inserted_keys]
    deltas = _deltas(new_events)
    _upsert_conversations(session, deltas)
    _add_names(session, ConversationIntent, "intent", {(d.sender_id, i) for d in deltas for i in d.intents})
    _add_names(session, ConversationAction, "action", {(d.sender_id, a) for d in deltas for a in d.actions})
    if checkpoint is not None:
        _save_checkpoint(session, *checkpoint)
    return AppendResult(stored=len(new_events), duplicates=len(events) - len(new_events))


def read_checkpoint(session: Session, source: str) -> int:
    position = session.scalar(select(IngestionCheckpoint.position).where(IngestionCheckpoint.source == source))
    return position or 0


def _deltas(events: Iterable[RasaEvent]) -> list[_ConversationDelta]:
    deltas: dict[str, _ConversationDelta] = {}
    for event in events:
        deltas.setdefault(event.sender_id, _ConversationDelta(event.sender_id, event.timestamp)).add(event)
    # A fixed order, so that concurrent batches lock the same rows in the same order and cannot deadlock.
    return [deltas[sender] for sender in sorted(deltas)]


def _insert_new_events(session: Session, events: Sequence[tuple[RasaEvent, str]]) -> set[str]:
    if not events:
        return set()
    rows = [
        {
            "sender_id": event.sender_id,
            "event_key": event.key,
            "type_name": event.type_name,
            "timestamp": event.timestamp,
            "intent_name": event.intent_name,
            "action_name": event.action_name,
            "rasa_environment": environment,
            "data": event.json,
        }
        for event, environment in events  # arrival order: it breaks ties between equal timestamps
    ]
    insert = insert_for(session, ConversationEvent)
    statement = insert.on_conflict_do_nothing(index_elements=["event_key"]).returning(ConversationEvent.event_key)
    return set(session.scalars(statement, rows))


def _upsert_conversations(session: Session, deltas: list[_ConversationDelta]) -> None:
    if not deltas:
        return
    insert = insert_for(session, Conversation)
    new, old = insert.excluded, Conversation
    newer_user_message = and_(
        new.latest_user_event_time.is_not(None),
        or_(old.latest_user_event_time.is_(None), new.latest_user_event_time >= old.latest_user_event_time),
    )
    statement = insert.on_conflict_do_update(
        index_elements=["sender_id"],
        set_={
            "latest_event_time": greatest(session, old.latest_event_time, new.latest_event_time),
            "number_events": old.number_events + new.number_events,
            "number_user_messages": old.number_user_messages + new.number_user_messages,
            "latest_input_channel": case(
                (newer_user_message, new.latest_input_channel), else_=old.latest_input_channel
            ),
            "latest_user_event_time": case(
                (newer_user_message, new.latest_user_event_time), else_=old.latest_user_event_time
            ),
        },
    )
    session.execute(statement, [delta.row() for delta in deltas])


def _add_names(session: Session, table: type[Base], column: str, pairs: set[tuple[str, str]]) -> None:
    if not pairs:
        return
    insert = insert_for(session, table)
    session.execute(
        insert.on_conflict_do_nothing(),
        [{"sender_id": sender, column: name} for sender, name in sorted(pairs)],
    )


def _save_checkpoint(session: Session, source: str, position: int) -> None:
    insert = insert_for(session, IngestionCheckpoint)
    session.execute(
        insert.values(source=source, position=position).on_conflict_do_update(
            index_elements=["source"], set_={"position": position}
        )
    )
