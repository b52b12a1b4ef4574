"""Reading conversations and their events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage_service.models import Conversation, ConversationAttribute, ConversationEvent
from storage_service.queries.errors import NotFound


class ConversationNotFound(NotFound):
    def __init__(self, sender_id: str) -> None:
        super().__init__(f"no conversation with sender_id {sender_id!r}")


@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    # kind ("intent", "entity", "action", "policy", "slot", "environment") -> sorted distinct values
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def values(self, kind: str) -> list[str]:
        return self.attributes.get(kind, [])


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
    attributes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if rows:
        found = session.execute(
            select(ConversationAttribute.sender_id, ConversationAttribute.kind, ConversationAttribute.value)
            .where(ConversationAttribute.sender_id.in_([row.sender_id for row in rows]))
            .order_by(ConversationAttribute.kind, ConversationAttribute.value)
        )
        for sender, kind, value in found:
            attributes[sender][kind].append(value)
    return [ConversationSummary(row, dict(attributes[row.sender_id])) for row in rows]
