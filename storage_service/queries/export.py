"""Exporting every conversation a filter selects, with all its events, in memory bounded by a page.

Conversations are read newest first a page at a time, each page starting after the last conversation of the
previous one (keyset pagination: no OFFSET that rescans, no cursor held open), and each conversation's events
a chunk at a time after the last event sent. Every page is its own short transaction, so an export of any size
neither holds a snapshot open for its whole length nor keeps more than one page in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import Session

from storage_service.models import Conversation, ConversationEvent
from storage_service.queries.conversation_filter import ConversationFilter, conditions
from storage_service.queries.conversations import ConversationSummary, StoredEvent, plan_per_request, summaries

T = TypeVar("T")

EVENTS_PER_CHUNK = 1000
CONVERSATIONS_PER_PAGE = 100


class Transaction(Protocol):
    """Runs one unit of work in its own transaction (the servicer's `_read`)."""

    def __call__(self, work: Callable[[Session], T], /) -> T: ...


@dataclass(frozen=True)
class ExportChunk:
    sender_id: str
    # Set on a conversation's first chunk only.
    summary: ConversationSummary | None
    events: list[StoredEvent]


def export_conversations(
    read: Transaction,
    wanted: ConversationFilter,
    events_per_chunk: int = EVENTS_PER_CHUNK,
    conversations_per_page: int = CONVERSATIONS_PER_PAGE,
) -> Iterator[ExportChunk]:
    """Every conversation `wanted` selects, newest latest event first, as chunks of at most `events_per_chunk`
    events in timestamp order; a conversation's first chunk carries its summary."""
    after: tuple[float, str] | None = None
    while True:
        page = read(partial(_conversation_page, wanted=wanted, after=after, limit=conversations_per_page))
        for summary in page:
            yield from _conversation_chunks(read, summary, events_per_chunk)
        if len(page) < conversations_per_page:
            return
        last = page[-1].conversation
        after = (last.latest_event_time, last.sender_id)


def _conversation_chunks(
    read: Transaction, summary: ConversationSummary, events_per_chunk: int
) -> Iterator[ExportChunk]:
    sender_id = summary.conversation.sender_id
    first: ConversationSummary | None = summary
    after: tuple[float, int] | None = None
    while True:
        events = read(partial(_event_page, sender_id=sender_id, after=after, limit=events_per_chunk))
        if events or first is not None:
            yield ExportChunk(sender_id, first, events)
        first = None
        if len(events) < events_per_chunk:
            return
        after = (events[-1].timestamp, events[-1].id)


def _conversation_page(
    session: Session, wanted: ConversationFilter, after: tuple[float, str] | None, limit: int
) -> list[ConversationSummary]:
    plan_per_request(session)
    where = conditions(wanted)
    if after is not None:
        time, sender_id = after
        # Newest first, ties by sender id: the next page starts strictly after (time, sender_id) in that order.
        where.append(
            or_(
                Conversation.latest_event_time < time,
                and_(Conversation.latest_event_time == time, Conversation.sender_id > sender_id),
            )
        )
    rows = session.scalars(
        select(Conversation)
        .where(*where)
        .order_by(Conversation.latest_event_time.desc(), Conversation.sender_id)
        .limit(limit)
    ).all()
    return summaries(session, rows)


def _event_page(session: Session, sender_id: str, after: tuple[float, int] | None, limit: int) -> list[StoredEvent]:
    event = ConversationEvent
    query = select(event.id, event.data, event.timestamp, event.is_flagged).where(event.sender_id == sender_id)
    if after is not None:
        query = query.where(tuple_(event.timestamp, event.id) > tuple_(*after))
    rows = session.execute(query.order_by(event.timestamp, event.id).limit(limit)).all()
    return [StoredEvent(row.id, row.data, row.timestamp, row.is_flagged) for row in rows]
