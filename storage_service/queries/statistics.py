"""Aggregates over all conversations: the values a filter can take, and the statistics page's counters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Select, Subquery, func, literal, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import Conversation, ConversationAttribute
from storage_service.queries import bytewise
from storage_service.queries.conversation_filter import contains_ignoring_case, slot_prefix
from storage_service.queries.errors import InvalidRequest

TOP_KINDS = ("intent", "action", "entity", "policy")


class FilterOption(Enum):
    """What ListConversationFilterOptions lists."""

    INTENT = "intent"
    ENTITY = "entity"
    ACTION = "action"
    POLICY = "policy"
    SLOT_NAME = "slot_name"
    SLOT_VALUE = "slot_value"
    INPUT_CHANNEL = "input_channel"


@dataclass(frozen=True)
class Statistics:
    conversations: int
    events: int
    user_messages: int
    bot_messages: int
    # kind ("intent", "action", "entity", "policy") -> (value, conversations it occurs in), most frequent first
    top: dict[str, list[tuple[str, int]]]


def filter_options(session: Session, option: FilterOption, slot_name: str, query: str, limit: int) -> list[str]:
    """Distinct values of `option` containing `query` (case-insensitive), sorted, at most `limit`."""
    if option is FilterOption.SLOT_VALUE and not slot_name:
        raise InvalidRequest("slot_name is required to list slot values")
    values = _distinct_values(session, option, slot_name)
    where = [contains_ignoring_case(values.c.value, query)] if query else []
    return list(session.scalars(select(values.c.value).where(*where).order_by(values.c.value).limit(limit)))


def _distinct_values(session: Session, option: FilterOption, slot_name: str) -> Subquery:
    """The distinct values of `option`, as a subquery with the column `value`."""
    if option is FilterOption.INPUT_CHANNEL:
        channel = Conversation.latest_input_channel
        return select(channel.label("value")).where(channel.is_not(None), channel != "").distinct().subquery()
    if option is FilterOption.SLOT_NAME:
        # After a name's first value, skip every other value of that name: the next value is at least "name;".
        names = _loose_scan(
            "slot", lambda candidate, previous: bytewise.at_least(candidate, _name(session, previous) + ";")
        )
        slot = names.subquery()
        return select(_name(session, slot.c.value).label("value")).subquery()
    if option is FilterOption.SLOT_VALUE:
        prefix = slot_prefix(slot_name)
        values = _loose_scan("slot", within=(prefix, prefix[:-1] + ";")).subquery()
        return select(func.substr(values.c.value, len(prefix) + 1).label("value")).subquery()
    return _loose_scan(option.value).subquery()


def statistics(session: Session, top: int) -> Statistics:
    """Message counters over all conversations and the `top` most frequent intents, actions, entities and
    policies, each counted in conversations, most frequent first (ties by value)."""
    totals = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Conversation.number_events), 0),
            func.coalesce(func.sum(Conversation.number_user_messages), 0),
            func.coalesce(func.sum(Conversation.number_bot_messages), 0),
        )
    ).one()
    attribute = ConversationAttribute
    occurrences = func.count()
    ranked = (
        select(
            attribute.kind,
            attribute.value,
            occurrences.label("occurrences"),
            func.row_number()
            .over(partition_by=attribute.kind, order_by=(occurrences.desc(), attribute.value))
            .label("rank"),
        )
        .where(attribute.kind.in_(TOP_KINDS))
        .group_by(attribute.kind, attribute.value)
        .subquery()
    )
    tops: dict[str, list[tuple[str, int]]] = {kind: [] for kind in TOP_KINDS}
    for kind, value, count in session.execute(
        select(ranked.c.kind, ranked.c.value, ranked.c.occurrences)
        .where(ranked.c.rank <= top)
        .order_by(ranked.c.kind, ranked.c.rank)
    ):
        tops[kind].append((value, count))
    return Statistics(
        conversations=totals[0],
        events=int(totals[1]),
        user_messages=int(totals[2]),
        bot_messages=int(totals[3]),
        top=tops,
    )


def _loose_scan(
    kind: str,
    step: Callable[[Any, Any], ColumnElement[bool]] = bytewise.after,
    within: tuple[str, str] | None = None,
) -> Select[tuple[str]]:
    """The distinct values of `kind` attributes (within [low, high) byte for byte) by a loose index scan: a
    recursive query probes the (kind, value, sender_id) index once per distinct value instead of reading every
    conversation's row. `step(candidate, previous)` says which value may come next (default: any after it)."""

    def first(condition: Callable[[Any], ColumnElement[bool]] | None = None) -> Any:
        attribute = aliased(ConversationAttribute)
        where = [attribute.kind == kind]
        if within is not None:
            where.append(bytewise.between(attribute.value, literal(within[0]), literal(within[1])))
        if condition is not None:
            where.append(condition(attribute.value))
        ordered = select(attribute.value).where(*where).order_by(bytewise.ascending(attribute.value))
        return ordered.limit(1).scalar_subquery()

    found = select(first().label("value")).cte("distinct_value", recursive=True)
    following = select(first(lambda candidate: step(candidate, found.c.value))).where(found.c.value.is_not(None))
    found = found.union_all(following)
    return select(found.c.value).where(found.c.value.is_not(None))


def _name(session: Session, slot: Any) -> Any:
    """The name part of a slot attribute value ("name:value")."""
    if session.get_bind().dialect.name == "postgresql":
        return func.split_part(slot, ":", 1)
    return func.substr(slot, 1, func.instr(slot, ":") - 1)
