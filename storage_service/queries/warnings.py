"""Warnings about the stored training data, as Rasa's `Domain.domain_warnings` and `rasa data validate` give them:
names the training data uses that the domain does not declare, declared names nothing trains on, and intents with
too few examples.

Every kind of stored data counts as using a name (examples, stories, rules and test stories), so anything the domain
lacks is reported. Test stories do not train a model, so they do not make a declared name used: an intent is used
by its examples, an entity by examples and story or rule steps, an action by story and rule steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from storage_service.queries.domain import export_domain
from storage_service.queries.nlu_project import export_nlu
from storage_service.queries.stories import export_stories
from storage_service.rasa_yaml.domain import Domain
from storage_service.rasa_yaml.nlu import parse_annotated_text

WarningKind = Literal["intent", "entity", "action", "slot"]
WarningProblem = Literal["not_in_domain", "not_in_training_data", "too_few_examples"]
KINDS: tuple[WarningKind, ...] = ("intent", "entity", "action", "slot")
PROBLEMS: tuple[WarningProblem, ...] = ("not_in_domain", "not_in_training_data", "too_few_examples")

DEFAULT_MINIMUM_EXAMPLES = 5
# Rasa refuses to train an intent classifier on an intent with fewer examples.
RASA_MINIMUM_EXAMPLES = 2
# Rasa adds these to every domain (rasa/shared/core/constants.py DEFAULT_INTENTS, DEFAULT_ACTION_NAMES, slots).
DEFAULT_INTENTS = frozenset({"restart", "back", "out_of_scope", "session_start", "nlu_fallback"})
DEFAULT_ACTIONS = frozenset(
    {
        "action_listen",
        "action_restart",
        "action_session_start",
        "action_default_fallback",
        "action_deactivate_loop",
        "action_revert_fallback_events",
        "action_default_ask_affirmation",
        "action_default_ask_rephrase",
        "action_two_stage_fallback",
        "action_unlikely_intent",
        "action_back",
        "action_send_text",
        "action_extract_slots",
        "...",
    }
)
DEFAULT_SLOTS = frozenset({"requested_slot", "session_started_metadata"})
# Responses Rasa's default actions utter (action_default_fallback, action_default_ask_rephrase, action_restart).
DEFAULT_ACTION_RESPONSES = frozenset({"utter_default", "utter_ask_rephrase", "utter_restart"})
# Keys of a story step's entity mapping (`- city: Berlin` with `role: departure`) that are no entity's name.
_ENTITY_ATTRIBUTES = frozenset({"value", "role", "group"})
_UNUSED = {
    "intent": "has no examples",
    "entity": "no example or story annotates it",
    "action": "no story or rule runs it",
    "slot": "no story sets it",
}


@dataclass(frozen=True)
class DataWarning:
    kind: WarningKind
    problem: WarningProblem
    name: str
    message: str
    # For too_few_examples: how many the intent has.
    example_count: int = 0


@dataclass
class _StepNames:
    """The names story, rule or test steps use."""

    intents: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    slots: set[str] = field(default_factory=set)


def list_warnings(session: Session, minimum_examples: int = DEFAULT_MINIMUM_EXAMPLES) -> list[DataWarning]:
    """Every warning about the stored data, by kind, problem, then name; none when nothing is stored.

    Intents with at least one but fewer than `minimum_examples` examples are reported as too_few_examples.
    """
    domain = export_domain(session) or Domain([], [], {}, {})
    nlu = export_nlu(session)
    trained = _StepNames()
    for kind in ("story", "rule"):
        _collect_blocks(export_stories(session, kind), trained)
    tested = _StepNames()
    _collect_blocks(export_stories(session, "test"), tested)
    example_counts = Counter(example.intent for example in nlu.examples)
    example_entities = {entity["entity"] for example in nlu.examples for entity in example.entities}
    found = [
        *_intent_warnings(domain, example_counts, trained.intents | tested.intents, minimum_examples),
        *_name_warnings(
            "entity",
            _names(domain.rest.get("entities")),
            used=example_entities | trained.entities | tested.entities,
            trained_on=example_entities | trained.entities,
        ),
        *_action_warnings(domain, trained.actions, tested.actions),
        *_slot_warnings(domain, trained.slots | tested.slots),
    ]
    return sorted(found, key=lambda w: (KINDS.index(w.kind), PROBLEMS.index(w.problem), w.name))


def _intent_warnings(
    domain: Domain, example_counts: Counter[str], step_intents: set[str], minimum_examples: int
) -> list[DataWarning]:
    found = _name_warnings(
        "intent",
        {name for name, _ in domain.intents} - DEFAULT_INTENTS,
        used=(set(example_counts) | step_intents) - DEFAULT_INTENTS,
        trained_on=set(example_counts),
        related=True,
    )
    for name, count in example_counts.items():
        if count < minimum_examples:
            message = (
                f"intent {name!r} has {count} example{'' if count == 1 else 's'}; Rasa needs at least "
                f"{RASA_MINIMUM_EXAMPLES}, {minimum_examples} or more make it reliable"
            )
            found.append(DataWarning("intent", "too_few_examples", name, message, count))
    return found


def _action_warnings(domain: Domain, trained: set[str], tested: set[str]) -> list[DataWarning]:
    forms = _mapping(domain.rest.get("forms"))
    responses = {name.split("/")[0] for name in domain.responses}  # `utter_faq/ask_name` is uttered by utter_faq
    declared = ({name for name, _ in domain.actions} | set(forms) | responses) - DEFAULT_ACTIONS
    return _name_warnings(
        "action",
        declared,
        used=(trained | tested) - DEFAULT_ACTIONS,
        trained_on=trained | _used_by_forms(forms) | DEFAULT_ACTION_RESPONSES,
    )


def _slot_warnings(domain: Domain, used: set[str]) -> list[DataWarning]:
    declared = set(_mapping(domain.rest.get("slots"))) | DEFAULT_SLOTS
    # Declared slots nothing sets in a story are not reported: custom actions and slot mappings often set them.
    return [_warning("slot", "not_in_domain", name) for name in used - declared]


def _name_warnings(
    kind: WarningKind, declared: set[str], used: set[str], trained_on: set[str], related: bool = False
) -> list[DataWarning]:
    """not_in_domain for each used name the domain does not declare, not_in_training_data for each declared name
    nothing trains on. With `related`, a retrieval intent `faq/ask_name` and its base `faq` stand for each other."""
    return [
        *(_warning(kind, "not_in_domain", name) for name in used if not _among(name, declared, related)),
        *(_warning(kind, "not_in_training_data", name) for name in declared if not _among(name, trained_on, related)),
    ]


def _among(name: str, names: set[str], related: bool) -> bool:
    if name in names:
        return True
    base = name.split("/")[0]
    return related and any(other.split("/")[0] == base for other in names)


def _warning(kind: WarningKind, problem: WarningProblem, name: str) -> DataWarning:
    if problem == "not_in_domain":
        message = f"{kind} {name!r} is used in the training data but the domain does not declare it"
    else:
        message = f"{kind} {name!r} is declared in the domain but {_UNUSED[kind]}"
    return DataWarning(kind, problem, name, message)


def _used_by_forms(forms: dict[str, Any]) -> set[str]:
    """The responses and actions forms run without a story naming them: `utter_ask_<slot>`,
    `utter_ask_<form>_<slot>`, `action_ask_...` alike, and `validate_<form>`."""
    used: set[str] = set()
    for form, properties in forms.items():
        used.add(f"validate_{form}")
        for slot in _required_slots(properties):
            for prefix in ("utter_ask", "action_ask"):
                used |= {f"{prefix}_{slot}", f"{prefix}_{form}_{slot}"}
    return used


def _required_slots(properties: Any) -> list[str]:
    slots = properties.get("required_slots") if isinstance(properties, dict) else None
    # Rasa 3 lists them; Rasa 2 mapped each to its slot mappings.
    return [str(slot) for slot in slots] if isinstance(slots, list | dict) else []


def _collect_blocks(blocks: Iterable[dict[str, Any]], names: _StepNames) -> None:
    for block in blocks:
        for key in ("steps", "condition"):
            _collect_steps(block.get(key), names)


def _collect_steps(steps: Any, names: _StepNames) -> None:
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict):
            continue
        if isinstance(step.get("intent"), str):
            names.intents.add(step["intent"])
        names.entities |= _step_entities(step)
        for key in ("action", "active_loop"):  # a form's name in active_loop counts as running it
            if isinstance(step.get(key), str):
                names.actions.add(step[key])
        names.slots |= _names(step.get("slot_was_set"))
        _collect_steps(step.get("or"), names)


def _step_entities(step: dict[str, Any]) -> set[str]:
    """The entities of a user step: its `entities` list and the markup in its `user` text."""
    found: set[str] = set()
    for entity in step.get("entities") or []:
        if isinstance(entity, str):
            found.add(entity)
        elif isinstance(entity, dict):
            named = entity.get("entity")
            found |= {named} if isinstance(named, str) else {str(key) for key in entity} - _ENTITY_ATTRIBUTES
    if isinstance(step.get("user"), str):
        with suppress(ValueError):  # markup Rasa would not read either annotates nothing
            found |= {entity["entity"] for entity in parse_annotated_text(step["user"])[1]}
    return found


def _names(entries: Any) -> set[str]:
    """The names in a list of names and one-key mappings {name: properties}."""
    found: set[str] = set()
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            found.add(entry)
        elif isinstance(entry, dict):
            found |= {str(key) for key in entry}
    return found


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
