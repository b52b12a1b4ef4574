"""A conversation as a Rasa 3.x story in YAML: what the user meant, what the bot did, which slots were set."""

from __future__ import annotations

from typing import Any

import yaml

# Actions Rasa adds to every conversation; a story written by hand never lists them.
_IMPLICIT_ACTIONS = {"action_listen", "action_session_start"}
# The story format version Rasa 3.x reads.
STORY_FORMAT_VERSION = "3.1"


def story_yaml(name: str, events: list[dict[str, Any]], corrected_intents: dict[float, str] | None = None) -> str:
    """`events` (a tracker's, in order) as a YAML document with one story called `name`.

    `corrected_intents` maps a user message's timestamp to the intent a reviewer gave it; it wins over the
    predicted one.
    """
    corrections = corrected_intents or {}
    steps = [step for event in events if (step := _step(event, corrections)) is not None]
    document = {"version": STORY_FORMAT_VERSION, "stories": [{"story": name, "steps": steps}]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _step(event: dict[str, Any], corrections: dict[float, str]) -> dict[str, Any] | None:
    kind = event.get("event")
    if kind == "user":
        return _user_step(event, corrections)
    if kind == "action" and event.get("name") and event["name"] not in _IMPLICIT_ACTIONS:
        return {"action": event["name"]}
    if kind == "slot" and isinstance(event.get("name"), str):
        return {"slot_was_set": [{event["name"]: event.get("value")}]}
    if kind == "active_loop":
        return {"active_loop": event.get("name")}
    return None


def _user_step(event: dict[str, Any], corrections: dict[float, str]) -> dict[str, Any] | None:
    parse_data = event.get("parse_data") or {}
    predicted = (parse_data.get("intent") or {}).get("name")
    intent = _correction(event.get("timestamp"), corrections) or predicted
    if not intent:
        return None
    step: dict[str, Any] = {"intent": intent}
    entities = [
        {entity["entity"]: entity.get("value")}
        for entity in parse_data.get("entities") or []
        if isinstance(entity, dict) and entity.get("entity")
    ]
    if entities:
        step["entities"] = entities
    return step


def _correction(timestamp: Any, corrections: dict[float, str]) -> str | None:
    if not isinstance(timestamp, int | float):
        return None
    return next((intent for at, intent in corrections.items() if abs(at - timestamp) < 1e-6), None)
