"""Reading conversations and their events, creating a conversation for a user, and deleting one."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from storage_service.models import (
    Conversation,
    ConversationAttribute,
    ConversationEvent,
    ConversationTagAssignment,
    MessageCorrection,
    MessageLog,
)
from storage_service.queries.conversation_filter import (
    ConversationFilter,
    ConversationOrder,
    conditions,
    count_statement,
    order_by,
)
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound
from storage_service.queries.upsert import insert_for

EVERY_CONVERSATION = ConversationFilter()
NEWEST_FIRST = ConversationOrder()


class ConversationNotFound(NotFound):
    def __init__(self, sender_id: str) -> None:
        super().__init__(f"no conversation with sender_id {sender_id!r}")


@dataclass(frozen=True)
class Correction:
    message_timestamp: float
    intent: str
    mapped_to: str
    user_goal: str


@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    # kind ("intent", "entity", "action", "policy", "slot", "environment") -> sorted distinct values
    attributes: dict[str, list[str]] = field(default_factory=dict)
    tag_ids: list[int] = field(default_factory=list)
    # In message timestamp order.
    corrections: list[Correction] = field(default_factory=list)

    def values(self, kind: str) -> list[str]:
        return self.attributes.get(kind, [])


@dataclass(frozen=True)
class CreatedConversation:
    summary: ConversationSummary
    # False when the conversation existed already.
    created: bool
    # Whether anything was written: a new conversation, or a creator given to one nobody had created.
    changed: bool


@dataclass(frozen=True)
class StoredEvent:
    id: int
    json: str
    timestamp: float
    flagged: bool = False


def list_conversations(
    session: Session,
    limit: int,
    offset: int,
    wanted: ConversationFilter = EVERY_CONVERSATION,
    order: ConversationOrder = NEWEST_FIRST,
) -> tuple[list[ConversationSummary], int]:
    """A page of the conversations `wanted` selects, in `order`, and how many it selects in all."""
    plan_per_request(session)
    total = session.scalar(count_statement(wanted)) or 0
    if offset >= total:
        return [], total
    rows = session.scalars(
        select(Conversation).where(*conditions(wanted)).order_by(*order_by(wanted, order)).limit(limit).offset(offset)
    ).all()
    return summaries(session, rows), total


def plan_per_request(session: Session) -> None:
    """Plan the rest of the transaction's queries for their actual values, without parallel workers (PostgreSQL).

    A filter's cost depends entirely on its values (an intent in every conversation or in ten), but a statement
    the driver has prepared gets a generic plan after a few runs (slot filter: 150 ms instead of 58). The queries
    are short: parallel workers cost more to start than they save, and a parallel walk of the newest
    conversations runs far past the LIMIT before the leader stops it (rare intent: 50 ms instead of 3).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                " set_config('max_parallel_workers_per_gather', '0', true)"
            )
        )


def get_conversation(session: Session, sender_id: str) -> ConversationSummary:
    row = session.get(Conversation, sender_id)
    if row is None:
        raise ConversationNotFound(sender_id)
    return summaries(session, [row])[0]


def create_conversation(session: Session, sender_id: str, created_by: str, interactive: bool) -> CreatedConversation:
    """Make the conversation a user starts before any of its events arrive, recording who created it.

    An existing conversation nobody created yet (its events came first) is given the creator, and made interactive
    if asked; one the same user created is returned as it is; one another user created is AlreadyExists. Safe
    against concurrent creations and event batches: the insert does nothing when the row exists, and only one
    creator can fill an empty `created_by`.
    """
    if not sender_id:
        raise InvalidRequest("sender_id must not be empty")
    if not created_by:
        raise InvalidRequest("created_by must not be empty")
    connection = session.connection()
    inserted = connection.execute(
        insert_for(session, Conversation)
        .values(sender_id=sender_id, latest_event_time=time.time(), created_by=created_by, interactive=interactive)
        .on_conflict_do_nothing(index_elements=["sender_id"])
        .returning(Conversation.sender_id)
    ).first()
    if inserted is not None:
        return CreatedConversation(get_conversation(session, sender_id), created=True, changed=True)
    claim = {"created_by": created_by, **({"interactive": True} if interactive else {})}
    claimed = connection.execute(
        update(Conversation)
        .where(Conversation.sender_id == sender_id, Conversation.created_by.is_(None))
        .values(**claim)
        .returning(Conversation.sender_id)
    ).first()
    # Not found only when it was deleted since the insert found it.
    existing = get_conversation(session, sender_id)
    if existing.conversation.created_by != created_by:
        raise AlreadyExists(f"conversation {sender_id!r} was created by another user")
    return CreatedConversation(existing, created=False, changed=claimed is not None)


def list_events(session: Session, sender_id: str, offset: int, limit: int, after_id: int = 0) -> list[StoredEvent]:
    """A conversation's events in timestamp order (arrival order among equal timestamps); with `after_id`, only
    those stored after the event with that id, in the order they were stored (`offset` is then ignored)."""
    if session.get(Conversation, sender_id) is None:
        raise ConversationNotFound(sender_id)
    query = select(
        ConversationEvent.id, ConversationEvent.data, ConversationEvent.timestamp, ConversationEvent.is_flagged
    ).where(ConversationEvent.sender_id == sender_id)
    if after_id:
        query = query.where(ConversationEvent.id > after_id).order_by(ConversationEvent.id)
    else:
        query = query.order_by(ConversationEvent.timestamp, ConversationEvent.id).offset(offset)
    rows = session.execute(query.limit(limit)).all()
    return [StoredEvent(row.id, row.data, row.timestamp, row.is_flagged) for row in rows]


def delete_conversation(session: Session, sender_id: str) -> int:
    """Delete a conversation, its events and its NLU inbox messages (the database cascades to its attributes,
    tags and corrections); returns how many events were deleted."""
    connection = session.connection()
    if connection.execute(delete(Conversation).where(Conversation.sender_id == sender_id)).rowcount == 0:
        raise ConversationNotFound(sender_id)
    deleted = connection.execute(delete(ConversationEvent).where(ConversationEvent.sender_id == sender_id)).rowcount
    connection.execute(delete(MessageLog).where(MessageLog.conversation_id == sender_id))
    return deleted


def summaries(session: Session, rows: Sequence[Conversation]) -> list[ConversationSummary]:
    """The summaries of `rows`, loaded in three queries whatever their number."""
    if not rows:
        return []
    senders = [row.sender_id for row in rows]
    attributes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for sender, kind, value in session.execute(
        select(ConversationAttribute.sender_id, ConversationAttribute.kind, ConversationAttribute.value)
        .where(ConversationAttribute.sender_id.in_(senders))
        .order_by(ConversationAttribute.kind, ConversationAttribute.value)
    ):
        attributes[sender][kind].append(value)
    tags: dict[str, list[int]] = defaultdict(list)
    for sender, tag_id in session.execute(
        select(ConversationTagAssignment.sender_id, ConversationTagAssignment.tag_id)
        .where(ConversationTagAssignment.sender_id.in_(senders))
        .order_by(ConversationTagAssignment.tag_id)
    ):
        tags[sender].append(tag_id)
    corrections: dict[str, list[Correction]] = defaultdict(list)
    for row in session.scalars(
        select(MessageCorrection)
        .where(MessageCorrection.sender_id.in_(senders))
        .order_by(MessageCorrection.message_timestamp)
    ):
        corrections[row.sender_id].append(
            Correction(row.message_timestamp, row.intent, row.mapped_to or "", row.user_goal or "")
        )
    return [
        ConversationSummary(row, dict(attributes[row.sender_id]), tags[row.sender_id], corrections[row.sender_id])
        for row in rows
    ]
