"""The payload sent to Rasa: the exported project merged into one YAML document that Rasa reads as config, domain
and training data at once, with nothing lost or changed on the way."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import project_pb2, project_pb2_grpc
from gateway.training_payload import PayloadError, cross_validation_payload, is_test_file, training_payload
from tests.conftest import FIXTURES
from tests.real_rasa import RASA_ENV, RASA_TIMEOUT_S, RASA_VENV, requires_real_rasa
from tests.storage_server import storage_server

PROJECT = FIXTURES / "project"
FIXTURE_FILES = ["config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"]
TEST_STORIES = """version: "3.1"
stories:
- story: a test story that must not be trained on
  steps:
  - user: |
      hello
    intent: greet
  - action: utter_greet
"""
# `[paris](city)` in an example: Rasa's text is "paris".
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]*\)")
CONFIG_KEYS = {"recipe", "assistant_id", "language", "pipeline", "policies"}

# Run inside Rasa's own virtualenv: validate the payload as Rasa's /model/train does, then read it as config, domain
# and training data from the one file, as `_training_payload_from_yaml` hands it to Rasa's importer.
READ_PAYLOAD = """
import json, sys
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

path = sys.argv[1]
RasaYAMLReader().validate(open(path).read())
importer = TrainingDataImporter.load_from_dict(config_path=path, domain_path=path, training_data_paths=[path])
config, domain, nlu = importer.get_config(), importer.get_domain(), importer.get_nlu_data()
stories = importer.get_stories()
print(json.dumps({
    "pipeline": [component["name"] for component in config["pipeline"]],
    "policies": [policy["name"] for policy in config["policies"]],
    "intents": sorted(domain.intents),
    "responses": sorted(domain.responses),
    "examples": sorted([m.get("text"), m.get("intent")] for m in nlu.intent_examples),
    "lookups": sorted(t["name"] for t in nlu.lookup_tables),
    "story_names": sorted({step.block_name for step in stories.story_steps}),
}))
"""


def load(text: str) -> Any:
    """A YAML text read as Rasa reads it: YAML 1.2, ruamel's safe loader."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)  # type: ignore[assignment]
    return yaml.load(text)


def examples(nlu: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(intent, example text) of every example in an `nlu` list."""
    return [
        (item["intent"], line.removeprefix("- ").strip())
        for item in nlu
        if "intent" in item
        for line in item["examples"].splitlines()
        if line.strip()
    ]


@pytest.fixture
def project(sqlite_sessions: sessionmaker[Session]) -> Iterator[project_pb2_grpc.ProjectServiceStub]:
    with storage_server(sqlite_sessions) as channel:
        yield project_pb2_grpc.ProjectServiceStub(channel)


@pytest.fixture
def exported(project: project_pb2_grpc.ProjectServiceStub) -> list[tuple[str, str]]:
    """The fixture project (and a test stories file) imported through ProjectService and exported again."""
    files = [project_pb2.ProjectFile(path=path, content=(PROJECT / path).read_text()) for path in FIXTURE_FILES]
    files.append(project_pb2.ProjectFile(path="tests/test_stories.yml", content=TEST_STORIES))
    project.ImportProject(project_pb2.ImportProjectRequest(files=files, mode=project_pb2.IMPORT_MODE_REPLACE))
    export = project.ExportProject(project_pb2.ExportProjectRequest())
    assert "tests/test_stories.yml" in [file.path for file in export.files]
    return [(file.path, file.content) for file in export.files]


def test_the_training_payload_holds_every_example_story_rule_the_config_and_the_domain(
    exported: list[tuple[str, str]],
) -> None:
    payload = load(training_payload(exported))
    original = {path: load((PROJECT / path).read_text()) for path in FIXTURE_FILES}

    assert payload["version"] == "3.1"
    assert {key: payload[key] for key in CONFIG_KEYS} == original["config.yml"]
    for key, value in original["domain.yml"].items():
        if key != "version":
            assert payload[key] == value, key
    assert sorted(examples(payload["nlu"])) == sorted(examples(original["data/nlu.yml"]["nlu"]))
    lookups = [item for item in payload["nlu"] if "lookup" in item]
    assert lookups == [item for item in original["data/nlu.yml"]["nlu"] if "lookup" in item]
    assert payload["stories"] == original["data/stories.yml"]["stories"]
    assert payload["rules"] == original["data/rules.yml"]["rules"]


def test_test_stories_are_not_trained_on(exported: list[tuple[str, str]]) -> None:
    payload = training_payload(exported)

    assert "a test story that must not be trained on" not in payload
    assert [story["story"] for story in load(payload)["stories"]] == ["happy path", "sad path 1", "sad path 2"]


def test_the_cross_validation_payload_is_the_config_and_the_nlu_data_only(exported: list[tuple[str, str]]) -> None:
    payload = load(cross_validation_payload(exported))
    training = load(training_payload(exported))

    assert set(payload) == {"version", "nlu", *CONFIG_KEYS}
    assert payload["nlu"] == training["nlu"]
    assert payload["pipeline"] == training["pipeline"]


def test_values_keep_the_type_and_text_rasa_reads_in_the_files() -> None:
    # PyYAML (YAML 1.1) would read `yes` as true and write `true`; Rasa reads YAML 1.2, where it is the text "yes".
    domain = 'version: "3.1"\nresponses:\n  utter_yes:\n  - text: yes\n  utter_env:\n  - text: ${BOT_NAME} here\n'
    nlu = 'version: "3.1"\nnlu:\n- intent: affirm\n  examples: |\n    - yes\n    - on it\n'
    payload = training_payload([("domain.yml", domain), ("data/nlu.yml", nlu)])

    assert load(payload)["responses"] == load(domain)["responses"]
    assert load(payload)["responses"]["utter_yes"] == [{"text": "yes"}]
    # A plain ${...} stays plain: Rasa expands it from its environment, as it would in the file.
    assert "- text: ${BOT_NAME} here" in payload
    assert load(payload)["nlu"][0]["examples"] == "- yes\n- on it\n"


def test_data_files_are_concatenated_and_a_split_domain_united() -> None:
    files = [
        ("data/a.yml", "nlu:\n- intent: greet\n  examples: |\n    - hi\nresponses:\n  utter_a:\n  - text: A\n"),
        ("data/b.yml", "nlu:\n- intent: bye\n  examples: |\n    - ciao\nresponses:\n  utter_b:\n  - text: B\n"),
    ]
    payload = load(training_payload(files))

    assert [item["intent"] for item in payload["nlu"]] == ["greet", "bye"]
    assert payload["responses"] == {"utter_a": [{"text": "A"}], "utter_b": [{"text": "B"}]}


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ([("data/nlu.yml", "- just\n- a list\n")], "is not a mapping"),
        ([("data/nlu.yml", "nlu: [unclosed\n")], "is not valid YAML"),
        ([("config.yml", "language: en\n"), ("other.yml", "language: [de]\n")], "cannot be merged"),
    ],
)
def test_files_that_cannot_be_merged_are_refused_naming_the_file(files: list[tuple[str, str]], problem: str) -> None:
    with pytest.raises(PayloadError, match=problem) as raised:
        training_payload(files)
    assert files[-1][0] in str(raised.value)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_stories.yml", True),
        ("tests/more/stories.yml", True),
        ("data/test_flows.yml", True),
        ("data/stories.yml", False),
        ("data/contests.yml", False),
        ("domain.yml", False),
    ],
)
def test_test_files_are_recognised_as_rasa_does(path: str, expected: bool) -> None:
    assert is_test_file(path) is expected


@requires_real_rasa
@pytest.mark.timeout(2 * RASA_TIMEOUT_S)
def test_real_rasa_reads_the_payload_as_config_domain_and_training_data(
    exported: list[tuple[str, str]], tmp_path: Path
) -> None:
    payload = tmp_path / "data.yml"  # the name Rasa's server writes the body to
    payload.write_text(training_payload(exported))
    result = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-c", READ_PAYLOAD, str(payload)],
        env=RASA_ENV, capture_output=True, text=True, timeout=RASA_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-5000:]
    read = json.loads(result.stdout.splitlines()[-1])
    original_nlu = load((PROJECT / "data/nlu.yml").read_text())["nlu"]
    original_domain = load((PROJECT / "domain.yml").read_text())

    assert read["pipeline"] == [c["name"] for c in load((PROJECT / "config.yml").read_text())["pipeline"]]
    assert read["policies"] == ["MemoizationPolicy", "RulePolicy"]
    assert set(original_domain["intents"]) <= set(read["intents"])
    assert read["responses"] == sorted(original_domain["responses"])
    assert read["examples"] == sorted(
        [ENTITY_MARKUP.sub(r"\1", text), intent] for intent, text in examples(original_nlu)
    )
    assert read["lookups"] == ["city"]
    assert read["story_names"] == sorted(
        ["happy path", "sad path 1", "sad path 2"]
        + [rule["rule"] for rule in load((PROJECT / "data/rules.yml").read_text())["rules"]]
    )
