"""What reviewers add to conversations: review status, message flags, intent corrections and tags."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import Conversation, ConversationEvent, ConversationTag, ConversationTagAssignment
from storage_service.models import MessageCorrection as MessageCorrectionRow
from storage_service.queries import training_examples
from storage_service.queries.conversations import ConversationNotFound
from storage_service.queries.errors import InvalidRequest, NotFound
from storage_service.queries.upsert import bulk_insert, insert_for

REVIEW_STATUSES = ("unread", "reviewed", "saved_for_later")
# A message is named by its event's timestamp; clients round-trip it through JSON and URLs, so match loosely.
TIMESTAMP_TOLERANCE = 1e-6
MAX_TAG_LENGTH = 100
_COLOR = re.compile(r"[0-9a-fA-F]{6}")


class MessageNotFound(NotFound):
    def __init__(self, sender_id: str, timestamp: float, kind: str) -> None:
        super().__init__(f"conversation {sender_id!r} has no {kind} at timestamp {timestamp!r}")


@dataclass(frozen=True)
class Correction:
    message_timestamp: float
    intent: str
    mapped_to: str = ""
    user_goal: str = ""


@dataclass(frozen=True)
class TagChoice:
    """A tag to assign: an existing one by `id`, or by `value` (created with `color` when new)."""

    id: int | None
    value: str = ""
    color: str = ""


@dataclass(frozen=True)
class Tag:
    id: int
    value: str
    color: str
    # The conversations it is assigned to, sorted (filled by list_tags only).
    sender_ids: list[str] = field(default_factory=list)


def set_review_status(session: Session, sender_id: str, status: str) -> None:
    """Set a conversation's review status, one of REVIEW_STATUSES."""
    if status not in REVIEW_STATUSES:
        raise InvalidRequest(f"review_status must be one of {', '.join(REVIEW_STATUSES)}, not {status!r}")
    result = session.connection().execute(
        update(Conversation).where(Conversation.sender_id == sender_id).values(review_status=status)
    )
    if result.rowcount == 0:
        raise ConversationNotFound(sender_id)


def set_message_flag(session: Session, sender_id: str, timestamp: float, flagged: bool) -> None:
    """Flag or unflag the conversation's user or bot message at `timestamp`; keep has_flagged_messages exact."""
    _lock_conversation(session, sender_id)
    connection = session.connection()
    result = connection.execute(
        update(ConversationEvent)
        .where(
            ConversationEvent.sender_id == sender_id,
            ConversationEvent.type_name.in_(("user", "bot")),
            _near(ConversationEvent.timestamp, timestamp),
        )
        .values(is_flagged=flagged)
    )
    if result.rowcount == 0:
        raise MessageNotFound(sender_id, timestamp, "user or bot message")
    any_flagged = (
        select(ConversationEvent.id)
        .where(ConversationEvent.sender_id == sender_id, ConversationEvent.is_flagged)
        .exists()
    )
    connection.execute(
        update(Conversation).where(Conversation.sender_id == sender_id).values(has_flagged_messages=any_flagged)
    )


def set_message_correction(session: Session, sender_id: str, correction: Correction) -> None:
    """Record (or replace) the intent a reviewer gave the conversation's user message at the given timestamp.

    The correction is stored under the event's own timestamp, so that it matches the event exactly. The message's
    text is saved as a training example of the intent (with the entities Rasa parsed that have a start and end),
    which takes it out of the NLU inbox.
    """
    if not correction.intent.strip():
        raise InvalidRequest("correction.intent must not be empty")
    _lock_conversation(session, sender_id)
    message = session.execute(
        select(ConversationEvent.timestamp, ConversationEvent.text, ConversationEvent.data)
        .where(
            ConversationEvent.sender_id == sender_id,
            ConversationEvent.type_name == "user",
            _near(ConversationEvent.timestamp, correction.message_timestamp),
        )
        .order_by(func.abs(ConversationEvent.timestamp - correction.message_timestamp), ConversationEvent.id)
        .limit(1)
    ).first()
    if message is None:
        raise MessageNotFound(sender_id, correction.message_timestamp, "user message")
    timestamp = message.timestamp
    values = {
        "intent": correction.intent,
        "mapped_to": correction.mapped_to or None,
        "user_goal": correction.user_goal or None,
    }
    statement = (
        insert_for(session, MessageCorrectionRow)
        .values(sender_id=sender_id, message_timestamp=timestamp, **values)
        .on_conflict_do_update(index_elements=["sender_id", "message_timestamp"], set_=values)
    )
    session.connection().execute(statement)
    # The corrected message becomes a training example of that intent, which takes it out of the NLU inbox.
    training_examples.save_corrected_message(session, message.text, message.data, correction.intent, time.time())


def delete_message_correction(session: Session, sender_id: str, timestamp: float) -> None:
    """Remove the intent correction of the conversation's message at `timestamp`."""
    _require_conversation(session, sender_id)
    result = session.connection().execute(
        delete(MessageCorrectionRow).where(
            MessageCorrectionRow.sender_id == sender_id, _near(MessageCorrectionRow.message_timestamp, timestamp)
        )
    )
    if result.rowcount == 0:
        raise MessageNotFound(sender_id, timestamp, "intent correction")


def list_tags(session: Session) -> list[Tag]:
    """Every tag, sorted by value, with the conversations it is assigned to."""
    senders: dict[int, list[str]] = defaultdict(list)
    assignments = session.execute(
        select(ConversationTagAssignment.tag_id, ConversationTagAssignment.sender_id).order_by(
            ConversationTagAssignment.sender_id
        )
    )
    for tag_id, sender_id in assignments:
        senders[tag_id].append(sender_id)
    rows = session.execute(
        select(ConversationTag.id, ConversationTag.value, ConversationTag.color).order_by(ConversationTag.value)
    )
    return [Tag(row.id, row.value, row.color, senders[row.id]) for row in rows]


def list_conversation_tags(session: Session, sender_id: str) -> list[Tag]:
    """The tags assigned to a conversation, sorted by value."""
    _require_conversation(session, sender_id)
    return _conversation_tags(session, sender_id)


def add_conversation_tags(session: Session, sender_id: str, choices: Sequence[TagChoice]) -> list[Tag]:
    """Assign tags to a conversation, creating the ones named by a new value; all tags it has now.

    Every choice is checked before anything is written, so one bad choice changes nothing.
    """
    values_and_colors = [_checked(index, choice) for index, choice in enumerate(choices)]
    _lock_conversation(session, sender_id)
    for index, choice in enumerate(choices):
        if choice.id is not None and session.get(ConversationTag, choice.id) is None:
            raise NotFound(f"tags[{index}]: no tag with id {choice.id}")
    tag_ids = {
        choice.id if choice.id is not None else _tag_id_for(session, *checked)
        for choice, checked in zip(choices, values_and_colors, strict=True)
    }
    if tag_ids:
        insert = bulk_insert(
            session,
            ConversationTagAssignment,
            [{"sender_id": sender_id, "tag_id": tag_id} for tag_id in sorted(tag_ids)],
        )
        insert.execute(session, insert.statement.on_conflict_do_nothing())
    return _conversation_tags(session, sender_id)


def remove_conversation_tag(session: Session, sender_id: str, tag_id: int) -> None:
    """Unassign one tag from one conversation."""
    _require_conversation(session, sender_id)
    result = session.connection().execute(
        delete(ConversationTagAssignment).where(
            ConversationTagAssignment.sender_id == sender_id, ConversationTagAssignment.tag_id == tag_id
        )
    )
    if result.rowcount == 0:
        raise NotFound(f"tag {tag_id} is not assigned to conversation {sender_id!r}")


def delete_tag(session: Session, tag_id: int) -> None:
    """Delete a tag; the foreign key's ON DELETE CASCADE unassigns it everywhere."""
    result = session.connection().execute(delete(ConversationTag).where(ConversationTag.id == tag_id))
    if result.rowcount == 0:
        raise NotFound(f"no tag with id {tag_id}")


def _checked(index: int, choice: TagChoice) -> tuple[str, str]:
    """The (value, color) a choice by value names, normalised; ("", "") for a choice by id."""
    if choice.id is not None:
        return "", ""
    value = choice.value.strip()
    if not value:
        raise InvalidRequest(f"tags[{index}]: a tag needs an id or a non-empty value")
    if len(value) > MAX_TAG_LENGTH:
        raise InvalidRequest(f"tags[{index}]: value is {len(value)} characters long, at most {MAX_TAG_LENGTH} allowed")
    if not _COLOR.fullmatch(choice.color):
        raise InvalidRequest(f"tags[{index}]: color must be 6 hex digits such as 'ff8800', not {choice.color!r}")
    return value, choice.color.lower()


def _tag_id_for(session: Session, value: str, color: str) -> int:
    """The id of the tag with `value`, created with `color` if there is none (safe against a concurrent twin)."""
    existing = session.scalar(select(ConversationTag.id).where(ConversationTag.value == value))
    if existing is not None:
        return existing
    session.connection().execute(
        insert_for(session, ConversationTag)
        .values(value=value, color=color)
        .on_conflict_do_nothing(index_elements=["value"])
    )
    return session.scalars(select(ConversationTag.id).where(ConversationTag.value == value)).one()


def _conversation_tags(session: Session, sender_id: str) -> list[Tag]:
    rows = session.execute(
        select(ConversationTag.id, ConversationTag.value, ConversationTag.color)
        .join(ConversationTagAssignment, ConversationTagAssignment.tag_id == ConversationTag.id)
        .where(ConversationTagAssignment.sender_id == sender_id)
        .order_by(ConversationTag.value)
    )
    return [Tag(row.id, row.value, row.color) for row in rows]


def _require_conversation(session: Session, sender_id: str) -> None:
    if session.scalar(select(Conversation.sender_id).where(Conversation.sender_id == sender_id)) is None:
        raise ConversationNotFound(sender_id)


def _lock_conversation(session: Session, sender_id: str) -> None:
    """Check the conversation exists and, on PostgreSQL, hold its row until commit.

    Ingestion updates the same row, so e.g. has_flagged_messages is recomputed after or before a concurrent batch
    of the conversation, never in between; a concurrent delete cannot orphan what is being added.
    """
    found = session.scalar(select(Conversation.sender_id).where(Conversation.sender_id == sender_id).with_for_update())
    if found is None:
        raise ConversationNotFound(sender_id)


def _near(column: InstrumentedAttribute[float], timestamp: float) -> ColumnElement[bool]:
    return column.between(timestamp - TIMESTAMP_TOLERANCE, timestamp + TIMESTAMP_TOLERANCE)
