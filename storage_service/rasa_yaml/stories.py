"""Rasa 3 stories, rules and test stories: reading blocks with a line for every problem, and writing them back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from storage_service.rasa_yaml.reading import YamlProblem, check_version, line_of, load_yaml, plain
from storage_service.rasa_yaml.writing import RASA_YAML_VERSION, dump_yaml

StoryKindName = Literal["story", "rule", "test"]

# The top-level key of a file holding blocks of each kind, and the key naming each block.
LIST_KEYS: dict[str, str] = {"story": "stories", "rule": "rules", "test": "stories"}
NAME_KEYS: dict[str, str] = {"story": "story", "rule": "rule", "test": "story"}
_BLOCK_KEYS = {
    "story": {"story", "steps", "metadata"},
    "rule": {"rule", "steps", "metadata", "condition", "conversation_start", "wait_for_user_input"},
}
# A checkpoint step may also hold slot_was_set, so checkpoint comes first.
_STEP_KINDS = ("intent", "user", "action", "bot", "active_loop", "checkpoint", "slot_was_set", "or")
_STEP_KEYS = {
    "user": {"intent", "user", "entities", "metadata"},
    "action": {"action", "metadata"},
    "bot": {"bot", "metadata"},
    "active_loop": {"active_loop", "metadata"},
    "slot_was_set": {"slot_was_set"},
    "checkpoint": {"checkpoint", "slot_was_set"},
    "or": {"or"},
}


@dataclass
class StoryBlock:
    kind: StoryKindName
    name: str
    content: dict[str, Any]  # plain JSON of the block


def parse_story_blocks(items: Any, filename: str, kind: StoryKindName) -> list[StoryBlock]:
    """The blocks of a file's `stories:` or `rules:` list (None reads as no blocks), each checked as Rasa 3 would.

    Raises YamlProblem naming the file and line of the first problem: a block of another kind, a missing or
    duplicate name, a key Rasa does not know, steps that are not a list, or a step that is none of Rasa's kinds.
    """
    if items is None:
        return []
    if not isinstance(items, list):
        raise YamlProblem(filename, line_of(items), f"{LIST_KEYS[kind]} must be a list of blocks")
    blocks: list[StoryBlock] = []
    first_lines: dict[str, int | None] = {}
    for index, block in enumerate(items):
        line = line_of(items, index)
        name = _check_block(block, line, filename, kind)
        if name in first_lines:
            raise YamlProblem(filename, line, f"the name {name!r} is used twice (first on line {first_lines[name]})")
        first_lines[name] = line
        blocks.append(StoryBlock(kind=kind, name=name, content=plain(block)))
    return blocks


def parse_story_yaml(text: str, filename: str, kind: StoryKindName) -> list[StoryBlock]:
    """The blocks of `text`: a whole file (`version` and `stories:` or `rules:`) or just the list of blocks."""
    document = load_yaml(text, filename)
    if document is None or isinstance(document, list):
        return parse_story_blocks(document, filename, kind)
    list_key = LIST_KEYS[kind]
    if not isinstance(document, dict):
        raise YamlProblem(filename, line_of(document), f"expected a list of blocks or a mapping with {list_key}:")
    for key in document:
        if key not in ("version", list_key):
            problem = f"unexpected key {key!r}: this file may hold only version and {list_key}"
            raise YamlProblem(filename, line_of(document, key), problem)
    check_version(document, filename)
    items = document.get(list_key)
    if items is not None and not isinstance(items, list):
        raise YamlProblem(filename, line_of(document, list_key), f"{list_key} must be a list of blocks")
    return parse_story_blocks(items, filename, kind)


def render_story_file(kind: StoryKindName, contents: list[dict[str, Any]]) -> str:
    """A whole Rasa 3 file holding these blocks: `version` then `stories:` (stories, tests) or `rules:` (rules)."""
    header = f'version: "{RASA_YAML_VERSION}"\n\n'
    if not contents:
        return f"{header}{LIST_KEYS[kind]}: []\n"
    return f"{header}{LIST_KEYS[kind]}:\n\n" + "\n".join(render_block(content) for content in contents)


def render_block(content: dict[str, Any]) -> str:
    """One block as YAML list item text: "- story: x\\n  steps:\\n  - intent: greet\\n..."."""
    return dump_yaml([content])


def _check_block(block: Any, line: int | None, filename: str, kind: StoryKindName) -> str:
    """The block's name, once the block is a well-formed block of `kind`."""
    name_key = NAME_KEYS[kind]
    other_key = "rule" if name_key == "story" else "story"
    if not isinstance(block, dict):
        raise YamlProblem(filename, line, f"a block must be a mapping starting with `- {name_key}: <name>`")
    if name_key not in block:
        if other_key in block:
            problem = f"a {other_key} block where a {'rule' if kind == 'rule' else 'story'} is expected"
        else:
            problem = f"the block has no {name_key}: name"
        raise YamlProblem(filename, line, problem)
    name = block[name_key]
    if not isinstance(name, str) or not name.strip():
        raise YamlProblem(filename, line_of(block, name_key), f"{name_key} must be a non-empty name")
    allowed = _BLOCK_KEYS[name_key]
    for key in block:
        if key not in allowed:
            raise YamlProblem(filename, line_of(block, key), f"unknown key {key!r} in {name_key} {name!r}")
    if "steps" not in block:
        raise YamlProblem(filename, line, f"{name_key} {name!r} has no steps")
    _check_steps(block, "steps", filename, is_rule=kind == "rule")
    if "condition" in block:
        _check_condition(block, filename)
    for flag in ("conversation_start", "wait_for_user_input"):
        if flag in block and not isinstance(block[flag], bool):
            raise YamlProblem(filename, line_of(block, flag), f"{flag} must be true or false")
    return name


def _check_steps(parent: Any, key: str, filename: str, is_rule: bool) -> None:
    steps = parent[key]
    if not isinstance(steps, list):
        raise YamlProblem(filename, line_of(parent, key), f"{key} must be a list of steps")
    for index, step in enumerate(steps):
        kind = _check_step(step, line_of(steps, index), filename)
        if is_rule and kind in ("checkpoint", "or"):
            raise YamlProblem(filename, line_of(steps, index), f"rules cannot hold {kind} steps")


def _check_condition(block: Any, filename: str) -> None:
    _check_steps(block, "condition", filename, is_rule=True)
    condition = block["condition"]
    for index, step in enumerate(condition):
        if not any(key in step for key in ("active_loop", "slot_was_set")):
            problem = "a rule's condition holds only active_loop and slot_was_set steps"
            raise YamlProblem(filename, line_of(condition, index), problem)


def _check_step(step: Any, line: int | None, filename: str) -> str:
    """The step's kind, once the step is a well-formed step of that kind."""
    if not isinstance(step, dict) or not step:
        raise YamlProblem(filename, line, "a step must be a mapping such as `- intent: greet`")
    present = [key for key in _STEP_KINDS if key in step]
    if not present:
        key = next(iter(step))
        problem = f"unknown step {key!r}: a step is one of {', '.join(_STEP_KINDS)}"
        raise YamlProblem(filename, line_of(step, key), problem)
    kind = "user" if present[0] in ("intent", "user") else present[0]
    for key in step:
        if key not in _STEP_KEYS[kind]:
            raise YamlProblem(filename, line_of(step, key), f"{key!r} does not belong in a step with {present[0]}")
    _CHECKS[kind](step, filename)
    return kind


def _check_user_step(step: Any, filename: str) -> None:
    for key in ("intent", "user"):
        if key in step:
            _require_text(step, key, filename)
    if "entities" in step:
        entities = step["entities"]
        if not isinstance(entities, list):
            raise YamlProblem(filename, line_of(step, "entities"), "entities must be a list")
        for index, entity in enumerate(entities):
            if not (isinstance(entity, str) and entity) and not (isinstance(entity, dict) and entity):
                problem = "an entity is a name or a mapping such as `- city: berlin`"
                raise YamlProblem(filename, line_of(entities, index), problem)


def _check_named_step(key: str) -> Any:
    def check(step: Any, filename: str) -> None:
        _require_text(step, key, filename)

    return check


def _check_active_loop(step: Any, filename: str) -> None:
    if step["active_loop"] is not None:
        _require_text(step, "active_loop", filename)


def _check_slot_was_set(step: Any, filename: str) -> None:
    slots = step["slot_was_set"]
    if not isinstance(slots, list):
        raise YamlProblem(filename, line_of(step, "slot_was_set"), "slot_was_set must be a list of slots")
    for index, slot in enumerate(slots):
        if not (isinstance(slot, str) and slot) and not (isinstance(slot, dict) and slot):
            problem = "a slot is a name or a mapping such as `- city: berlin`"
            raise YamlProblem(filename, line_of(slots, index), problem)


def _check_checkpoint(step: Any, filename: str) -> None:
    _require_text(step, "checkpoint", filename)
    if "slot_was_set" in step:
        _check_slot_was_set(step, filename)


def _check_or(step: Any, filename: str) -> None:
    _check_steps(step, "or", filename, is_rule=False)
    for index, alternative in enumerate(step["or"]):
        if not any(key in alternative for key in ("intent", "user", "slot_was_set")):
            problem = "an or step holds only intent, user and slot_was_set steps"
            raise YamlProblem(filename, line_of(step["or"], index), problem)


def _require_text(step: Any, key: str, filename: str) -> None:
    value = step[key]
    if not isinstance(value, str) or not value.strip():
        raise YamlProblem(filename, line_of(step, key), f"{key} must be a non-empty string")


_CHECKS = {
    "user": _check_user_step,
    "action": _check_named_step("action"),
    "bot": _check_named_step("bot"),
    "active_loop": _check_active_loop,
    "slot_was_set": _check_slot_was_set,
    "checkpoint": _check_checkpoint,
    "or": _check_or,
}
