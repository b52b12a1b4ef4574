"""NLU training examples: text, intent and entities, one per distinct text (named by the md5 of the text)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import MessageLog, TrainingExample, TrainingExampleEntity
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound
from storage_service.queries.events import text_hash
from storage_service.queries.hashed_rows import by_id_or_hash
from storage_service.queries.upsert import bulk_insert
from storage_service.rasa_yaml.nlu import annotate_text, parse_annotated_text

# Rows per statement when many examples are written or looked up at once.
CHUNK = 1000


@dataclass(frozen=True)
class ExampleData:
    """An example as a client or a file gives it; `checked` turns it into one that can be stored."""

    text: str
    intent: str
    # {"start", "end", "entity", "value"}, plus "role" / "group" when set; a missing value is the span.
    entities: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    annotator: str | None = None
    annotated_at: float | None = None


@dataclass(frozen=True)
class ExampleFilter:
    """Which examples to list; a page of `limit` from `offset`."""

    limit: int
    offset: int = 0
    # Case-insensitive substring of the text; LIKE wildcards in it match literally.
    query: str = ""
    intents: Sequence[str] = ()
    # Annotated with any of these entities.
    entities: Sequence[str] = ()
    # True: only examples with entities; False: only those without; None: both.
    has_entities: bool | None = None


@dataclass(frozen=True)
class SavedExample:
    example: TrainingExample
    created: bool
    inbox_messages_removed: int


def checked(example: ExampleData) -> ExampleData:
    """The example with its entities in stored form ({start, end, entity, value[, role][, group]}, in text order).

    Raises InvalidRequest for a blank text or intent, an entity outside the text or without a name, and entities
    Rasa's markup cannot write (overlapping spans, "]" in a span, text that reads back as other annotations).
    """
    if not example.text.strip():
        raise InvalidRequest("an example's text must not be blank")
    if not example.intent.strip():
        raise InvalidRequest(f"example {example.text!r}: intent must not be blank")
    checked_entities = [_checked_entity(example.text, index, entity) for index, entity in enumerate(example.entities)]
    # In text order, as Rasa's markup reads them back (entities on one span keep their order).
    entities = sorted(checked_entities, key=lambda entity: (entity["start"], entity["end"]))
    try:
        annotated = annotate_text(example.text, entities)
        readable = parse_annotated_text(annotated) == (example.text, entities)
    except ValueError as error:
        raise InvalidRequest(f"example {example.text!r}: {error}") from None
    if not readable:
        raise InvalidRequest(f"example {example.text!r}: its text reads as entity annotations in Rasa's markup")
    return ExampleData(
        example.text, example.intent, entities, example.metadata, example.annotator, example.annotated_at
    )


def list_examples(session: Session, example_filter: ExampleFilter) -> tuple[list[TrainingExample], int]:
    """A page of the examples matching the filter, sorted by intent then text, and how many match in all."""
    conditions = _conditions(example_filter)
    total = session.scalar(select(func.count()).select_from(TrainingExample).where(*conditions)) or 0
    rows = session.scalars(
        select(TrainingExample)
        .where(*conditions)
        .order_by(TrainingExample.intent, TrainingExample.text, TrainingExample.id)
        .limit(example_filter.limit)
        .offset(example_filter.offset)
    ).all()
    return list(rows), total


def get_example(session: Session, example_id: int | None = None, example_hash: str | None = None) -> TrainingExample:
    """The example with this id, or else with this text hash."""
    return by_id_or_hash(session, TrainingExample, "training example", example_id, example_hash)


def save_example(session: Session, example: ExampleData) -> SavedExample:
    """Store an example, replacing the one with the same text; the NLU inbox messages with its text are removed."""
    data = checked(example)
    key = text_hash(data.text)
    row = session.scalar(select(TrainingExample).where(TrainingExample.hash == key).with_for_update())
    created = row is None
    if row is None:
        row = TrainingExample(hash=key, text=data.text)
        session.add(row)
    _assign(row, data)
    session.flush()
    _replace_entity_rows(session, row.id, data.entities)
    removed = session.connection().execute(delete(MessageLog).where(MessageLog.hash == key)).rowcount
    return SavedExample(row, created, removed)


def save_corrected_message(
    session: Session, text: str | None, event_json: str, intent: str, at: float
) -> SavedExample | None:
    """Save a reviewed user message as an example of the intent it was corrected to, keeping the entities Rasa
    parsed in it (those with a start and end that Rasa's markup can write); it leaves the NLU inbox.

    Nothing is saved (None) when the text cannot be an example: blank, read as markup, or a payload such as
    `/greet` (a button click names its intent; it is not something a user wrote).
    """
    if text is None or not text.strip() or text.lstrip().startswith("/"):
        return None
    for entities in (_parsed_entities(text, event_json), []):
        try:
            data = checked(ExampleData(text, intent, entities, annotated_at=at))
        except InvalidRequest:
            continue
        return save_example(session, data)
    return None


def update_example(session: Session, example_id: int, example: ExampleData) -> TrainingExample:
    """Replace the example with this id; AlreadyExists when its new text is another example's."""
    data = checked(example)
    row = session.get(TrainingExample, example_id, with_for_update=True)
    if row is None:
        raise NotFound(f"no training example with id {example_id}")
    key = text_hash(data.text)
    other = session.scalar(select(TrainingExample.id).where(TrainingExample.hash == key, TrainingExample.id != row.id))
    if other is not None:
        raise AlreadyExists(f"training example {other} already has the text {data.text!r}")
    row.hash, row.text = key, data.text
    _assign(row, data)
    session.flush()
    _replace_entity_rows(session, row.id, data.entities)
    return row


def delete_examples(session: Session, ids: Iterable[int]) -> int:
    """Delete the examples with these ids; how many there were."""
    wanted = sorted(set(ids))
    deleted = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        session.connection().execute(delete(TrainingExampleEntity).where(TrainingExampleEntity.example_id.in_(chunk)))
        deleted += session.connection().execute(delete(TrainingExample).where(TrainingExample.id.in_(chunk))).rowcount
    return deleted


def delete_examples_of_intent(session: Session, intent: str) -> int:
    """Delete every example of the intent; how many there were."""
    ids = session.scalars(select(TrainingExample.id).where(TrainingExample.intent == intent)).all()
    return delete_examples(session, ids)


def delete_all_examples(session: Session) -> None:
    session.connection().execute(delete(TrainingExampleEntity))
    session.connection().execute(delete(TrainingExample))


def replace_examples(session: Session, examples: Sequence[ExampleData]) -> int:
    """Replace every example with these (a text given twice: the later one); how many there are now."""
    distinct = _distinct(examples)
    delete_all_examples(session)
    _insert(session, distinct)
    return len(distinct)


def merge_examples(session: Session, examples: Sequence[ExampleData]) -> int:
    """Store these examples, replacing the ones with the same texts and keeping the others; how many were given."""
    distinct = _distinct(examples)
    keys = list(distinct)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        ids = session.scalars(select(TrainingExample.id).where(TrainingExample.hash.in_(chunk))).all()
        delete_examples(session, ids)
    _insert(session, distinct)
    return len(distinct)


def rename_examples_intent(session: Session, name: str, new_name: str) -> int:
    """Give the intent's examples the new intent name; how many there were."""
    statement = update(TrainingExample).where(TrainingExample.intent == name).values(intent=new_name)
    return int(session.connection().execute(statement).rowcount)


def entities_of(row: TrainingExample) -> list[dict[str, Any]]:
    """The stored entities of an example."""
    entities: list[dict[str, Any]] = json.loads(row.entities)
    return entities


def metadata_of(row: TrainingExample) -> dict[str, Any] | None:
    """The stored Rasa metadata of an example, None when it has none."""
    return json.loads(row.example_metadata) if row.example_metadata else None


def _checked_entity(text: str, index: int, entity: dict[str, Any]) -> dict[str, Any]:
    where = f"example {text!r}: entities[{index}]"
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise InvalidRequest(f"{where}: start and end must satisfy 0 <= start < end <= {len(text)}, not {start}, {end}")
    name = entity.get("entity")
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequest(f"{where}: the entity name must not be blank")
    value = entity.get("value") or text[start:end]
    if not isinstance(value, str):
        raise InvalidRequest(f"{where}: value must be a string")
    stored: dict[str, Any] = {"start": start, "end": end, "entity": name, "value": value}
    for key in ("role", "group"):
        if entity.get(key):
            if not isinstance(entity[key], str):
                raise InvalidRequest(f"{where}: {key} must be a string")
            stored[key] = entity[key]
    return stored


def _parsed_entities(text: str, event_json: str) -> list[dict[str, Any]]:
    """The entities of a user event's parse_data that name a part of the text, without overlaps."""
    try:
        event = json.loads(event_json)
    except ValueError:
        return []
    parse_data = event.get("parse_data") if isinstance(event, dict) else None
    parsed = parse_data.get("entities") if isinstance(parse_data, dict) else None
    found: list[dict[str, Any]] = []
    for entity in parsed if isinstance(parsed, list) else []:
        if not isinstance(entity, dict):
            continue
        start, end, name, value = (entity.get(key) for key in ("start", "end", "entity", "value"))
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            continue
        if not isinstance(name, str) or not name.strip():
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        stored: dict[str, Any] = {"start": start, "end": end, "entity": name}
        stored["value"] = value if isinstance(value, str) and value else text[start:end]
        stored.update(
            {key: entity[key] for key in ("role", "group") if isinstance(entity.get(key), str) and entity[key]}
        )
        found.append(stored)
    # Extractors may disagree: of entities on one span with one name, or partly overlapping, the first one counts.
    kept: list[dict[str, Any]] = []
    for entity in found:
        if not any(_clashes(entity, other) for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: (e["start"], e["end"]))


def _clashes(entity: dict[str, Any], other: dict[str, Any]) -> bool:
    if (entity["start"], entity["end"]) == (other["start"], other["end"]):
        return bool(entity["entity"] == other["entity"])
    return bool(entity["start"] < other["end"] and other["start"] < entity["end"])


def _assign(row: TrainingExample, data: ExampleData) -> None:
    row.intent = data.intent
    row.entities = json.dumps(data.entities, ensure_ascii=False)
    row.example_metadata = None if data.metadata is None else json.dumps(data.metadata, ensure_ascii=False)
    row.annotator = data.annotator
    row.annotated_at = data.annotated_at


def _replace_entity_rows(session: Session, example_id: int, entities: list[dict[str, Any]]) -> None:
    session.connection().execute(delete(TrainingExampleEntity).where(TrainingExampleEntity.example_id == example_id))
    if entities:
        rows = [_entity_row(example_id, position, entity) for position, entity in enumerate(entities)]
        bulk_insert(session, TrainingExampleEntity, rows).execute(session)


def _entity_row(example_id: int, position: int, entity: dict[str, Any]) -> dict[str, Any]:
    return {"example_id": example_id, "position": position, "entity": entity["entity"], "value": entity["value"]}


def _distinct(examples: Sequence[ExampleData]) -> dict[str, ExampleData]:
    """The checked examples by text hash; of two with the same text, the later one."""
    distinct: dict[str, ExampleData] = {}
    for example in examples:
        data = checked(example)
        key = text_hash(data.text)
        distinct.pop(key, None)  # the later one also takes the later place
        distinct[key] = data
    return distinct


def _insert(session: Session, examples: dict[str, ExampleData]) -> None:
    """Insert examples whose texts are not stored yet, with their entity rows."""
    keys = list(examples)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows = [_example_row(key, examples[key]) for key in chunk]
        bulk_insert(session, TrainingExample, rows).execute(session)
        ids = dict(
            session.execute(
                select(TrainingExample.hash, TrainingExample.id).where(TrainingExample.hash.in_(chunk))
            ).all()
        )
        entity_rows = [
            _entity_row(ids[key], position, entity)
            for key in chunk
            for position, entity in enumerate(examples[key].entities)
        ]
        if entity_rows:
            bulk_insert(session, TrainingExampleEntity, entity_rows).execute(session)


def _example_row(key: str, data: ExampleData) -> dict[str, Any]:
    return {
        "hash": key,
        "text": data.text,
        "intent": data.intent,
        "entities": json.dumps(data.entities, ensure_ascii=False),
        "metadata": None if data.metadata is None else json.dumps(data.metadata, ensure_ascii=False),
        "annotator": data.annotator,
        "annotated_at": data.annotated_at,
    }


def _conditions(example_filter: ExampleFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if example_filter.query:
        escaped = example_filter.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(TrainingExample.text.ilike(f"%{escaped}%", escape="\\"))
    if example_filter.intents:
        conditions.append(TrainingExample.intent.in_(example_filter.intents))
    annotated = select(TrainingExampleEntity.example_id).where(TrainingExampleEntity.example_id == TrainingExample.id)
    if example_filter.entities:
        conditions.append(exists(annotated.where(TrainingExampleEntity.entity.in_(example_filter.entities))))
    if example_filter.has_entities is True:
        conditions.append(exists(annotated))
    elif example_filter.has_entities is False:
        conditions.append(~exists(annotated))
    return conditions
