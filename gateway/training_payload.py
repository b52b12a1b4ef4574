"""What the gateway sends Rasa to train or cross-validate: the exported project as ONE YAML document.

Rasa's `POST /model/train` (and `POST /model/test/intents` with a YAML body) writes the body to a single file and
reads it as the config, the domain and the training data at once (`_training_payload_from_yaml` in rasa/server.py).
So the project's files (ProjectService.ExportProject) are merged: config.yml's keys, the domain's keys, and the
`nlu`, `stories` and `rules` lists of every data file concatenated. Test stories (tests/, test_*.yml) are left out:
Rasa would train on them otherwise.

Each file is read and the result written with ruamel's round-trip YAML 1.2, the reader Rasa itself uses, so every
value keeps its exact type and quoting (a plain `yes` stays the string Rasa reads, a literal block stays a literal
block) and Rasa reads the merged document exactly as it would read the files.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

# The training data format version Rasa 3.x reads.
RASA_YAML_VERSION = "3.1"
LIST_KEYS = ("nlu", "stories", "rules")
# config.yml's keys (rasa/shared/utils/schemas/config.yml); the domain has a `config` key of its own, not one of these.
CONFIG_KEYS = frozenset({"recipe", "language", "pipeline", "policies", "assistant_id"})
# Wide enough that no long example text is folded over several lines.
LINE_WIDTH = 1 << 30

ProjectFiles = Iterable[tuple[str, str]]


class PayloadError(ValueError):
    """A project file that cannot be merged into the payload: not YAML, or not a mapping of Rasa's keys."""


def training_payload(files: ProjectFiles) -> str:
    """Everything Rasa trains on (config, domain, NLU data, stories, rules) as one YAML document."""
    return _dump(_merged(files, keep=lambda key: True))


def cross_validation_payload(files: ProjectFiles) -> str:
    """What NLU cross-validation needs: the config and the NLU data, as one YAML document."""
    return _dump(_merged(files, keep=lambda key: key in CONFIG_KEYS or key == "nlu"))


def is_test_file(path: str) -> bool:
    """Whether the file holds test stories: named test_* (Rasa's rule, yaml_story_reader.py) or under tests/ (Rasa's
    test folder, apart from the data it trains on), as storage classifies them too."""
    parts = PurePosixPath(path).parts
    return "tests" in parts[:-1] or PurePosixPath(path).name.startswith("test_")


def _merged(files: ProjectFiles, keep: Any) -> CommentedMap:
    merged = CommentedMap()
    merged["version"] = DoubleQuotedScalarString(RASA_YAML_VERSION)
    for path, text in files:
        if is_test_file(path):
            continue
        for key, value in _load(path, text).items():
            if key == "version" or not keep(key):
                continue
            _merge_key(merged, key, value, path)
    return merged


def _merge_key(merged: CommentedMap, key: str, value: Any, path: str) -> None:
    if key not in merged:
        merged[key] = CommentedSeq(value) if key in LIST_KEYS and isinstance(value, list) else value
        return
    present = merged[key]
    if isinstance(present, list) and isinstance(value, list):
        present.extend(value)
    elif isinstance(present, dict) and isinstance(value, dict):
        present.update(value)  # a domain split over files: e.g. `responses` of both
    else:
        raise PayloadError(f"{path}: `{key}` is also in another file, and the two cannot be merged")


def _load(path: str, text: str) -> CommentedMap:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    try:
        document = yaml.load(text)
    except YAMLError as error:
        raise PayloadError(f"{path} is not valid YAML: {error}") from None
    if document is None:
        return CommentedMap()
    if not isinstance(document, CommentedMap):
        raise PayloadError(f"{path} is not a mapping of Rasa's keys")
    return document


def _dump(document: CommentedMap) -> str:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = LINE_WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()
