"""Interop with the real Rasa 3.6.21: a project exported by ProjectService is one Rasa reads and validates.

Runs when ../shared/interop/install-rasa.sh has installed Rasa (CONVERSELY_RASA_VENV, default
~/.cache/conversely/rasa-3.6.21); otherwise it is skipped and says so.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import project_pb2, project_pb2_grpc
from tests.conftest import FIXTURES
from tests.real_rasa import RASA, RASA_ENV, RASA_TIMEOUT_S, RASA_VENV, requires_real_rasa
from tests.storage_server import storage_server

PROJECT = FIXTURES / "project"
FIXTURE_FILES = ["config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"]

# Run inside Rasa's own virtualenv: what Rasa's loader reads from an NLU file: the (text, intent, entities) of every
# example, the lookup tables and the synonyms.
READ_NLU = """
import json, sys
from rasa.shared.nlu.training_data.loading import load_data

def entity(e):
    return [e["start"], e["end"], e["entity"], e["value"], e.get("role") or "", e.get("group") or ""]

data = load_data(sys.argv[1])
print(json.dumps({
    "examples": sorted(
        [m.get("text"), m.get("intent"), sorted(entity(e) for e in m.get("entities") or [])]
        for m in data.intent_examples
    ),
    "lookups": sorted([t["name"], sorted(t["elements"])] for t in data.lookup_tables),
    "synonyms": data.entity_synonyms,
}))
"""

pytestmark = [requires_real_rasa, pytest.mark.timeout(2 * RASA_TIMEOUT_S)]


@pytest.fixture
def project(sqlite_sessions: sessionmaker[Session]) -> Iterator[project_pb2_grpc.ProjectServiceStub]:
    with storage_server(sqlite_sessions) as channel:
        yield project_pb2_grpc.ProjectServiceStub(channel)


@pytest.fixture
def exported_project(project: project_pb2_grpc.ProjectServiceStub, tmp_path: Path) -> Path:
    """The fixture project imported through ProjectService, exported again into a folder."""
    files = [project_pb2.ProjectFile(path=path, content=(PROJECT / path).read_text()) for path in FIXTURE_FILES]
    project.ImportProject(project_pb2.ImportProjectRequest(files=files, mode=project_pb2.IMPORT_MODE_REPLACE))
    folder = tmp_path / "exported"
    for file in project.ExportProject(project_pb2.ExportProjectRequest()).files:
        (folder / file.path).parent.mkdir(parents=True, exist_ok=True)
        (folder / file.path).write_text(file.content)
    return folder


def test_rasa_data_validate_accepts_the_exported_project(exported_project: Path) -> None:
    # --fail-on-warnings: the fixture project itself validates without a single warning, so must its export.
    command = [str(RASA), "data", "validate", "--fail-on-warnings",
               "--data", "data", "--domain", "domain.yml", "--config", "config.yml"]  # fmt: skip
    result = subprocess.run(
        command, cwd=exported_project, env=RASA_ENV, capture_output=True, text=True, timeout=RASA_TIMEOUT_S
    )

    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]


def test_rasa_reads_the_same_nlu_data_from_the_export(exported_project: Path) -> None:
    original = rasa_nlu(PROJECT / "data" / "nlu.yml")

    assert original["examples"], "Rasa read the fixture's examples"
    assert rasa_nlu(exported_project / "data" / "nlu.yml") == original


def rasa_nlu(path: Path) -> dict[str, Any]:
    python = RASA_VENV / "bin" / "python"
    result = subprocess.run(
        [str(python), "-c", READ_NLU, str(path)],
        env=RASA_ENV, capture_output=True, text=True, timeout=RASA_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-5000:]
    nlu: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return nlu
