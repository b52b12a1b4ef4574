"""Loading Rasa YAML so that every problem found later can name its file and line."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from storage_service.queries.errors import InvalidRequest
from storage_service.rasa_yaml.writing import RASA_YAML_VERSION

MAX_YAML_CHARS = 20_000_000
# How many nodes a document may expand to through its aliases: generous for real files, far below a "billion laughs".
MIN_EXPANDED_NODES, EXPANSION_PER_CHAR = 100_000, 10


class YamlProblem(InvalidRequest):
    """Training data that cannot be read: the message is "<file> line <n>: <problem>"."""

    def __init__(self, filename: str, line: int | None, problem: str) -> None:
        where = f"{filename} line {line}" if line else filename
        super().__init__(f"{where}: {problem}")
        self.filename = filename
        self.line = line
        self.problem = problem


def load_yaml(text: str, filename: str) -> Any:
    """The YAML document in `text`, as ruamel's commented maps and sequences that know their lines.

    Raises YamlProblem for text that is not YAML, holds several documents, or is too large.
    """
    if len(text) > MAX_YAML_CHARS:
        raise YamlProblem(filename, None, f"the file is larger than {MAX_YAML_CHARS} characters")
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # A problem at the end of the stream is reported after the last line; name the last line instead.
        line = min(mark.line + 1, max(1, text.count("\n"))) if mark is not None else None
        problem = " ".join(part for part in (error.context, error.problem) if part) or "not valid YAML"
        raise YamlProblem(filename, line, problem) from None
    except YAMLError as error:
        raise YamlProblem(filename, None, f"not valid YAML: {error}") from None
    _check_tree(document, filename, max(MIN_EXPANDED_NODES, EXPANSION_PER_CHAR * len(text)))
    return document


def _check_tree(document: Any, filename: str, budget: int) -> None:
    """Refuse a document whose aliases expand it far beyond its text (a "billion laughs": everything reading it later
    walks the expanded tree; an alias inside its own anchor is read as null, so the tree has no cycles), and one
    with a text that is not Unicode (a lone surrogate from an escape like "\\ud800"), which could not be stored."""
    visited = 0
    stack = [document]
    while stack:
        node = stack.pop()
        visited += 1
        if visited > budget:
            raise YamlProblem(filename, None, "its anchors and aliases expand it too far")
        if isinstance(node, dict):
            for key, value in node.items():
                _check_text(key, filename, line_of(node, key))
                _check_text(value, filename, line_of(node, key))
            stack.extend(node.values())
        elif isinstance(node, list):
            for index, item in enumerate(node):
                _check_text(item, filename, line_of(node, index))
            stack.extend(node)
        else:
            _check_text(node, filename, None)  # a document that is one text


def _check_text(node: Any, filename: str, line: int | None) -> None:
    if isinstance(node, str):
        try:
            node.encode("utf-8")
        except UnicodeEncodeError as error:
            bad = node[error.start].encode("unicode_escape").decode()
            raise YamlProblem(filename, line, f"a text holds {bad}, which is not a Unicode character") from None


def line_of(node: Any, key: Any = None) -> int | None:
    """The 1-based line of `node`, or of `node[key]` (a mapping key or a sequence index), when YAML recorded it."""
    if not isinstance(node, CommentedBase):
        return None
    if key is None:
        return node.lc.line + 1
    try:
        if isinstance(key, int):
            return node.lc.item(key)[0] + 1
        return node.lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError):
        return node.lc.line + 1


def plain(node: Any) -> Any:
    """`node` as plain dicts, lists and scalars (ruamel's commented types and tagged scalars removed)."""
    if isinstance(node, dict):
        return {str(key): plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)


def check_version(document: dict[Any, Any], filename: str) -> None:
    """Rasa skips a file whose `version` is not a string (e.g. an unquoted 3.1), so refuse it instead."""
    if "version" in document and not isinstance(document["version"], str):
        problem = f'version must be a quoted string such as "{RASA_YAML_VERSION}", not {document["version"]!r}'
        raise YamlProblem(filename, line_of(document, "version"), problem)
