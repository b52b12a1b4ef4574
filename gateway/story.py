"""A conversation as a Rasa 3.x story in YAML: what the user meant, what the bot did, which slots were set.

`story_yaml` writes a training story (user steps as intents and entities); `end_to_end_story_yaml` writes Rasa's
end-to-end test story, whose user steps keep the message text with its entities marked in it.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

# Actions Rasa adds to every conversation; a story written by hand never lists them.
_IMPLICIT_ACTIONS = {"action_listen", "action_session_start"}
# The story format version Rasa 3.x reads.
STORY_FORMAT_VERSION = "3.1"


class _Literal(str):
    """Text written as a YAML literal block (`|`), as Rasa's test stories show user messages."""


class _StoryDumper(yaml.SafeDumper):
    pass


def _represent_literal(dumper: yaml.SafeDumper, text: _Literal) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted scalar by itself when the text cannot be a literal block.
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style="|")


_StoryDumper.add_representer(_Literal, _represent_literal)


def story_yaml(name: str, events: list[dict[str, Any]], corrected_intents: dict[float, str] | None = None) -> str:
    """`events` (a tracker's, in order) as a YAML document with one story called `name`.

    `corrected_intents` maps a user message's timestamp to the intent a reviewer gave it; it wins over the
    predicted one.
    """
    corrections = corrected_intents or {}
    steps = [step for event in events if (step := _step(event, corrections, end_to_end=False)) is not None]
    return _document(name, steps)


def end_to_end_story_yaml(
    name: str, events: list[dict[str, Any]], corrected_intents: dict[float, str] | None = None
) -> str:
    """`events` as a YAML document with one end-to-end test story called `name`, the format of Rasa's tests/.

    Each user step is the message text, with the entities the parse located (start and end) marked in it as
    `[text](entity)` (or `[text]{"entity": ..., "value": ...}` when the value differs from the text), and the
    intent: the reviewer's correction (`corrected_intents`, by timestamp) or else the predicted one.
    """
    corrections = corrected_intents or {}
    steps = [step for event in events if (step := _step(event, corrections, end_to_end=True)) is not None]
    return _document(name, steps)


def _document(name: str, steps: list[dict[str, Any]]) -> str:
    document = {"version": STORY_FORMAT_VERSION, "stories": [{"story": name, "steps": steps}]}
    return yaml.dump(document, Dumper=_StoryDumper, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _step(event: dict[str, Any], corrections: dict[float, str], end_to_end: bool) -> dict[str, Any] | None:
    kind = event.get("event")
    if kind == "user":
        return _test_user_step(event, corrections) if end_to_end else _user_step(event, corrections)
    if kind == "action" and event.get("name") and event["name"] not in _IMPLICIT_ACTIONS:
        return {"action": event["name"]}
    if kind == "slot" and isinstance(event.get("name"), str):
        return {"slot_was_set": [{event["name"]: event.get("value")}]}
    if kind == "active_loop":
        return {"active_loop": event.get("name")}
    return None


def _intent(event: dict[str, Any], corrections: dict[float, str]) -> str | None:
    parse_data = event.get("parse_data") or {}
    predicted = (parse_data.get("intent") or {}).get("name")
    return _correction(event.get("timestamp"), corrections) or predicted or None


def _user_step(event: dict[str, Any], corrections: dict[float, str]) -> dict[str, Any] | None:
    intent = _intent(event, corrections)
    if not intent:
        return None
    step: dict[str, Any] = {"intent": intent}
    entities = [
        {entity["entity"]: entity.get("value")}
        for entity in (event.get("parse_data") or {}).get("entities") or []
        if isinstance(entity, dict) and entity.get("entity")
    ]
    if entities:
        step["entities"] = entities
    return step


def _test_user_step(event: dict[str, Any], corrections: dict[float, str]) -> dict[str, Any] | None:
    text = event.get("text")
    intent = _intent(event, corrections)
    if not isinstance(text, str) or not text:
        return {"intent": intent} if intent else None
    step: dict[str, Any] = {"user": _Literal(_marked_entities(text, (event.get("parse_data") or {}).get("entities")))}
    if intent:
        step["intent"] = intent
    return step


def _marked_entities(text: str, entities: Any) -> str:
    """`text` with each located entity marked in Rasa's training data syntax; overlapping ones are left out."""
    located = sorted(
        (entity for entity in entities or [] if _is_located(entity, text)), key=lambda entity: entity["start"]
    )
    marked, position = [], 0
    for entity in located:
        if entity["start"] < position:
            continue
        marked.append(text[position : entity["start"]])
        marked.append(_entity_markup(text[entity["start"] : entity["end"]], entity))
        position = entity["end"]
    marked.append(text[position:])
    return "".join(marked)


def _is_located(entity: Any, text: str) -> bool:
    if not isinstance(entity, dict) or not isinstance(entity.get("entity"), str) or not entity["entity"]:
        return False
    start, end = entity.get("start"), entity.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
        return False
    return isinstance(entity.get("value", text[start:end]), str)


def _entity_markup(span: str, entity: dict[str, Any]) -> str:
    value = entity.get("value", span)
    extra = {key: entity[key] for key in ("role", "group") if isinstance(entity.get(key), str)}
    if value == span and not extra:
        return f"[{span}]({entity['entity']})"
    described = {"entity": entity["entity"], **({"value": value} if value != span else {}), **extra}
    return f"[{span}]{json.dumps(described, ensure_ascii=False)}"


def _correction(timestamp: Any, corrections: dict[float, str]) -> str | None:
    if not isinstance(timestamp, int | float):
        return None
    return next((intent for at, intent in corrections.items() if abs(at - timestamp) < 1e-6), None)
