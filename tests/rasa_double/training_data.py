"""The YAML training payload of `/model/train` and `/model/test/intents`: checked, and its NLU examples read.

Rasa 3.6.21 validates the body with `RasaYAMLReader().validate` and wraps any problem as a 400 "BadRequest"
whose message starts "The request body does not contain valid YAML. Error: " followed by Rasa's YAML error
(`rasa/server.py` `_validate_yaml_training_payload`). The double words its errors the same way. It is stricter
than Rasa's schema (whose top level has `allowempty: True`) on two points, so tests catch a payload that Rasa
would only reject later, in training: an unknown top-level key, and an intent without examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from tests.rasa_double.errors import TRAINING_DATA_HELP_URL, RasaError

TOP_LEVEL_KEYS = frozenset(
    {
        "version",
        "recipe",
        "language",
        "pipeline",
        "policies",
        "assistant_id",
        "intents",
        "entities",
        "slots",
        "responses",
        "actions",
        "forms",
        "e2e_actions",
        "session_config",
        "nlu",
        "stories",
        "rules",
        "config",
    }
)
INVALID_YAML = "The request body does not contain valid YAML. Error: "
SYNTAX_HINT = "\n\nYou can use https://yamlchecker.com/ to validate the YAML syntax of your file."
VALIDATION_INTRO = (
    "Failed to validate YAML. Please make sure the file is correct and all mandatory parameters are specified. "
    "Here are the errors found during validation:"
)
# `[text](entity)`, `[text]{"entity": ...}` and `[text][...]` annotations: the example's text is the bracketed part.
ENTITY_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")


@dataclass(frozen=True)
class NluExample:
    text: str
    intent: str


@dataclass(frozen=True)
class _Problem:
    line: int
    text: str


def read_training_payload(body: bytes) -> dict[str, Any]:
    """The payload as a mapping; RasaError (400 BadRequest, Rasa's wording) when it is not valid training data."""
    text = body.decode("utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        content = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _invalid(f"Failed to read YAML. {error}{SYNTAX_HINT}") from None
    problems = _problems(content, node)
    if problems:
        found = "".join(f"\n  in Line {problem.line}:\n      {problem.text}" for problem in problems)
        raise _invalid(VALIDATION_INTRO + found)
    assert isinstance(content, dict)
    return content


def nlu_examples(payload: dict[str, Any]) -> list[NluExample]:
    """Every intent example of the payload's `nlu` section, in document order, entity annotations removed."""
    examples = []
    for item in payload.get("nlu") or []:
        if isinstance(item, dict) and "intent" in item:
            examples += [NluExample(text, str(item["intent"])) for text in _example_texts(item.get("examples"))]
    return examples


def _invalid(message: str) -> RasaError:
    return RasaError(400, "BadRequest", INVALID_YAML + message, help_url=TRAINING_DATA_HELP_URL)


def _problems(content: Any, node: yaml.Node | None) -> list[_Problem]:
    if not isinstance(content, dict) or not isinstance(node, yaml.MappingNode):
        return [_Problem(_line(node), f"Value '{content}' is not a dict. Value path: ''")]
    problems = []
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
        if name not in TOP_LEVEL_KEYS:
            problems.append(_Problem(_line(key), f"Key '{name}' was not defined. Path: ''"))
        elif name == "nlu":
            problems += _nlu_problems(content.get("nlu"), value)
    return problems


def _nlu_problems(nlu: Any, node: yaml.Node) -> list[_Problem]:
    if nlu is None:
        return []
    if not isinstance(nlu, list) or not isinstance(node, yaml.SequenceNode):
        return [_Problem(_line(node), f"Value '{nlu}' is not a list. Value path: '/nlu'")]
    problems = []
    for index, (item, item_node) in enumerate(zip(nlu, node.value, strict=True)):
        path = f"/nlu/{index}"
        if not isinstance(item, dict):
            problems.append(_Problem(_line(item_node), f"Value '{item}' is not a dict. Value path: '{path}'"))
        elif "intent" in item and "examples" not in item:
            problems.append(_Problem(_line(item_node), f"Cannot find required key 'examples'. Path: '{path}'"))
        elif "intent" in item and not _example_texts(item["examples"]):
            problems.append(
                _Problem(_line(item_node), f"Intent '{item['intent']}' has no examples. Path: '{path}/examples'")
            )
    return problems


def _example_texts(examples: Any) -> list[str]:
    """The texts of `examples: |` (a markdown list) or of `examples: [{text: ...}]`."""
    if isinstance(examples, str):
        lines = [line.strip() for line in examples.splitlines()]
        texts = [line[2:].strip() for line in lines if line.startswith("- ")]
    elif isinstance(examples, list):
        texts = [str(example["text"]) for example in examples if isinstance(example, dict) and "text" in example]
    else:
        texts = []
    return [ENTITY_ANNOTATION.sub(r"\1", text) for text in texts if text]


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1
