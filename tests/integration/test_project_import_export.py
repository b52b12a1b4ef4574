"""ProjectService through real gRPC, on SQLite and on PostgreSQL: a whole Rasa 3 project in and out again."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import project_pb2, project_pb2_grpc, training_data_pb2
from storage_service.models import TrainingExample
from tests.conftest import FIXTURES
from tests.storage_server import rejected

PROJECT = FIXTURES / "project"
FIXTURE_FILES = ["config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"]
MERGE, REPLACE = project_pb2.IMPORT_MODE_MERGE, project_pb2.IMPORT_MODE_REPLACE
ANNOTATION = training_data_pb2.Annotation(user="me", time=1700000000.0)


@pytest.fixture
def project(storage_channel: grpc.Channel) -> project_pb2_grpc.ProjectServiceStub:
    return project_pb2_grpc.ProjectServiceStub(storage_channel)


def fixture_files() -> list[project_pb2.ProjectFile]:
    return [project_pb2.ProjectFile(path=path, content=(PROJECT / path).read_text()) for path in FIXTURE_FILES]


def import_files(
    project: project_pb2_grpc.ProjectServiceStub,
    files: list[project_pb2.ProjectFile],
    mode: project_pb2.ImportMode = REPLACE,
) -> project_pb2.ImportSummary:
    request = project_pb2.ImportProjectRequest(files=files, mode=mode, annotation=ANNOTATION)
    return project.ImportProject(request).summary


def exported(project: project_pb2_grpc.ProjectServiceStub) -> project_pb2.ExportProjectResponse:
    return project.ExportProject(project_pb2.ExportProjectRequest())


def exported_files(project: project_pb2_grpc.ProjectServiceStub) -> dict[str, str]:
    return {file.path: file.content for file in exported(project).files}


def nlu_file(path: str, text: str) -> project_pb2.ProjectFile:
    return project_pb2.ProjectFile(path=path, content='version: "3.1"\n' + text)


def names(entries: list[Any] | None) -> set[str]:
    """The names in a domain list whose entries are names or one-key mappings of a name to its properties."""
    return {entry if isinstance(entry, str) else next(iter(entry)) for entry in entries or []}


def domain_meaning(text: str) -> dict[str, Any]:
    domain = yaml.safe_load(text)
    return {
        "intents": names(domain.get("intents")),
        "entities": names(domain.get("entities")),
        "actions": names(domain.get("actions")),
        "slots": domain.get("slots") or {},
        "forms": domain.get("forms") or {},
        "responses": domain.get("responses") or {},
        "session_config": domain.get("session_config"),
    }


def example_lines(block: str) -> set[str]:
    """The examples of an `examples: |` block, one per `- ` line."""
    lines = (line.strip() for line in block.splitlines())
    return {line[2:].strip() for line in lines if line.startswith("- ")}


def nlu_meaning(text: str) -> dict[str, dict[str, set[str]]]:
    meaning: dict[str, dict[str, set[str]]] = {"intent": {}, "lookup": {}, "synonym": {}, "regex": {}}
    for item in yaml.safe_load(text)["nlu"]:
        kind = next(key for key in meaning if key in item)
        meaning[kind].setdefault(item[kind], set()).update(example_lines(item["examples"]))
    return meaning


def blocks_by_name(text: str, key: str) -> dict[str, Any]:
    blocks = yaml.safe_load(text)[key]
    by_name = {block["rule" if key == "rules" else "story"]: block for block in blocks}
    assert len(by_name) == len(blocks), "block names are unique"
    return by_name


def original(path: str) -> str:
    return (PROJECT / path).read_text()


def test_imported_fixture_project_exports_with_the_same_meaning(project: project_pb2_grpc.ProjectServiceStub) -> None:
    summary = import_files(project, fixture_files())

    assert summary == project_pb2.ImportSummary(
        examples=71, lookup_tables=1, stories=3, rules=3, responses=7, domain=True, config=True
    )
    files = exported_files(project)
    assert set(files) == {"config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"}
    assert files["config.yml"] == original("config.yml")
    assert yaml.safe_load(files["config.yml"]) == yaml.safe_load(original("config.yml"))
    assert domain_meaning(files["domain.yml"]) == domain_meaning(original("domain.yml"))
    assert nlu_meaning(files["data/nlu.yml"]) == nlu_meaning(original("data/nlu.yml"))
    assert blocks_by_name(files["data/stories.yml"], "stories") == blocks_by_name(
        original("data/stories.yml"), "stories"
    )
    assert blocks_by_name(files["data/rules.yml"], "rules") == blocks_by_name(original("data/rules.yml"), "rules")


def test_exported_project_imports_back_to_the_same_files(project: project_pb2_grpc.ProjectServiceStub) -> None:
    import_files(project, fixture_files())
    first = exported(project)

    again = [project_pb2.ProjectFile(path=file.path, content=file.content) for file in first.files]
    import_files(project, again)

    assert exported(project) == first


def test_merge_import_keeps_stored_examples_and_replace_drops_them(
    project: project_pb2_grpc.ProjectServiceStub,
) -> None:
    import_files(project, fixture_files())
    stories_before = exported_files(project)["data/stories.yml"]
    extra = nlu_file("data/more.yml", "nlu:\n- intent: greet\n  examples: |\n    - howdy\n")

    merged = import_files(project, [extra], MERGE)
    after_merge = nlu_meaning(exported_files(project)["data/nlu.yml"])
    replaced = import_files(project, [extra], REPLACE)
    files = exported_files(project)

    assert merged.examples == replaced.examples == 1
    assert {"hello", "howdy"} <= after_merge["intent"]["greet"]
    assert after_merge["intent"]["goodbye"] == nlu_meaning(original("data/nlu.yml"))["intent"]["goodbye"]
    assert nlu_meaning(files["data/nlu.yml"])["intent"] == {"greet": {"howdy"}}
    assert files["data/stories.yml"] == stories_before


def test_stories_under_tests_are_test_stories(project: project_pb2_grpc.ProjectServiceStub) -> None:
    steps = "  steps:\n  - user: hello\n    intent: greet\n  - action: utter_greet\n"
    summary = import_files(
        project,
        [
            nlu_file("tests/stories.yml", "stories:\n- story: greeting\n" + steps),
            nlu_file("data/test_more.yml", "stories:\n- story: greeting again\n" + steps),
            nlu_file("data/stories.yml", "stories:\n- story: a training story\n" + steps),
        ],
    )

    files = exported_files(project)
    assert (summary.stories, summary.test_stories) == (1, 2)
    assert set(blocks_by_name(files["tests/test_stories.yml"], "stories")) == {"greeting", "greeting again"}
    assert set(blocks_by_name(files["data/stories.yml"], "stories")) == {"a training story"}


def test_one_file_may_hold_nlu_stories_and_rules(project: project_pb2_grpc.ProjectServiceStub) -> None:
    text = (
        "nlu:\n- intent: greet\n  examples: |\n    - hi\n"
        "stories:\n- story: s\n  steps:\n  - intent: greet\n  - action: utter_greet\n"
        "rules:\n- rule: r\n  steps:\n  - intent: greet\n  - action: utter_greet\n"
    )
    summary = import_files(project, [nlu_file("data/all.yml", text)])

    files = exported_files(project)
    assert (summary.examples, summary.stories, summary.rules, summary.domain) == (1, 1, 1, False)
    assert set(files) == {"domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"}
    assert domain_meaning(files["domain.yml"])["intents"] == {"greet"}, "an example's intent joins the domain"


def test_a_retrieval_intent_joins_the_domain_by_its_base_name(project: project_pb2_grpc.ProjectServiceStub) -> None:
    text = "nlu:\n- intent: faq/ask_name\n  examples: |\n    - who are you\n- intent: greet\n  examples: |\n    - hi\n"
    import_files(project, [nlu_file("data/nlu.yml", text)])

    files = exported_files(project)
    assert domain_meaning(files["domain.yml"])["intents"] == {"faq", "greet"}
    assert nlu_meaning(files["data/nlu.yml"])["intent"]["faq/ask_name"] == {"who are you"}


def test_a_domain_split_over_files_is_merged(project: project_pb2_grpc.ProjectServiceStub) -> None:
    first = nlu_file("domain/a.yml", "intents:\n- greet\nresponses:\n  utter_greet:\n  - text: hi\n")
    second = nlu_file("domain/b.yml", "intents:\n- bye\nresponses:\n  utter_bye:\n  - text: bye\n")

    summary = import_files(project, [first, second])

    domain = domain_meaning(exported_files(project)["domain.yml"])
    assert (summary.domain, summary.responses) == (True, 2)
    assert domain["intents"] == {"greet", "bye"}
    assert set(domain["responses"]) == {"utter_greet", "utter_bye"}


STORY = "- story: s\n  steps:\n  - intent: greet\n"


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        (
            "responses:\n  utter_bye:\n  - text: bye\n  utter_greet:\n  - text: hello\n",
            "domain/b.yml line 5: response 'utter_greet' is declared in domain/a.yml already",
        ),
        (
            "slots:\n  city:\n    type: text\n    mappings:\n    - type: custom\n",
            "domain/b.yml line 3: slot 'city' is declared in domain/a.yml already",
        ),
        ("stories:\n" + STORY, "domain/b.yml line 3: the story name 's' is used in domain/a.yml already"),
    ],
    ids=["response", "slot", "story"],
)
def test_two_files_declaring_the_same_name_are_refused(
    project: project_pb2_grpc.ProjectServiceStub, second: str, problem: str
) -> None:
    slots = "slots:\n  city:\n    type: text\n    mappings:\n    - type: custom\n"
    first = nlu_file("domain/a.yml", "responses:\n  utter_greet:\n  - text: hi\n" + slots + "stories:\n" + STORY)
    request = project_pb2.ImportProjectRequest(files=[first, nlu_file("domain/b.yml", second)], mode=REPLACE)

    assert rejected(project.ImportProject, request, grpc.StatusCode.INVALID_ARGUMENT) == problem
    assert exported(project).files == []


BAD_FILES = {
    "yaml syntax": ("nlu:\n- intent: greet\n  examples: [hi\n", "data/bad.yml line 3: "),
    "unknown key": ("nlu: []\nstory:\n- story: s\n", "data/bad.yml line 2: unknown top-level key 'story'"),
    "entity markup": (
        'nlu:\n- intent: weather\n  examples: |\n    - weather in [paris]{"entity": city}\n',
        "data/bad.yml line 4: ",
    ),
    "empty file": ("", "data/bad.yml"),
}


@pytest.mark.parametrize(("content", "problem"), BAD_FILES.values(), ids=BAD_FILES.keys())
@pytest.mark.parametrize("mode", [MERGE, REPLACE], ids=["merge", "replace"])
def test_one_bad_file_fails_the_whole_import_and_changes_nothing(
    project: project_pb2_grpc.ProjectServiceStub, content: str, problem: str, mode: project_pb2.ImportMode
) -> None:
    import_files(project, fixture_files())
    before = exported(project)
    good = [
        nlu_file("data/more.yml", "nlu:\n- intent: greet\n  examples: |\n    - howdy\n"),
        nlu_file("domain/more.yml", "intents:\n- thank\nresponses:\n  utter_welcome:\n  - text: welcome\n"),
        nlu_file("data/more_rules.yml", "rules:\n- rule: r\n  steps:\n  - intent: thank\n  - action: utter_welcome\n"),
    ]
    bad = project_pb2.ProjectFile(path="data/bad.yml", content=content)
    good_after_bad = [bad, *good]

    for request_files in ([*good, bad], good_after_bad):
        request = project_pb2.ImportProjectRequest(files=request_files, mode=mode)
        details = rejected(project.ImportProject, request, grpc.StatusCode.INVALID_ARGUMENT)
        assert details.startswith(problem), details

    assert exported(project) == before


@pytest.mark.parametrize(
    ("path", "problem"),
    [("../domain.yml", ".."), ("/etc/domain.yml", "relative"), ("data/nlu.json", ".yml"), ("", "path")],
    ids=["parent", "absolute", "not yaml", "empty"],
)
def test_a_file_path_outside_the_project_or_not_yaml_is_refused(
    project: project_pb2_grpc.ProjectServiceStub, path: str, problem: str
) -> None:
    files = [*fixture_files(), project_pb2.ProjectFile(path=path, content=original("domain.yml"))]
    request = project_pb2.ImportProjectRequest(files=files, mode=MERGE)

    details = rejected(project.ImportProject, request, grpc.StatusCode.INVALID_ARGUMENT)

    assert problem in details
    assert exported(project).files == []


def test_a_second_config_file_is_refused(project: project_pb2_grpc.ProjectServiceStub) -> None:
    files = [*fixture_files(), project_pb2.ProjectFile(path="other/config.yml", content=original("config.yml"))]
    request = project_pb2.ImportProjectRequest(files=files, mode=REPLACE)

    assert rejected(project.ImportProject, request, grpc.StatusCode.INVALID_ARGUMENT).startswith("other/config.yml")


def test_import_needs_a_mode_and_files(project: project_pb2_grpc.ProjectServiceStub) -> None:
    no_mode = project_pb2.ImportProjectRequest(files=fixture_files())
    no_files = project_pb2.ImportProjectRequest(mode=MERGE)

    assert "mode" in rejected(project.ImportProject, no_mode, grpc.StatusCode.INVALID_ARGUMENT)
    assert "file" in rejected(project.ImportProject, no_files, grpc.StatusCode.INVALID_ARGUMENT)
    assert exported(project).files == []


def test_a_file_holding_only_a_version_is_accepted(project: project_pb2_grpc.ProjectServiceStub) -> None:
    summary = import_files(project, [project_pb2.ProjectFile(path="data/empty.yml", content='version: "3.1"\n')])

    assert summary == project_pb2.ImportSummary()
    assert exported(project).files == []


def test_fingerprint_is_stable_and_changes_with_the_data(project: project_pb2_grpc.ProjectServiceStub) -> None:
    import_files(project, fixture_files())

    first, second = exported(project), exported(project)
    import_files(project, [nlu_file("data/more.yml", "nlu:\n- intent: greet\n  examples: |\n    - howdy\n")], MERGE)
    edited = exported(project)

    assert len(first.fingerprint) == 64
    assert first.fingerprint == second.fingerprint
    assert edited.fingerprint != first.fingerprint


def test_stored_entities_rasa_markup_cannot_express_fail_the_export_clearly(
    project: project_pb2_grpc.ProjectServiceStub, sessions: sessionmaker[Session]
) -> None:
    entities = [{"start": 0, "end": 3, "entity": "thing", "value": "a]b"}]
    with sessions.begin() as session:
        session.add(TrainingExample(hash="0" * 32, text="a]b c", intent="greet", entities=json.dumps(entities)))

    details = rejected(project.ExportProject, project_pb2.ExportProjectRequest(), grpc.StatusCode.FAILED_PRECONDITION)

    assert "a]b" in details
