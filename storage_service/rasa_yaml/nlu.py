"""Rasa 3.x NLU training data (a file's `nlu:` key): reading it, naming file and line for every problem, and
writing it back in the form Rasa writes it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from storage_service.rasa_yaml.reading import YamlProblem, line_of, plain
from storage_service.rasa_yaml.writing import RASA_YAML_VERSION

BLOCK_KINDS = ("intent", "synonym", "regex", "lookup")
ENTITY_KEYS = ("entity", "value", "role", "group")

# Rasa's own pattern (rasa/shared/nlu/training_data/entities_parser.py): [span](entity), [span](entity:value),
# [span]{"entity": ...} and [span][{"entity": ...}, {"entity": ...}] (several entities on one span).
ENTITY_MARKUP = re.compile(
    r"\[(?P<span>[^\]]+?)\]"
    r"(\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)|\{(?P<object>[^}]+?)\}|\[(?P<objects>.*?)\])"
)
# Characters a literal block line may hold as they are; anything else (line breaks of any kind, control
# characters, a byte order mark) makes the example a quoted `text:` item instead.
_LITERAL_SAFE = re.compile("[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_TOP_LEVEL_ITEM = re.compile(r"\n(?=- (?:intent|synonym|regex|lookup):)")
# Rasa strips these from the text of a `- text:` item.
_ITEM_STRIP = "\n\r "


@dataclass
class Example:
    text: str
    intent: str
    # {"start", "end", "entity", "value"}, plus "role" / "group" only when set.
    entities: list[dict[str, Any]]
    metadata: dict[str, Any] | None = None


@dataclass
class NluData:
    examples: list[Example]
    # Reference value -> the values mapped to it.
    synonyms: dict[str, list[str]]
    # (name, pattern), one per pattern.
    regexes: list[tuple[str, str]]
    # Name -> elements.
    lookups: dict[str, list[str]]


def parse_nlu(items: Any, filename: str) -> NluData:
    """The training data in `items`, the loaded value of a file's top-level `nlu:` key (see reading.load_yaml).

    Raises YamlProblem naming `filename` and the line for the first problem found.
    """
    data = NluData([], {}, [], {})
    if items is None:
        return data
    if not isinstance(items, list):
        raise YamlProblem(filename, line_of(items), "nlu must be a list of intent, synonym, regex and lookup items")
    for index, block in enumerate(items):
        _parse_block(block, line_of(items, index), filename, data)
    return data


def render_nlu(data: NluData) -> str:
    """A whole Rasa 3 NLU file holding `data`, which parse_nlu reads back to the same NluData.

    Intents come in the order their first example comes, then synonyms, regexes (grouped by name) and lookups.
    Raises ValueError for an example whose entities Rasa's markup cannot express (see annotate_text).
    """
    blocks = CommentedSeq()
    by_intent: dict[str, list[Example]] = {}
    for example in data.examples:
        by_intent.setdefault(example.intent, []).append(example)
    for intent, examples in by_intent.items():
        blocks.append(_block("intent", intent, _examples_value(examples)))
    for reference, values in data.synonyms.items():
        blocks.append(_block("synonym", reference, _lines_value(values)))
    patterns: dict[str, list[str]] = {}
    for name, pattern in data.regexes:
        patterns.setdefault(name, []).append(pattern)
    for name, named_patterns in patterns.items():
        blocks.append(_block("regex", name, _lines_value(named_patterns)))
    for name, elements in data.lookups.items():
        blocks.append(_block("lookup", name, _lines_value(elements)))
    document = CommentedMap()
    document["version"] = DoubleQuotedScalarString(RASA_YAML_VERSION)
    document["nlu"] = blocks
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 1_000_000  # never fold a long example over several lines
    stream = StringIO()
    yaml.dump(document, stream)
    # A blank line between top-level items, as Rasa's own files have.
    return _TOP_LEVEL_ITEM.sub("\n\n", stream.getvalue()).replace("nlu:\n\n- ", "nlu:\n- ")


def parse_annotated_text(annotated: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text of a Rasa-annotated example and its entities.

    Understands [span](entity), [span](entity:value), [span]{"entity": ..., "value": ..., "role": ...,
    "group": ...} and [span][{...}, {...}]; raises ValueError saying what is wrong with bad markup.
    """
    text_parts: list[str] = []
    entities: list[dict[str, Any]] = []
    length = 0
    position = 0
    for match in ENTITY_MARKUP.finditer(annotated):
        before = annotated[position : match.start()]
        text_parts.append(before)
        length += len(before)
        span = match.group("span")
        start, end = length, length + len(span)
        for attributes in _entity_attributes(match):
            entities.append(_entity(start, end, span, attributes))
        text_parts.append(span)
        length = end
        position = match.end()
    text_parts.append(annotated[position:])
    return "".join(text_parts), entities


def annotate_text(text: str, entities: list[dict[str, Any]]) -> str:
    """`text` with its entities written in Rasa's markup; parse_annotated_text gives back text and entities.

    An entity whose value is its span and that has no role or group is written [span](entity), others
    [span]{"entity": ..., "value": ...}; several entities on one span are written [span][{...}, {...}].
    Raises ValueError for entities outside the text, overlapping without sharing a span, or on a span with "]".
    """
    spans: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            raise ValueError(f"entity {entity.get('entity')!r} does not cover a part of the text ({start}, {end})")
        spans.setdefault((start, end), []).append(entity)
    parts: list[str] = []
    position = 0
    for (start, end), on_span in sorted(spans.items()):
        if start < position:
            raise ValueError(f"entities overlap at characters {start} to {position}; only equal spans may overlap")
        span = text[start:end]
        if "]" in span:
            raise ValueError(f"the entity span {span!r} contains ']', which Rasa's markup cannot hold")
        parts.append(text[position:start])
        parts.append(f"[{span}]{_markup(span, on_span)}")
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _parse_block(block: Any, line: int | None, filename: str, data: NluData) -> None:
    if not isinstance(block, dict):
        raise YamlProblem(filename, line, "each nlu item must be a mapping with an intent, synonym, regex or lookup")
    kinds = [kind for kind in BLOCK_KINDS if kind in block]
    if len(kinds) != 1:
        raise YamlProblem(filename, line, "each nlu item needs exactly one of the keys intent, synonym, regex, lookup")
    kind = kinds[0]
    allowed = {kind, "examples", "metadata"} if kind == "intent" else {kind, "examples"}
    for key in block:
        if key not in allowed:
            raise YamlProblem(filename, line_of(block, key), f"unknown key {key!r} in the {kind} item {block[kind]!r}")
    name = block[kind]
    if not isinstance(name, str) or not name.strip():
        raise YamlProblem(filename, line_of(block, kind), f"{kind} must be a non-empty string")
    if "examples" not in block:
        raise YamlProblem(filename, line, f"{kind} {name!r} has no examples")
    if kind == "intent":
        data.examples.extend(_intent_examples(block, name, filename))
        return
    lines = list(_plain_lines(block, f"{kind} {name!r}", filename))
    if kind == "synonym":
        data.synonyms.setdefault(name, []).extend(value for value, _ in lines)
    elif kind == "lookup":
        data.lookups.setdefault(name, []).extend(value for value, _ in lines)
    else:
        for pattern, pattern_line in lines:
            try:
                re.compile(pattern)
            except (re.error, OverflowError, RecursionError) as error:
                problem = f"regex {name!r}: {pattern!r} does not compile: {error}"
                raise YamlProblem(filename, pattern_line, problem) from None
            data.regexes.append((name, pattern))


def _intent_examples(block: Any, intent: str, filename: str) -> list[Example]:
    block_metadata = _metadata(block, filename)
    value = block["examples"]
    items: list[tuple[str, dict[str, Any] | None, int | None]] = []
    if isinstance(value, str):
        items = [(text, None, line) for text, line in _plain_lines(block, f"intent {intent!r}", filename)]
    elif isinstance(value, list):
        items = [_example_item(value, index, intent, filename) for index in range(len(value))]
    else:
        raise YamlProblem(filename, line_of(block, "examples"), f"intent {intent!r}: examples must be text or a list")
    if not items:
        raise YamlProblem(filename, line_of(block, "examples"), f"intent {intent!r} has no examples")
    examples = []
    for annotated, metadata, line in items:
        try:
            text, entities = parse_annotated_text(annotated)
        except ValueError as error:
            raise YamlProblem(filename, line, f"example {annotated!r}: {error}") from None
        if not text.strip():
            raise YamlProblem(filename, line, f"intent {intent!r} has an empty example")
        merged = {**(block_metadata or {}), **(metadata or {})} if block_metadata or metadata else None
        examples.append(Example(text, intent, entities, merged))
    return examples


def _example_item(items: Any, index: int, intent: str, filename: str) -> tuple[str, dict[str, Any] | None, int | None]:
    item, line = items[index], line_of(items, index)
    if isinstance(item, str):
        return item.strip(_ITEM_STRIP), None, line
    if not isinstance(item, dict):
        raise YamlProblem(filename, line, f"intent {intent!r}: each example must be text or a mapping with text")
    for key in item:
        if key not in ("text", "metadata"):
            raise YamlProblem(filename, line_of(item, key), f"unknown key {key!r} in an example of intent {intent!r}")
    text = item.get("text")
    if not isinstance(text, str):
        raise YamlProblem(filename, line, f"intent {intent!r}: an example's text must be a string")
    return text.strip(_ITEM_STRIP), _metadata(item, filename), line


def _metadata(node: Any, filename: str) -> dict[str, Any] | None:
    if node.get("metadata") is None:
        return None
    metadata = plain(node["metadata"])
    if not isinstance(metadata, dict):
        raise YamlProblem(filename, line_of(node, "metadata"), "metadata must be a mapping")
    return metadata


def _plain_lines(block: Any, what: str, filename: str) -> Iterator[tuple[str, int | None]]:
    """The "- " lines of the block's examples text with their lines (a list of strings is accepted too)."""
    value, key_line = block["examples"], line_of(block, "examples")
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise YamlProblem(filename, line_of(value, index), f"{what}: each example must be non-empty text")
            yield item.strip(), line_of(value, index)
        return
    if not isinstance(value, str):
        raise YamlProblem(filename, key_line, f"{what}: examples must be text of '- ' lines")
    # A literal block's content starts on the line after its key; other scalars are folded, so name the key's line.
    literal = isinstance(value, LiteralScalarString) and key_line is not None
    for offset, raw in enumerate(value.split("\n")):
        line = key_line + 1 + offset if literal and key_line is not None else key_line
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("-"):
            raise YamlProblem(filename, line, f"{what}: example {stripped!r} does not start with '- '")
        item = stripped[1:].strip()
        if not item:
            raise YamlProblem(filename, line, f"{what}: empty example")
        yield item, line


def _entity_attributes(match: re.Match[str]) -> list[dict[str, Any]]:
    if match.group("entity") is not None:
        attributes = {"entity": match.group("entity")}
        if match.group("value") is not None:
            attributes["value"] = match.group("value")
        return [attributes]
    if match.group("object") is not None:
        return [_json_object("{" + match.group("object") + "}")]
    try:
        objects = json.loads("[" + match.group("objects") + "]")
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{match.group(0)!r} is not a list of entity objects: {error}") from None
    if not objects or not all(isinstance(item, dict) for item in objects):
        raise ValueError(f"{match.group(0)!r} is not a list of entity objects")
    return [_checked_attributes(item, match.group(0)) for item in objects]


def _json_object(source: str) -> dict[str, Any]:
    try:
        attributes = json.loads(source)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{source!r} is not a JSON entity object: {error}") from None
    return _checked_attributes(attributes, source)


def _checked_attributes(attributes: Any, source: str) -> dict[str, Any]:
    if not isinstance(attributes, dict):
        raise ValueError(f"{source!r} is not a JSON entity object")
    for key, value in attributes.items():
        if key not in ENTITY_KEYS:
            raise ValueError(f"{source!r}: unknown entity key {key!r}; allowed are {', '.join(ENTITY_KEYS)}")
        if not isinstance(value, str):
            raise ValueError(f"{source!r}: {key} must be a string")
    if not attributes.get("entity", "").strip():
        raise ValueError(f"{source!r} names no entity")
    return attributes


def _entity(start: int, end: int, span: str, attributes: dict[str, Any]) -> dict[str, Any]:
    if not attributes["entity"].strip():
        raise ValueError(f"the annotation of {span!r} names no entity")
    entity = {"start": start, "end": end, "entity": attributes["entity"], "value": attributes.get("value", span)}
    for key in ("role", "group"):
        if attributes.get(key):
            entity[key] = attributes[key]
    return entity


def _markup(span: str, entities: list[dict[str, Any]]) -> str:
    objects = []
    for entity in entities:
        name = entity.get("entity")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"the entity on {span!r} has no name")
        attributes = {"entity": name}
        value = entity.get("value", span)
        if value != span:
            attributes["value"] = value
        for key in ("role", "group"):
            if entity.get(key):
                attributes[key] = entity[key]
        if len(entities) == 1 and list(attributes) == ["entity"] and not re.search(r"[:)]", name):
            return f"({name})"
        objects.append(_object_markup(attributes))
    return objects[0] if len(objects) == 1 else "[" + ", ".join(objects) + "]"


def _object_markup(attributes: dict[str, Any]) -> str:
    # Rasa finds an object's end at the first "}" and a list's at the first "]": escape both inside strings.
    fields = []
    for key, value in attributes.items():
        if not isinstance(value, str):
            raise ValueError(f"entity {key} must be a string, not {value!r}")
        encoded = json.dumps(value, ensure_ascii=False).replace("}", "\\u007d").replace("]", "\\u005d")
        fields.append(f'"{key}": {encoded}')
    return "{" + ", ".join(fields) + "}"


def _block(kind: str, name: str, examples: Any) -> CommentedMap:
    block = CommentedMap()
    block[kind] = name
    block["examples"] = examples
    return block


def _examples_value(examples: list[Example]) -> Any:
    lines = [annotate_text(example.text, example.entities) for example in examples]
    if all(example.metadata is None for example in examples) and all(map(_fits_literal_line, lines)):
        return LiteralScalarString("".join(f"- {line}\n" for line in lines))
    items = CommentedSeq()
    for example, line in zip(examples, lines, strict=True):
        item = CommentedMap()
        item["text"] = line
        if example.metadata is not None:
            item["metadata"] = example.metadata
        items.append(item)
    return items


def _lines_value(values: list[str]) -> Any:
    if not values:
        return ""
    if all(map(_fits_literal_line, values)):
        return LiteralScalarString("".join(f"- {value}\n" for value in values))
    return CommentedSeq(values)


def _fits_literal_line(line: str) -> bool:
    return bool(line) and line == line.strip() and _LITERAL_SAFE.fullmatch(line) is not None
