"""The domain and config.yml: intents, actions and responses as rows, every other domain key and the config as
documents."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, or_, select, type_coerce, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import BotResponse, DomainAction, DomainIntent, ProjectDocument, Story
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound
from storage_service.rasa_yaml.config import check_config_yaml
from storage_service.rasa_yaml.domain import Domain, parse_domain, parse_domain_yaml, render_domain

DOMAIN_DOCUMENT, CONFIG_DOCUMENT = "domain", "config"
Entries = list[tuple[str, dict[str, Any] | None]]


@dataclass(frozen=True)
class ResponseFilter:
    """Which response variations to list, by name then in the order created; a page of `limit` from `offset`."""

    limit: int
    offset: int = 0
    # Case-insensitive substring of the name or the text.
    query: str = ""
    # Only the variations of this response; empty: any.
    name: str = ""


def get_domain_yaml(session: Session) -> str:
    """The stored domain, responses included, as a Rasa 3 domain file ("" when nothing is stored)."""
    return render_domain(export_domain(session) or Domain([], [], {}, {}))


def replace_domain(session: Session, text: str, store_responses: bool, annotator: str | None, at: float) -> str:
    """Make the domain in the YAML `text` the stored one; its responses too only with `store_responses`.
    The stored domain afterwards, as YAML."""
    domain = parse_domain_yaml(text, "domain.yml")
    _store_intents(session, domain.intents)
    _store_actions(session, domain.actions)
    _store_rest(session, domain.rest)
    if store_responses:
        session.connection().execute(delete(BotResponse))
        _add_responses(session, domain.responses, annotator, at)
    return get_domain_yaml(session)


def import_domain(session: Session, domain: Domain, replace: bool, annotator: str | None, at: float) -> None:
    """Store an imported domain. With `replace` it becomes the stored domain, responses included. Otherwise it is
    merged in: intents, actions, entities and e2e_actions united keeping their order (an entry with properties
    replaces a stored one), slots, forms and responses merged by name (the file's win; a response named in the file
    replaces all stored variations of that name), session_config and other keys taken from the file when present."""
    if replace:
        merged = domain
        session.connection().execute(delete(BotResponse))
    else:
        stored = export_domain(session) or Domain([], [], {}, {})
        merged = Domain(
            _unite(stored.intents, domain.intents),
            _unite(stored.actions, domain.actions),
            domain.responses,
            _merged_rest(stored.rest, domain.rest),
        )
        session.connection().execute(delete(BotResponse).where(BotResponse.name.in_(list(domain.responses))))
    _store_intents(session, merged.intents)
    _store_actions(session, merged.actions)
    _store_rest(session, merged.rest)
    _add_responses(session, domain.responses, annotator, at)


def export_domain(session: Session) -> Domain | None:
    """The stored domain, responses included; None when nothing of a domain is stored."""
    intents = [
        (row.name, _loads(row.properties))
        for row in session.scalars(select(DomainIntent).order_by(DomainIntent.position, DomainIntent.name))
    ]
    actions = [
        (row.name, _loads(row.properties))
        for row in session.scalars(select(DomainAction).order_by(DomainAction.position, DomainAction.id))
    ]
    responses: dict[str, list[dict[str, Any]]] = {}
    for name, content in session.execute(select(BotResponse.name, BotResponse.content).order_by(BotResponse.id)):
        responses.setdefault(name, []).append(json.loads(content))
    document = session.get(ProjectDocument, DOMAIN_DOCUMENT)
    if not intents and not actions and not responses and document is None:
        return None
    return Domain(intents, actions, responses, json.loads(document.content) if document else {})


def list_responses(session: Session, response_filter: ResponseFilter) -> tuple[list[BotResponse], int]:
    """A page of the response variations matching the filter, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if response_filter.name:
        conditions.append(BotResponse.name == response_filter.name)
    if response_filter.query:
        pattern = _contains(response_filter.query)
        conditions.append(
            or_(BotResponse.name.ilike(pattern, escape="\\"), _response_text(session).ilike(pattern, escape="\\"))
        )
    total = session.scalar(select(func.count()).select_from(BotResponse).where(*conditions)) or 0
    statement = select(BotResponse).where(*conditions).order_by(BotResponse.name, BotResponse.id)
    rows = session.scalars(statement.limit(response_filter.limit).offset(response_filter.offset)).all()
    return list(rows), total


def create_response(session: Session, name: str, content_json: str, annotator: str | None, at: float) -> BotResponse:
    """Add a variation to the response `name`."""
    row = BotResponse(name=name, content=_variation(name, content_json), annotator=annotator, annotated_at=at)
    session.add(row)
    session.flush()
    return row


def update_response(
    session: Session, response_id: int, name: str, content_json: str, annotator: str | None, at: float
) -> BotResponse:
    """Replace the variation with this id (its name too)."""
    row = session.get(BotResponse, response_id)
    if row is None:
        raise NotFound(f"no response with id {response_id}")
    row.content = _variation(name, content_json)
    row.name, row.annotator, row.annotated_at = name, annotator, at
    session.flush()
    return row


def delete_responses(session: Session, response_ids: Sequence[int]) -> int:
    """Delete the variations with these ids; how many of them there were."""
    if not response_ids:
        raise InvalidRequest("name at least one response id")
    return session.connection().execute(delete(BotResponse).where(BotResponse.id.in_(response_ids))).rowcount


def replace_responses(session: Session, responses: Sequence[tuple[str, str, str | None, float]]) -> int:
    """Replace every response with these (name, content JSON, annotator, time) variations; how many there are."""
    rows = [
        {"name": name, "content": _variation(name, content_json), "annotator": annotator, "annotated_at": at}
        for name, content_json, annotator, at in responses
    ]
    session.connection().execute(delete(BotResponse))
    if rows:
        session.connection().execute(insert(BotResponse), rows)
    return len(rows)


def list_response_groups(session: Session, query: str = "") -> list[tuple[str, int]]:
    """Response names containing `query` (case-insensitive), by name, with their number of variations."""
    statement = select(BotResponse.name, func.count()).group_by(BotResponse.name).order_by(BotResponse.name)
    if query:
        statement = statement.where(BotResponse.name.ilike(_contains(query), escape="\\"))
    return [(name, count) for name, count in session.execute(statement)]


def rename_response_group(session: Session, name: str, new_name: str) -> tuple[str, int]:
    """Rename a response in its variations, the domain's actions and every story and rule step `action: name`.
    The new name and its number of variations."""
    _check_name(new_name, "the new response name")
    count = session.scalar(select(func.count()).select_from(BotResponse).where(BotResponse.name == name)) or 0
    if count == 0:
        raise NotFound(f"no response named {name!r}")
    if new_name == name:
        return name, count
    if session.scalar(select(BotResponse.id).where(BotResponse.name == new_name).limit(1)) is not None:
        raise AlreadyExists(f"a response named {new_name!r} exists already")
    session.connection().execute(update(BotResponse).where(BotResponse.name == name).values(name=new_name))
    _rename_action_in_stories(session, name, new_name)
    action = session.scalar(select(DomainAction).where(DomainAction.name == name))
    if action is not None:
        if session.scalar(select(DomainAction.id).where(DomainAction.name == new_name)) is None:
            action.name = new_name
        else:
            session.delete(action)
    session.flush()
    return new_name, count


def list_actions(session: Session) -> list[tuple[DomainAction, bool]]:
    """The domain's actions in domain order, each with whether it is a form (a key of the domain's forms)."""
    forms = _form_names(session)
    rows = session.scalars(select(DomainAction).order_by(DomainAction.position, DomainAction.id))
    return [(row, row.name in forms) for row in rows]


def create_action(session: Session, name: str) -> tuple[DomainAction, bool]:
    """Add an action at the end of the domain's actions; the action and whether it is a form."""
    _check_name(name, "the action name")
    _check_action_name_free(session, name)
    position = session.scalar(select(func.max(DomainAction.position)))
    row = DomainAction(name=name, position=0 if position is None else position + 1)
    session.add(row)
    session.flush()
    return row, name in _form_names(session)


def update_action(session: Session, action_id: int, name: str) -> tuple[DomainAction, bool]:
    """Rename the action with this id; the action and whether it is a form."""
    _check_name(name, "the action name")
    row = _action(session, action_id)
    if row.name != name:
        _check_action_name_free(session, name)
        row.name = name
        session.flush()
    return row, name in _form_names(session)


def delete_action(session: Session, action_id: int) -> None:
    """Remove the action with this id from the domain."""
    session.delete(_action(session, action_id))
    session.flush()


def get_config(session: Session) -> str:
    """config.yml as stored ("" when none is)."""
    return export_config(session) or ""


def replace_config(session: Session, text: str) -> str:
    """Store config.yml once it reads as a Rasa config; the stored text."""
    check_config_yaml(text, "config.yml")
    import_config(session, text)
    return text


def import_config(session: Session, text: str) -> None:
    """Store config.yml's text verbatim (the caller has checked it)."""
    _set_document(session, CONFIG_DOCUMENT, text)


def export_config(session: Session) -> str | None:
    """config.yml's text as stored, or None."""
    document = session.get(ProjectDocument, CONFIG_DOCUMENT)
    return document.content if document else None


def _store_intents(session: Session, intents: Entries) -> None:
    session.connection().execute(delete(DomainIntent))
    rows = [
        {"name": name, "position": position, "properties": _dumps(properties)}
        for position, (name, properties) in enumerate(intents)
    ]
    if rows:
        session.connection().execute(insert(DomainIntent), rows)


def _store_actions(session: Session, actions: Entries) -> None:
    """Make the domain's actions these, keeping the rows (and so the ids) of the actions that stay."""
    stored = {row.name: row for row in session.scalars(select(DomainAction))}
    wanted = {name for name, _ in actions}
    for row in stored.values():
        if row.name not in wanted:
            session.delete(row)
    session.flush()
    for position, (name, properties) in enumerate(actions):
        row = stored.get(name) or DomainAction(name=name)
        row.position, row.properties = position, _dumps(properties)
        session.add(row)
    session.flush()


def _store_rest(session: Session, rest: dict[str, Any]) -> None:
    if rest:
        _set_document(session, DOMAIN_DOCUMENT, json.dumps(rest, ensure_ascii=False))
    else:
        session.connection().execute(delete(ProjectDocument).where(ProjectDocument.name == DOMAIN_DOCUMENT))


def _add_responses(
    session: Session, responses: dict[str, list[dict[str, Any]]], annotator: str | None, at: float
) -> None:
    rows = [
        {"name": name, "content": json.dumps(variation, ensure_ascii=False), "annotator": annotator, "annotated_at": at}
        for name, variations in responses.items()
        for variation in variations
    ]
    if rows:
        session.connection().execute(insert(BotResponse), rows)


def _set_document(session: Session, name: str, content: str) -> None:
    document = session.get(ProjectDocument, name)
    if document is None:
        session.add(ProjectDocument(name=name, content=content))
    else:
        document.content = content
    session.flush()


def _unite(stored: Entries, new: Entries) -> Entries:
    """Stored entries then the new names, in order; an entry given with properties replaces the stored one."""
    united = dict(stored)
    for name, properties in new:
        if properties is not None or name not in united:
            united[name] = properties
    return list(united.items())


def _merged_rest(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(stored)
    for key, value in new.items():
        if key in ("entities", "e2e_actions") and isinstance(stored.get(key), list):
            united = _unite([_as_entry(item) for item in stored[key]], [_as_entry(item) for item in value])
            merged[key] = [name if properties is None else {name: properties} for name, properties in united]
        elif key in ("slots", "forms") and isinstance(stored.get(key), dict):
            merged[key] = {**stored[key], **value}
        else:
            merged[key] = value
    return merged


def _as_entry(item: Any) -> tuple[str, dict[str, Any] | None]:
    """An entities/e2e_actions item (a name, or {name: properties}) as (name, properties)."""
    if isinstance(item, dict):
        [(name, properties)] = item.items()
        return name, properties
    return item, None


def _variation(name: str, content_json: str) -> str:
    """The variation's content, checked as a domain file's would be, as JSON to store."""
    _check_name(name, "the response name")
    try:
        content = json.loads(content_json)
    except ValueError as error:
        raise InvalidRequest(f"content_json is not JSON: {error}") from None
    if not isinstance(content, dict):
        raise InvalidRequest(f"content_json must be a JSON object, not {type(content).__name__}")
    parse_domain({"responses": {name: [content]}}, "content_json")
    return json.dumps(content, ensure_ascii=False)


def _response_text(session: Session) -> ColumnElement[str]:
    """The variation's `text` key, read from its JSON by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(BotResponse.content, postgresql.JSON)["text"].astext
    return type_coerce(func.json_extract(BotResponse.content, "$.text"), String)


def _rename_action_in_stories(session: Session, name: str, new_name: str) -> None:
    # The LIKE only narrows the rows to read; the steps decide.
    candidates = select(Story).where(Story.content.contains(json.dumps(name, ensure_ascii=False), autoescape=True))
    for row in session.scalars(candidates):
        content = json.loads(row.content)
        steps = content.get("steps")
        renamed = False
        for step in steps if isinstance(steps, list) else []:
            if isinstance(step, dict) and step.get("action") == name:
                step["action"], renamed = new_name, True
        if renamed:
            row.content = json.dumps(content, ensure_ascii=False)


def _form_names(session: Session) -> set[str]:
    document = session.get(ProjectDocument, DOMAIN_DOCUMENT)
    forms = json.loads(document.content).get("forms") if document else None
    return set(forms) if isinstance(forms, dict) else set()


def _action(session: Session, action_id: int) -> DomainAction:
    row = session.get(DomainAction, action_id)
    if row is None:
        raise NotFound(f"no action with id {action_id}")
    return row


def _check_action_name_free(session: Session, name: str) -> None:
    if session.scalar(select(DomainAction.id).where(DomainAction.name == name)) is not None:
        raise AlreadyExists(f"the domain has an action named {name!r} already")


def _check_name(name: str, what: str) -> None:
    if not name.strip() or name != name.strip():
        raise InvalidRequest(f"{what} must be non-empty, without spaces around it: {name!r}")


def _contains(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _loads(properties: str | None) -> dict[str, Any] | None:
    return None if properties is None else json.loads(properties)  # type: ignore[no-any-return]


def _dumps(properties: dict[str, Any] | None) -> str | None:
    return None if properties is None else json.dumps(properties, ensure_ascii=False)
