"""The conversation list's filter and order (Rasa X's query parameters, RASA_X_API.md §3) as SQL conditions.

Each condition is a predicate on one `conversation` row, so the same conditions serve the page, its total and
the export. Set-valued properties (intents, entities, actions, policies, slots, environments, tags, user message
texts) are EXISTS subqueries on indexed tables: the planner either walks the conversations newest first and
probes each one by primary key, or collects the few matching conversations from the index, whichever is cheaper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, distinct, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import (
    CONFIDENCE_ORDER,
    Conversation,
    ConversationAttribute,
    ConversationEvent,
    ConversationTagAssignment,
)
from storage_service.queries import bytewise

LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class SlotCondition:
    """A slot named exactly `name` was set to a value containing `value` (case-insensitive)."""

    name: str
    value: str = ""


@dataclass(frozen=True)
class ConversationFilter:
    """Which conversations to list: unset fields match everything; lists match when ANY of their values does."""

    start: float | None = None
    until: float | None = None
    intents: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    slots: tuple[SlotCondition, ...] = ()
    input_channels: tuple[str, ...] = ()
    text: str = ""
    minimum_user_messages: int = 0
    minimum_action_confidence: float | None = None
    maximum_action_confidence: float | None = None
    minimum_intent_confidence: float | None = None
    maximum_intent_confidence: float | None = None
    in_training_data: bool | None = None
    # As conversation.review_status stores it ("unread", "reviewed", "saved_for_later"); None: any.
    review_status: str | None = None
    tag_ids: tuple[int, ...] = ()
    flagged_only: bool = False
    exclude_interactive: bool = False
    exclude_created_by: str = ""
    created_by: str = ""
    rasa_environment: str = ""


@dataclass(frozen=True)
class ConversationOrder:
    """Rasa X's two sort flags; with both unset the order is by sender id."""

    by_latest_event_time: bool = True
    # Highest minimum action confidence first; applies only when filtering on in_training_data=false.
    by_confidence: bool = False


def conditions(wanted: ConversationFilter) -> list[ColumnElement[bool]]:
    """SQL conditions on `conversation` rows that together select the conversations `wanted` describes."""
    found = _column_conditions(wanted)
    for kind, values in _attribute_filters(wanted):
        found.append(_has_attribute(Conversation.sender_id, kind, values))
    return found + _other_memberships(wanted, Conversation.sender_id)


def count_statement(wanted: ConversationFilter) -> Select[int]:
    """SELECT how many conversations `wanted` selects.

    When every condition is about what a conversation contains (attributes, tags, texts) and one is an attribute,
    the count needs no conversation row: it counts that attribute's index entries (every attribute row belongs to a
    conversation), probing the others per sender, instead of joining every matching conversation.
    """
    attributes = _attribute_filters(wanted)
    if _column_conditions(wanted) or not attributes:
        return select(func.count()).select_from(Conversation).where(*conditions(wanted))
    (kind, values), rest = attributes[0], attributes[1:]
    driver = aliased(ConversationAttribute)
    # A sender has one row per (kind, value): with one value, each counted row is a different conversation.
    counted = func.count() if len(values) == 1 else func.count(distinct(driver.sender_id))
    return select(counted).where(
        driver.kind == kind,
        driver.value.in_(values),
        *(_has_attribute(driver.sender_id, other_kind, other_values) for other_kind, other_values in rest),
        *_other_memberships(wanted, driver.sender_id),
    )


def _column_conditions(wanted: ConversationFilter) -> list[ColumnElement[bool]]:
    """The conditions on the conversation row's own columns."""
    c = Conversation
    found: list[ColumnElement[bool]] = []
    _add_bounds(found, c.latest_event_time, wanted.start, wanted.until)
    _add_bounds(found, c.minimum_action_confidence, wanted.minimum_action_confidence, wanted.maximum_action_confidence)
    _add_bounds(found, c.minimum_intent_confidence, wanted.minimum_intent_confidence, wanted.maximum_intent_confidence)
    if wanted.input_channels:
        found.append(c.latest_input_channel.in_(sorted(set(wanted.input_channels))))
    if wanted.minimum_user_messages > 0:
        found.append(c.number_user_messages >= wanted.minimum_user_messages)
    if wanted.in_training_data is not None:
        found.append(c.in_training_data.is_(wanted.in_training_data))
    if wanted.review_status is not None:
        found.append(c.review_status == wanted.review_status)
    if wanted.flagged_only:
        found.append(c.has_flagged_messages.is_(True))
    if wanted.exclude_interactive:
        found.append(c.interactive.is_(False))
    if wanted.exclude_created_by:
        found.append(or_(c.created_by.is_(None), c.created_by != wanted.exclude_created_by))
    if wanted.created_by:
        found.append(c.created_by == wanted.created_by)
    return found


def _attribute_filters(wanted: ConversationFilter) -> list[tuple[str, list[str]]]:
    """(kind, any of these values) for each attribute condition; the environment, rarely selective, last."""
    found = [
        (kind, sorted(set(values)))
        for kind, values in (
            ("intent", wanted.intents),
            ("entity", wanted.entities),
            ("action", wanted.actions),
            ("policy", wanted.policies),
        )
        if values
    ]
    if wanted.rasa_environment:
        found.append(("environment", [wanted.rasa_environment]))
    return found


def _other_memberships(wanted: ConversationFilter, sender: Any) -> list[ColumnElement[bool]]:
    """The slot, text and tag conditions on the conversation whose sender id is `sender`."""
    found: list[ColumnElement[bool]] = []
    if wanted.slots:
        found.append(or_(*(_has_slot(sender, slot) for slot in wanted.slots)))
    if wanted.text:
        found.append(_has_user_text(sender, wanted.text))
    if wanted.tag_ids:
        tagged = ConversationTagAssignment
        found.append(exists().where(tagged.sender_id == sender, tagged.tag_id.in_(sorted(set(wanted.tag_ids)))))
    return found


def order_by(wanted: ConversationFilter, order: ConversationOrder) -> list[Any]:
    """ORDER BY terms: confidence first when asked and filtering on in_training_data=false, then latest event
    time when asked, and the sender id last so that pages never overlap."""
    terms: list[Any] = []
    if order.by_confidence and wanted.in_training_data is False:
        terms.append(CONFIDENCE_ORDER.desc())  # unknown confidences last; an index serves this order
    if order.by_latest_event_time:
        terms.append(Conversation.latest_event_time.desc())
    terms.append(Conversation.sender_id)
    return terms


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards escaped (use with escape=LIKE_ESCAPE), so that it matches only itself."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def contains_ignoring_case(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text`, case-insensitive, wildcards in `text` taken literally.

    Written as lower(column) LIKE lower('%text%'): the index on lower(conversation_event.text) (pg_trgm) serves
    exactly this expression, and both databases lower both sides the same way.
    """
    return func.lower(column).like(func.lower(literal(f"%{escape_like(text)}%")), escape=LIKE_ESCAPE)


def slot_prefix(name: str) -> str:
    """How a slot attribute value of slot `name` starts ("name:value")."""
    return f"{name}:"


def slot_attribute_of(name: str) -> ColumnElement[bool]:
    """The attribute row is a value of the slot named exactly `name`: its value is in ["name:", "name;") byte for
    byte, an index range on both databases (and a good row estimate for PostgreSQL's planner)."""
    prefix = slot_prefix(name)
    return and_(
        ConversationAttribute.kind == "slot",
        bytewise.between(ConversationAttribute.value, literal(prefix), literal(prefix[:-1] + ";")),
    )


def slot_value_of(name: str) -> ColumnElement[str]:
    """The value part of a slot attribute of slot `name`."""
    return func.substr(ConversationAttribute.value, len(slot_prefix(name)) + 1)


def _add_bounds(found: list[ColumnElement[bool]], column: Any, low: float | None, high: float | None) -> None:
    if low is not None:
        found.append(column >= low)
    if high is not None:
        found.append(column <= high)


def _has_attribute(sender: Any, kind: str, values: list[str]) -> ColumnElement[bool]:
    attribute = aliased(ConversationAttribute)
    return exists().where(attribute.sender_id == sender, attribute.kind == kind, attribute.value.in_(values))


def _has_slot(sender: Any, slot: SlotCondition) -> ColumnElement[bool]:
    matching = [slot_attribute_of(slot.name)]
    if slot.value:
        matching.append(contains_ignoring_case(slot_value_of(slot.name), slot.value))
    return exists().where(ConversationAttribute.sender_id == sender, *matching)


def _has_user_text(sender: Any, text: str) -> ColumnElement[bool]:
    event = ConversationEvent
    return exists(
        select(literal(1)).where(
            event.sender_id == sender,
            event.text.is_not(None),  # the partial index's predicate, so the planner may use it
            contains_ignoring_case(event.text, text),
        )
    )
