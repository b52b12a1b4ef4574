"""Interop with the real Rasa 3.6.21: Conversely trains, cross-validates, configures and chats through real servers.

One embedded Conversely (`conversely up`) and two real Rasa servers, as a team runs them:
- rasa-worker, `rasa run --enable-api` with no model: Conversely sends it the fixture project for training and for
  cross-validation, and it posts the model and the results back to Conversely's callback;
- rasa-production, `rasa x --production --config-endpoint <conversely>/api/config?token=…`: it takes its
  endpoints.yml (model server, event broker) and credentials.yml (the `rasa` channel) from Conversely, loads the
  model Conversely trained and tagged, and answers `POST /api/chat`; its events come back through the SQL broker.

Runs when the real Rasa is installed (tests/real_rasa.py); otherwise it is skipped and says so.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.embedded import Embedded
from tests.real_rasa import RasaServer, requires_real_rasa
from tests.stack import TEST_ADMIN, free_port, wait_for

PROJECT = FIXTURES / "project"
PROJECT_FILES = ["config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"]
JOBS = "/api/projects/default/models/jobs"
MODELS = "/api/projects/default/models"
CROSS_VALIDATION = "/api/projects/default/evaluations/crossValidation"
RASA_TOKEN = "interop-rasa-token"
JOB_TIMEOUT_S = 300

pytestmark = [requires_real_rasa, pytest.mark.timeout(900)]


def embedded_with_environments(tmp_path: Path, worker_port: int, production_port: int) -> Embedded:
    """An embedded Conversely whose environments are Rasa servers on these ports."""
    tmp_path.mkdir()
    embedded = Embedded(tmp_path)
    embedded.env.update(
        {
            "CONVERSELY_RASA_TOKEN": RASA_TOKEN,
            "CONVERSELY_RASA_ENVIRONMENTS": f"worker=http://127.0.0.1:{worker_port},"
            f"production=http://127.0.0.1:{production_port}",
            "CONVERSELY_CHAT_REPLY_TIMEOUT_S": "30",
        }
    )
    return embedded


def rasa_workdir(tmp_path: Path, name: str) -> Path:
    workdir = tmp_path / name
    workdir.mkdir()
    return workdir


def import_fixture_project(api: httpx.Client) -> None:
    files = [("files", (path, (PROJECT / path).read_bytes(), "application/x-yaml")) for path in PROJECT_FILES]
    imported = api.post("/api/projects/default/import?mode=replace", files=files)
    assert imported.status_code == 200, imported.text


def finished_job(api: httpx.Client, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"{JOBS}/{job_id}").json()
        if job["status"] not in {"queued", "running"}:
            return job
        time.sleep(1)
    raise AssertionError(f"job {job_id} did not finish within {JOB_TIMEOUT_S} s")


def test_conversely_trains_configures_and_chats_through_real_rasa_servers(tmp_path: Path) -> None:
    worker_port, production_port = free_port(), free_port()
    embedded = embedded_with_environments(tmp_path / "conversely", worker_port, production_port)
    embedded.up()
    api = embedded.api()
    worker = production = None
    try:
        import_fixture_project(api)
        worker = RasaServer.with_args(
            rasa_workdir(tmp_path, "worker"),
            ["run", "--enable-api"],
            ready_path="/version",
            port=worker_port,
        )
        health = api.get("/api/health").json()
        assert health["worker"]["version"] == "3.6.21", health
        assert health["production"]["status"] != 200, health  # not started yet, and /api/health says so

        # Training: the payload goes to the real worker, which posts the model back to the callback.
        queued = api.post(f"{JOBS}?environment=worker")
        assert queued.status_code == 202, queued.text
        job = finished_job(api, queued.json()["job"]["id"])
        assert job["status"] == "succeeded", job
        model = job["model"]
        listed = {item["model"]: item for item in api.get(MODELS).json()}
        assert listed[model]["version"] == "3.6.21"
        # Nothing changed since: Conversely says so instead of training again.
        again = api.post(f"{JOBS}?environment=worker")
        assert again.status_code == 200 and again.json()["model"] == model, again.text

        # Cross-validation on the real worker: per-intent results come back and are served with insights.
        validation = api.post(f"{CROSS_VALIDATION}?folds=2&environment=worker")
        assert validation.status_code == 202, validation.text
        assert finished_job(api, validation.json()["job"]["id"])["status"] == "succeeded"
        results = api.get(CROSS_VALIDATION).json()
        assert {"greet", "goodbye"} <= {row["intent"] for row in results["intents"]}, results

        # Production: configured entirely by Conversely's /api/config, it pulls the trained model once tagged.
        assert api.put(f"{MODELS}/{model}/tags/production").status_code == 204
        production = RasaServer.with_args(
            rasa_workdir(tmp_path, "production"),
            ["x", "--production", "--config-endpoint", f"{embedded.url}/api/config?token={RASA_TOKEN}"],
            port=production_port,
        )
        assert production.status()["model_id"] == listed[model]["model_id"]

        # Chat through Conversely: Rasa verifies our JWT, answers, and its events come back through the broker.
        chat = api.post("/api/chat?wait=true", json={"message": "hello"})
        assert chat.status_code == 200, chat.text
        answer = chat.json()
        assert answer["messages"] == [{"recipient_id": TEST_ADMIN[0], "text": "Hey! How are you?"}]
        assert "no_reply" not in answer, answer
        assert any(event.get("event") == "bot" for event in answer["events"]), answer
        wait_for(lambda: TEST_ADMIN[0] in embedded.conversations(), "the chat's conversation", 60)
    finally:
        for server in (production, worker):
            if server is not None:
                server.stop()
    assert embedded.down() == 0
