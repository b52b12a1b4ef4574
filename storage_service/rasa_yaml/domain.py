"""The Rasa 3 domain: reading it with a line for every problem, and writing it back."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from storage_service.rasa_yaml.reading import YamlProblem, check_version, line_of, load_yaml, plain
from storage_service.rasa_yaml.writing import dump_yaml

# Top-level keys that make a file a domain file.
DOMAIN_KEYS = frozenset(
    {"intents", "entities", "slots", "forms", "actions", "responses", "session_config", "e2e_actions", "config"}
)
# A response variation says something through at least one of these.
RESPONSE_CONTENT_KEYS = (
    "text",
    "image",
    "custom",
    "buttons",
    "attachment",
    "elements",
    "quick_replies",
    "channel",
    "condition",
)
# The order render_domain writes the sections in; other keys follow in their stored order.
_SECTION_ORDER = ("version", "intents", "entities", "slots", "forms", "actions", "responses", "session_config")


@dataclass
class Domain:
    intents: list[tuple[str, dict[str, Any] | None]]
    actions: list[tuple[str, dict[str, Any] | None]]
    responses: dict[str, list[dict[str, Any]]]
    rest: dict[str, Any]  # every other top-level key


def parse_domain(document: Any, filename: str) -> Domain:
    """The domain in a loaded YAML document (None reads as an empty domain), checked as Rasa 3 would.

    Raises YamlProblem naming the file and line of the first problem.
    """
    if document is None:
        return Domain([], [], {}, {})
    if not isinstance(document, dict):
        raise YamlProblem(filename, line_of(document), "a domain must be a mapping of intents, slots, responses, ...")
    check_version(document, filename)
    _check_misspelled_keys(document, filename)
    intents = _named_entries(document, "intents", filename)
    actions = _named_entries(document, "actions", filename)
    _named_entries(document, "entities", filename)
    _check_slots(document, filename)
    _check_forms(document, filename)
    _check_mapping(document, "session_config", filename)
    _check_e2e_actions(document, filename)
    responses = _responses(document, filename)
    rest = {
        str(key): plain(value)
        for key, value in document.items()
        if key not in ("intents", "actions", "responses") and not (key in DOMAIN_KEYS and value is None)
    }
    return Domain(intents, actions, responses, rest)


def _check_misspelled_keys(document: dict[Any, Any], filename: str) -> None:
    """Rasa keeps unknown top-level keys, and so do we; but one that is nearly a domain key is a typo that would
    silently empty that section (`intnets:` leaves a domain without intents), so it is refused."""
    for key in document:
        if key == "version" or key in DOMAIN_KEYS:
            continue
        meant = difflib.get_close_matches(str(key), sorted(DOMAIN_KEYS), n=1, cutoff=0.8)
        if meant:
            raise YamlProblem(filename, line_of(document, key), f"unknown key {key!r}: did you mean {meant[0]!r}?")


def parse_domain_yaml(text: str, filename: str) -> Domain:
    """The domain in a YAML text."""
    return parse_domain(load_yaml(text, filename), filename)


def render_domain(domain: Domain) -> str:
    """The domain as a Rasa 3 domain file: version first, then intents, entities, slots, forms, actions,
    responses, session_config and the other keys; parse_domain reads it back to an equal Domain."""
    sections: dict[str, Any] = {}
    if domain.intents:
        sections["intents"] = [_entry(name, properties) for name, properties in domain.intents]
    if domain.actions:
        sections["actions"] = [_entry(name, properties) for name, properties in domain.actions]
    if domain.responses:
        sections["responses"] = domain.responses
    sections |= domain.rest
    ordered = [key for key in _SECTION_ORDER if key in sections]
    ordered += [key for key in sections if key not in _SECTION_ORDER]
    return "\n".join(_render_section(key, sections[key]) for key in ordered)


def _render_section(key: str, value: Any) -> str:
    if key == "version" and isinstance(value, str):
        return f"version: {json.dumps(value)}\n"  # quoted as Rasa writes it
    return dump_yaml({key: value})


def _entry(name: str, properties: dict[str, Any] | None) -> Any:
    return name if properties is None else {name: properties}


def _named_entries(document: Any, key: str, filename: str) -> list[tuple[str, dict[str, Any] | None]]:
    """A list of names, each written `- name` or `- name: {properties}`, as (name, plain properties or None)."""
    entries = document.get(key)
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise YamlProblem(filename, line_of(document, key), f"{key} must be a list")
    found: list[tuple[str, dict[str, Any] | None]] = []
    lines: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        line = line_of(entries, index)
        name, properties = _named_entry(entry, line, key, filename)
        if name in lines:
            raise YamlProblem(filename, line, f"{key} lists {name!r} twice (first on line {lines[name]})")
        lines[name] = line
        found.append((name, properties))
    return found


def _named_entry(entry: Any, line: int | None, key: str, filename: str) -> tuple[str, dict[str, Any] | None]:
    if isinstance(entry, str) and entry.strip():
        return entry, None
    if not isinstance(entry, dict) or len(entry) != 1:
        problem = f"an entry of {key} is a name or `- name: {{properties}}`"
        raise YamlProblem(filename, line, problem)
    [(name, properties)] = entry.items()
    if not isinstance(name, str) or not name.strip():
        raise YamlProblem(filename, line, f"an entry of {key} needs a name")
    if properties is not None and not isinstance(properties, dict):
        raise YamlProblem(filename, line_of(entry, name), f"the properties of {name!r} must be a mapping")
    if properties is not None:
        _check_properties(properties, name, filename)
    return name, plain(properties)


def _check_properties(properties: Any, name: str, filename: str) -> None:
    for key in ("use_entities", "ignore_entities"):
        value = properties.get(key)
        if key in properties and not (isinstance(value, list) or (key == "use_entities" and isinstance(value, bool))):
            raise YamlProblem(filename, line_of(properties, key), f"{key} of {name!r} must be a list of entities")
    if "send_domain" in properties and not isinstance(properties["send_domain"], bool):
        raise YamlProblem(filename, line_of(properties, "send_domain"), "send_domain must be true or false")


def _check_mapping(document: Any, key: str, filename: str) -> Any:
    value = document.get(key)
    if value is not None and not isinstance(value, dict):
        raise YamlProblem(filename, line_of(document, key), f"{key} must be a mapping")
    return value or {}


def _check_slots(document: Any, filename: str) -> None:
    slots = _check_mapping(document, "slots", filename)
    for name, slot in slots.items():
        if not isinstance(slot, dict):
            raise YamlProblem(filename, line_of(slots, name), f"slot {name!r} must be a mapping with a type")
        if not isinstance(slot.get("type"), str):
            raise YamlProblem(filename, line_of(slots, name), f"slot {name!r} has no type")
        mappings = slot.get("mappings")
        if "mappings" in slot and not isinstance(mappings, list):
            raise YamlProblem(filename, line_of(slot, "mappings"), f"mappings of slot {name!r} must be a list")
        for index, mapping in enumerate(mappings or []):
            if not isinstance(mapping, dict) or not isinstance(mapping.get("type"), str):
                problem = f"a mapping of slot {name!r} must be a mapping with a type"
                raise YamlProblem(filename, line_of(mappings, index), problem)


def _check_forms(document: Any, filename: str) -> None:
    forms = _check_mapping(document, "forms", filename)
    for name, form in forms.items():
        if form is not None and not isinstance(form, dict):
            raise YamlProblem(filename, line_of(forms, name), f"form {name!r} must be a mapping")
        required = (form or {}).get("required_slots")
        if required is not None and not isinstance(required, list):
            problem = f"required_slots of form {name!r} must be a list"
            raise YamlProblem(filename, line_of(form, "required_slots"), problem)


def _check_e2e_actions(document: Any, filename: str) -> None:
    actions = document.get("e2e_actions")
    if actions is not None and not (isinstance(actions, list) and all(isinstance(a, str) for a in actions)):
        raise YamlProblem(filename, line_of(document, "e2e_actions"), "e2e_actions must be a list of texts")


def _responses(document: Any, filename: str) -> dict[str, list[dict[str, Any]]]:
    responses = _check_mapping(document, "responses", filename)
    found: dict[str, list[dict[str, Any]]] = {}
    for name, variations in responses.items():
        line = line_of(responses, name)
        if not isinstance(name, str) or not name.strip():
            raise YamlProblem(filename, line, "a response needs a name")
        if not isinstance(variations, list) or not variations:
            raise YamlProblem(filename, line, f"response {name!r} must be a list of variations")
        for index, variation in enumerate(variations):
            _check_variation(variation, line_of(variations, index), f"response {name!r}", filename)
        found[name] = [plain(variation) for variation in variations]
    return found


def _check_variation(variation: Any, line: int | None, what: str, filename: str) -> None:
    if not isinstance(variation, dict):
        raise YamlProblem(filename, line, f"a variation of {what} must be a mapping such as `- text: Hi`")
    if not any(key in variation for key in RESPONSE_CONTENT_KEYS):
        problem = f"a variation of {what} has none of {', '.join(RESPONSE_CONTENT_KEYS)}"
        raise YamlProblem(filename, line, problem)
    if "text" in variation and not isinstance(variation["text"], str):
        raise YamlProblem(filename, line_of(variation, "text"), f"the text of {what} must be a string")
    for key in ("buttons", "condition"):
        items = variation.get(key)
        if key in variation and not (isinstance(items, list) and all(isinstance(item, dict) for item in items)):
            raise YamlProblem(filename, line_of(variation, key), f"{key} of {what} must be a list of mappings")
