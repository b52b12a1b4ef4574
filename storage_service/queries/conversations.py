"""Reading conversations and their events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage_service.models import Conversation, ConversationAction, ConversationEvent, ConversationIntent


class ConversationNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    intents: list[str]
    actions: list[str]


@dataclass(frozen=True)
class StoredEvent:
    id: int
    json: str
    timestamp: float


def list_conversations(session: Session, limit: int, offset: int) -> tuple[list[ConversationSummary], int]:
    """A page of conversations, newest latest event first, and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(Conversation)) or 0
    rows = session.scalars(
        select(Conversation)
        .order_by(Conversation.latest_event_time.desc(), Conversation.sender_id)
        .limit(limit)
        .offset(offset)
    ).all()
    return _summaries(session, rows), total


def get_conversation(session: Session, sender_id: str) -> ConversationSummary:
    row = session.get(Conversation, sender_id)
    if row is None:
        raise ConversationNotFound(sender_id)
    return _summaries(session, [row])[0]


def list_events(session: Session, sender_id: str, offset: int, limit: int) -> list[StoredEvent]:
    """A conversation's events in timestamp order (arrival order among equal timestamps)."""
    if session.get(Conversation, sender_id) is None:
        raise ConversationNotFound(sender_id)
    rows = session.execute(
        select(ConversationEvent.id, ConversationEvent.data, ConversationEvent.timestamp)
        .where(ConversationEvent.sender_id == sender_id)
        .order_by(ConversationEvent.timestamp, ConversationEvent.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [StoredEvent(id=row.id, json=row.data, timestamp=row.timestamp) for row in rows]


def _summaries(session: Session, rows: Sequence[Conversation]) -> list[ConversationSummary]:
    senders = [row.sender_id for row in rows]
    intents = _names_by_sender(session, ConversationIntent.sender_id, ConversationIntent.intent, senders)
    actions = _names_by_sender(session, ConversationAction.sender_id, ConversationAction.action, senders)
    return [ConversationSummary(row, intents[row.sender_id], actions[row.sender_id]) for row in rows]


def _names_by_sender(session: Session, sender_column, name_column, senders: list[str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    names: dict[str, list[str]] = defaultdict(list)
    if senders:
        for sender, name in session.execute(
            select(sender_column, name_column).where(sender_column.in_(senders)).order_by(name_column)
        ):
            names[sender].append(name)
    return names
