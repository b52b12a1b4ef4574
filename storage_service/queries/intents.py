"""Intents (of the domain or of the examples), their user goals, and entities."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage_service.models import (
    DomainIntent,
    ProjectDocument,
    Story,
    TrainingExample,
    TrainingExampleEntity,
    UserGoal,
    UserGoalIntent,
)
from storage_service.queries import training_examples
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound, StillInUse
from storage_service.queries.upsert import insert_for


@dataclass(frozen=True)
class Intent:
    name: str
    example_count: int
    in_domain: bool
    user_goal: str


@dataclass(frozen=True)
class RenamedIntent:
    intent: Intent
    examples_renamed: int
    stories_renamed: int


@dataclass(frozen=True)
class Goal:
    name: str
    # Sorted by name.
    intents: list[str]


@dataclass(frozen=True)
class EntityType:
    name: str
    # How many examples annotate it.
    example_count: int
    in_domain: bool


def list_intents(session: Session) -> list[Intent]:
    """Every intent the domain lists or an example has, sorted by name, with its example count and user goal."""
    counts = dict(session.execute(select(TrainingExample.intent, func.count()).group_by(TrainingExample.intent)).all())
    in_domain = set(session.scalars(select(DomainIntent.name)))
    goals = dict(session.execute(select(UserGoalIntent.intent, UserGoalIntent.user_goal)).all())
    names = sorted(set(counts) | in_domain)
    return [Intent(name, counts.get(name, 0), name in in_domain, goals.get(name, "")) for name in names]


def get_intent(session: Session, name: str) -> Intent:
    """The intent with this name; NotFound when neither the domain nor an example has it."""
    count = session.scalar(select(func.count()).select_from(TrainingExample).where(TrainingExample.intent == name))
    in_domain = session.get(DomainIntent, name) is not None
    if not count and not in_domain:
        raise NotFound(f"no intent {name!r} in the domain or the examples")
    goal = session.scalar(select(UserGoalIntent.user_goal).where(UserGoalIntent.intent == name))
    return Intent(name, count or 0, in_domain, goal or "")


def create_intent(session: Session, name: str) -> Intent:
    """Add an intent to the end of the domain's intents; AlreadyExists when the domain lists it."""
    _check_name(name, "intent")
    if session.get(DomainIntent, name) is not None:
        raise AlreadyExists(f"the domain already has the intent {name!r}")
    append_domain_intents(session, [name])
    return get_intent(session, name)


def append_domain_intents(session: Session, names: Iterable[str]) -> None:
    """Add the intents the domain does not list yet to its end, in the given order."""
    listed = set(session.scalars(select(DomainIntent.name)))
    position = session.scalar(select(func.max(DomainIntent.position)))
    position = -1 if position is None else position
    for name in names:
        if name not in listed:
            position += 1
            session.add(DomainIntent(name=name, position=position, properties=None))
            listed.add(name)
    session.flush()


def rename_intent(session: Session, name: str, new_name: str) -> RenamedIntent:
    """Rename an intent in the domain, its examples, its user goal and every story, rule and test story step."""
    _check_name(new_name, "new_name")
    get_intent(session, name)
    if new_name == name:
        return RenamedIntent(get_intent(session, name), 0, 0)
    if _intent_exists(session, new_name):
        raise AlreadyExists(f"an intent {new_name!r} already exists")
    connection = session.connection()
    connection.execute(update(DomainIntent).where(DomainIntent.name == name).values(name=new_name))
    examples = training_examples.rename_examples_intent(session, name, new_name)
    connection.execute(delete(UserGoalIntent).where(UserGoalIntent.intent == new_name))
    connection.execute(update(UserGoalIntent).where(UserGoalIntent.intent == name).values(intent=new_name))
    stories = _rename_in_stories(session, name, new_name)
    session.expire_all()
    return RenamedIntent(get_intent(session, new_name), examples, stories)


def delete_intent(session: Session, name: str, delete_examples: bool) -> int:
    """Remove an intent from the domain and its user goal; how many examples were deleted with it.

    StillInUse while examples have the intent, unless `delete_examples`.
    """
    count = session.scalar(select(func.count()).select_from(TrainingExample).where(TrainingExample.intent == name))
    if count and not delete_examples:
        raise StillInUse(f"{count} training examples have the intent {name!r}; delete them with it or rename it")
    connection = session.connection()
    in_domain = connection.execute(delete(DomainIntent).where(DomainIntent.name == name)).rowcount
    connection.execute(delete(UserGoalIntent).where(UserGoalIntent.intent == name))
    if not count and not in_domain:
        raise NotFound(f"no intent {name!r} in the domain or the examples")
    return training_examples.delete_examples_of_intent(session, name) if count else 0


def list_user_goals(session: Session) -> list[Goal]:
    """Every user goal, sorted by name, with its intents."""
    intents: dict[str, list[str]] = {}
    for intent, goal in session.execute(
        select(UserGoalIntent.intent, UserGoalIntent.user_goal).order_by(UserGoalIntent.intent)
    ):
        intents.setdefault(goal, []).append(intent)
    names = session.scalars(select(UserGoal.name).order_by(UserGoal.name))
    return [Goal(name, intents.get(name, [])) for name in names]


def set_user_goal(session: Session, name: str, intents: Sequence[str]) -> Goal:
    """Create a user goal or replace its intents; an intent listed here leaves the goal it had."""
    _check_name(name, "user goal name")
    wanted = sorted(set(intents))
    for intent in wanted:
        if not _intent_exists(session, intent):
            raise InvalidRequest(f"user goal {name!r}: no intent {intent!r} in the domain or the examples")
    connection = session.connection()
    connection.execute(insert_for(session, UserGoal).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    connection.execute(delete(UserGoalIntent).where(UserGoalIntent.user_goal == name))
    if wanted:
        connection.execute(delete(UserGoalIntent).where(UserGoalIntent.intent.in_(wanted)))
        connection.execute(
            insert_for(session, UserGoalIntent), [{"intent": intent, "user_goal": name} for intent in wanted]
        )
    return Goal(name, wanted)


def delete_user_goal(session: Session, name: str) -> None:
    """Delete a user goal; its intents stay, without a goal."""
    connection = session.connection()
    connection.execute(delete(UserGoalIntent).where(UserGoalIntent.user_goal == name))
    if connection.execute(delete(UserGoal).where(UserGoal.name == name)).rowcount == 0:
        raise NotFound(f"no user goal {name!r}")


def list_entities(session: Session) -> list[EntityType]:
    """Every entity the domain lists or an example annotates, sorted by name, with its example count."""
    counts = dict(
        session.execute(
            select(TrainingExampleEntity.entity, func.count(func.distinct(TrainingExampleEntity.example_id))).group_by(
                TrainingExampleEntity.entity
            )
        ).all()
    )
    in_domain = set(domain_entities(session))
    return [EntityType(name, counts.get(name, 0), name in in_domain) for name in sorted(set(counts) | in_domain)]


def domain_entities(session: Session) -> list[str]:
    """The entity names of the domain's `entities:` (items are names or {name: {roles, groups}})."""
    content = session.scalar(select(ProjectDocument.content).where(ProjectDocument.name == "domain"))
    if not content:
        return []
    try:
        domain = json.loads(content)
    except ValueError:
        return []
    entities = domain.get("entities") if isinstance(domain, dict) else None
    names: list[str] = []
    for item in entities if isinstance(entities, list) else []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            names.extend(str(key) for key in item)
    return names


def _intent_exists(session: Session, name: str) -> bool:
    if session.get(DomainIntent, name) is not None:
        return True
    return session.scalar(select(TrainingExample.id).where(TrainingExample.intent == name).limit(1)) is not None


def _check_name(name: str, what: str) -> None:
    if not name.strip():
        raise InvalidRequest(f"{what} must not be blank")
    if name != name.strip():
        raise InvalidRequest(f"{what} {name!r} must not start or end with whitespace")


def _rename_in_stories(session: Session, name: str, new_name: str) -> int:
    """Rename the intent in every story step (also inside `or` and a rule's `condition`); how many changed."""
    query = select(Story.id, Story.content)
    if name.isascii() and json.dumps(name)[1:-1] == name:  # as written in any JSON encoding of the content
        query = query.where(Story.content.contains(name, autoescape=True))
    renamed = 0
    for story_id, content in session.execute(query).all():
        try:
            document = json.loads(content)
        except ValueError:
            continue
        if not isinstance(document, dict):
            continue
        changed = [_rename_in_steps(document.get(key), name, new_name) for key in ("steps", "condition")]
        if any(changed):
            session.connection().execute(
                update(Story).where(Story.id == story_id).values(content=json.dumps(document, ensure_ascii=False))
            )
            renamed += 1
    return renamed


def _rename_in_steps(steps: Any, name: str, new_name: str) -> bool:
    if not isinstance(steps, list):
        return False
    changed = False
    for step in steps:
        if not isinstance(step, dict):
            continue
        if step.get("intent") == name:
            step["intent"] = new_name
            changed = True
        if _rename_in_steps(step.get("or"), name, new_name):
            changed = True
    return changed
