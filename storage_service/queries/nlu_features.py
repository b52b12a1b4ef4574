"""Entity synonyms, regex features and lookup tables of the NLU training data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage_service.models import (
    EntitySynonym,
    EntitySynonymValue,
    LookupTable,
    RegexFeature,
    TrainingExampleEntity,
)
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound


@dataclass(frozen=True)
class SynonymValue:
    id: int
    value: str
    # How many example entities have this value.
    example_count: int


@dataclass(frozen=True)
class Synonym:
    id: int
    reference: str
    # In the order they were mapped.
    values: list[SynonymValue]


@dataclass(frozen=True)
class Lookup:
    id: int
    name: str
    elements: list[str]


def list_synonyms(session: Session, mapped_value: str = "") -> list[Synonym]:
    """Every synonym (only the one mapping `mapped_value`, when given), sorted by reference."""
    query = select(EntitySynonym.id).order_by(EntitySynonym.reference)
    if mapped_value:
        query = query.join(EntitySynonymValue, EntitySynonymValue.synonym_id == EntitySynonym.id).where(
            EntitySynonymValue.value == mapped_value
        )
    return _synonyms(session, list(session.scalars(query)))


def get_synonym(session: Session, synonym_id: int) -> Synonym:
    """The synonym with this id and its mapped values."""
    found = _synonyms(session, [synonym_id])
    if not found:
        raise NotFound(f"no synonym with id {synonym_id}")
    return found[0]


def create_synonym(session: Session, reference: str, values: Sequence[str]) -> Synonym:
    """Create a synonym mapping `values` to `reference`; AlreadyExists when the reference or a value is taken."""
    _check_text(reference, "reference")
    if session.scalar(select(EntitySynonym.id).where(EntitySynonym.reference == reference)) is not None:
        raise AlreadyExists(f"a synonym with the reference {reference!r} already exists")
    synonym = EntitySynonym(reference=reference)
    session.add(synonym)
    session.flush()
    map_values(session, synonym.id, values, move=False)
    return get_synonym(session, synonym.id)


def rename_synonym(session: Session, synonym_id: int, reference: str) -> Synonym:
    """Change a synonym's reference value; AlreadyExists when another synonym has it."""
    _check_text(reference, "reference")
    _require_synonym(session, synonym_id)
    other = session.scalar(
        select(EntitySynonym.id).where(EntitySynonym.reference == reference, EntitySynonym.id != synonym_id)
    )
    if other is not None:
        raise AlreadyExists(f"synonym {other} already has the reference {reference!r}")
    session.connection().execute(
        update(EntitySynonym).where(EntitySynonym.id == synonym_id).values(reference=reference)
    )
    return get_synonym(session, synonym_id)


def delete_synonym(session: Session, synonym_id: int) -> None:
    """Delete a synonym and its mapped values."""
    connection = session.connection()
    connection.execute(delete(EntitySynonymValue).where(EntitySynonymValue.synonym_id == synonym_id))
    if connection.execute(delete(EntitySynonym).where(EntitySynonym.id == synonym_id)).rowcount == 0:
        raise NotFound(f"no synonym with id {synonym_id}")


def add_synonym_values(session: Session, synonym_id: int, values: Sequence[str]) -> Synonym:
    """Map more values to a synonym; AlreadyExists when one is mapped to another synonym."""
    _require_synonym(session, synonym_id)
    map_values(session, synonym_id, values, move=False)
    return get_synonym(session, synonym_id)


def map_values(session: Session, synonym_id: int, values: Iterable[str], move: bool) -> None:
    """Map the values to the synonym; one mapped to another synonym moves when `move`, else AlreadyExists."""
    wanted = list(dict.fromkeys(values))
    for value in wanted:
        _check_text(value, "a mapped value")
    owners = _value_owners(session, wanted)
    for value in wanted:
        owner = owners.get(value)
        if owner is None:
            session.add(EntitySynonymValue(synonym_id=synonym_id, value=value))
        elif owner != synonym_id:
            if not move:
                raise AlreadyExists(f"the value {value!r} is already mapped by synonym {owner}")
            session.connection().execute(
                update(EntitySynonymValue).where(EntitySynonymValue.value == value).values(synonym_id=synonym_id)
            )
    session.flush()


def update_synonym_value(session: Session, synonym_id: int, value_id: int, value: str) -> Synonym:
    """Change one mapped value of a synonym; AlreadyExists when the new value is mapped already."""
    _check_text(value, "value")
    _require_value(session, synonym_id, value_id)
    owner = session.scalar(
        select(EntitySynonymValue.synonym_id).where(
            EntitySynonymValue.value == value, EntitySynonymValue.id != value_id
        )
    )
    if owner is not None:
        raise AlreadyExists(f"the value {value!r} is already mapped by synonym {owner}")
    session.connection().execute(
        update(EntitySynonymValue).where(EntitySynonymValue.id == value_id).values(value=value)
    )
    return get_synonym(session, synonym_id)


def delete_synonym_value(session: Session, synonym_id: int, value_id: int) -> None:
    """Remove one mapped value from a synonym."""
    _require_value(session, synonym_id, value_id)
    session.connection().execute(delete(EntitySynonymValue).where(EntitySynonymValue.id == value_id))


def delete_all_synonyms(session: Session) -> None:
    session.connection().execute(delete(EntitySynonymValue))
    session.connection().execute(delete(EntitySynonym))


def synonym_id_for(session: Session, reference: str) -> int:
    """The id of the synonym with this reference, created when there is none."""
    _check_text(reference, "reference")
    found = session.scalar(select(EntitySynonym.id).where(EntitySynonym.reference == reference))
    if found is not None:
        return found
    synonym = EntitySynonym(reference=reference)
    session.add(synonym)
    session.flush()
    return synonym.id


def list_regexes(session: Session, limit: int, offset: int) -> tuple[list[RegexFeature], int]:
    """A page of the regex features, sorted by name then id, and how many there are."""
    total = session.scalar(select(func.count()).select_from(RegexFeature)) or 0
    rows = session.scalars(
        select(RegexFeature).order_by(RegexFeature.name, RegexFeature.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def get_regex(session: Session, regex_id: int) -> RegexFeature:
    found = session.get(RegexFeature, regex_id)
    if found is None:
        raise NotFound(f"no regex feature with id {regex_id}")
    return found


def create_regex(session: Session, name: str, pattern: str) -> RegexFeature:
    """Add a pattern to a regex feature; InvalidRequest when it does not compile, AlreadyExists when stored."""
    _check_regex(session, name, pattern, None)
    row = RegexFeature(name=name, pattern=pattern)
    session.add(row)
    session.flush()
    return row


def update_regex(session: Session, regex_id: int, name: str, pattern: str) -> RegexFeature:
    """Change a regex feature's name and pattern."""
    row = get_regex(session, regex_id)
    _check_regex(session, name, pattern, regex_id)
    row.name, row.pattern = name, pattern
    session.flush()
    return row


def delete_regex(session: Session, regex_id: int) -> None:
    if session.connection().execute(delete(RegexFeature).where(RegexFeature.id == regex_id)).rowcount == 0:
        raise NotFound(f"no regex feature with id {regex_id}")


def add_regexes(session: Session, regexes: Iterable[tuple[str, str]]) -> None:
    """Add the (name, pattern) regex features that are not stored yet."""
    stored = {(row.name, row.pattern) for row in session.execute(select(RegexFeature.name, RegexFeature.pattern))}
    for name, pattern in regexes:
        if (name, pattern) not in stored:
            _check_pattern(name, pattern)
            session.add(RegexFeature(name=name, pattern=pattern))
            stored.add((name, pattern))
    session.flush()


def delete_all_regexes(session: Session) -> None:
    session.connection().execute(delete(RegexFeature))


def list_lookup_tables(session: Session) -> list[tuple[int, str, int]]:
    """(id, name, element count) of every lookup table, sorted by name."""
    rows = session.execute(select(LookupTable.id, LookupTable.name, LookupTable.elements).order_by(LookupTable.name))
    return [(row.id, row.name, len(json.loads(row.elements))) for row in rows]


def all_lookup_tables(session: Session) -> list[Lookup]:
    """Every lookup table with its elements, sorted by name."""
    rows = session.scalars(select(LookupTable).order_by(LookupTable.name))
    return [Lookup(row.id, row.name, json.loads(row.elements)) for row in rows]


def get_lookup_table(session: Session, lookup_id: int) -> Lookup:
    row = session.get(LookupTable, lookup_id)
    if row is None:
        raise NotFound(f"no lookup table with id {lookup_id}")
    return Lookup(row.id, row.name, json.loads(row.elements))


def create_lookup_table(session: Session, name: str, elements: Sequence[str]) -> Lookup:
    """Create a lookup table (elements kept in order, repeats dropped); AlreadyExists when the name is taken."""
    _check_text(name, "name")
    if session.scalar(select(LookupTable.id).where(LookupTable.name == name)) is not None:
        raise AlreadyExists(f"a lookup table named {name!r} already exists")
    row = LookupTable(name=name, elements=json.dumps(_elements(elements), ensure_ascii=False))
    session.add(row)
    session.flush()
    return Lookup(row.id, row.name, json.loads(row.elements))


def set_lookup_table(session: Session, name: str, elements: Sequence[str]) -> None:
    """Create a lookup table or replace the elements of the one with this name."""
    _check_text(name, "name")
    encoded = json.dumps(_elements(elements), ensure_ascii=False)
    row = session.scalar(select(LookupTable).where(LookupTable.name == name))
    if row is None:
        session.add(LookupTable(name=name, elements=encoded))
    else:
        row.elements = encoded
    session.flush()


def delete_lookup_table(session: Session, lookup_id: int) -> None:
    if session.connection().execute(delete(LookupTable).where(LookupTable.id == lookup_id)).rowcount == 0:
        raise NotFound(f"no lookup table with id {lookup_id}")


def delete_all_lookup_tables(session: Session) -> None:
    session.connection().execute(delete(LookupTable))


def _synonyms(session: Session, ids: list[int]) -> list[Synonym]:
    if not ids:
        return []
    references = dict(
        session.execute(select(EntitySynonym.id, EntitySynonym.reference).where(EntitySynonym.id.in_(ids))).all()
    )
    values = session.execute(
        select(EntitySynonymValue.id, EntitySynonymValue.synonym_id, EntitySynonymValue.value)
        .where(EntitySynonymValue.synonym_id.in_(ids))
        .order_by(EntitySynonymValue.id)
    ).all()
    counts = dict(
        session.execute(
            select(TrainingExampleEntity.value, func.count())
            .where(TrainingExampleEntity.value.in_({row.value for row in values}))
            .group_by(TrainingExampleEntity.value)
        ).all()
    )
    mapped: dict[int, list[SynonymValue]] = {}
    for row in values:
        mapped.setdefault(row.synonym_id, []).append(SynonymValue(row.id, row.value, counts.get(row.value, 0)))
    return [Synonym(i, references[i], mapped.get(i, [])) for i in ids if i in references]


def _value_owners(session: Session, values: list[str]) -> dict[str, int]:
    """The synonym each of these values is mapped to, for those that are."""
    if not values:
        return {}
    query = select(EntitySynonymValue.value, EntitySynonymValue.synonym_id).where(EntitySynonymValue.value.in_(values))
    return dict(session.execute(query).all())


def _require_synonym(session: Session, synonym_id: int) -> None:
    if session.get(EntitySynonym, synonym_id) is None:
        raise NotFound(f"no synonym with id {synonym_id}")


def _require_value(session: Session, synonym_id: int, value_id: int) -> None:
    _require_synonym(session, synonym_id)
    owner = session.scalar(select(EntitySynonymValue.synonym_id).where(EntitySynonymValue.id == value_id))
    if owner != synonym_id:
        raise NotFound(f"synonym {synonym_id} has no mapped value with id {value_id}")


def _check_regex(session: Session, name: str, pattern: str, regex_id: int | None) -> None:
    _check_pattern(name, pattern)
    same = select(RegexFeature.id).where(RegexFeature.name == name, RegexFeature.pattern == pattern)
    if regex_id is not None:
        same = same.where(RegexFeature.id != regex_id)
    if session.scalar(same) is not None:
        raise AlreadyExists(f"the regex feature {name!r} already has the pattern {pattern!r}")


def _check_pattern(name: str, pattern: str) -> None:
    _check_text(name, "name")
    _check_text(pattern, "pattern")
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise InvalidRequest(f"regex {name!r}: the pattern {pattern!r} does not compile: {error}") from None


def _elements(elements: Sequence[str]) -> list[str]:
    for index, element in enumerate(elements):
        _check_text(element, f"elements[{index}]")
    return list(dict.fromkeys(elements))


def _check_text(value: str, what: str) -> None:
    if not value.strip():
        raise InvalidRequest(f"{what} must not be blank")
