"""NLU cross-validation end to end: the gateway queues it, the Rasa double evaluates the posted config and NLU data
(predictably: intents of one name family, e.g. mood_great and mood_unhappy, mistake every second example for each
other) and posts its results, which the gateway summarises with insights."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FIXTURES
from tests.live_gateway import RasaRig, rasa_rig, wait_for_job

CROSS_VALIDATION = "/api/projects/default/evaluations/crossValidation"
JOBS = "/api/projects/default/models/jobs"


@pytest.fixture
def rig(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[RasaRig]:
    with rasa_rig(sqlite_sessions, tmp_path) as rig:
        yield rig


def fixture_support() -> Counter[str]:
    """How many examples each intent of the fixture project has."""
    nlu = YAML(typ="safe", pure=True).load((FIXTURES / "project" / "data" / "nlu.yml").read_text())["nlu"]
    return Counter({item["intent"]: len(item["examples"].strip().splitlines()) for item in nlu if "intent" in item})


def test_a_cross_validation_runs_end_to_end_and_gives_scores_confusions_and_insights(rig: RasaRig) -> None:
    assert rig.api.get(CROSS_VALIDATION).status_code == 404  # none has run yet
    queued = rig.api.post(CROSS_VALIDATION, params={"folds": 3})
    assert queued.status_code == 202, queued.text
    job = queued.json()["job"]
    assert (job["kind"], job["folds"], job["status"]) == ("cross_validation", 3, "queued")
    assert queued.headers["location"] == f"{JOBS}/{job['id']}"

    done = wait_for_job(rig.api, job["id"], "succeeded", "failed")

    assert done["status"] == "succeeded", done
    [request] = rig.rasa.evaluate_requests
    assert request.query["cross_validation_folds"] == "3"
    assert request.headers["content-type"] == "application/x-yaml"
    payload = YAML(typ="safe", pure=True).load(request.body)
    assert set(payload) == {"version", "recipe", "assistant_id", "language", "pipeline", "policies", "nlu"}
    assert rig.rasa.callbacks[0].body_kind == "results" and rig.rasa.callbacks[0].status_code == 200

    summary = rig.api.get(CROSS_VALIDATION)
    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert body["job"]["id"] == job["id"]
    support = fixture_support()
    assert {score["intent"]: score["support"] for score in body["intents"]} == support
    # Every second example of each mood intent was taken for the other one.
    assert body["confusions"] == [
        {"intent": "mood_great", "confused_with": "mood_unhappy", "count": support["mood_great"] // 2},
        {"intent": "mood_unhappy", "confused_with": "mood_great", "count": support["mood_unhappy"] // 2},
    ]
    assert 0 < body["accuracy"] < 1 and 0 < body["weighted_f1"] < 1
    insights = {(insight["kind"], insight["intent"]) for insight in body["insights"]}
    assert ("often_confused", "mood_great") in insights and ("often_confused", "mood_unhappy") in insights
    assert ("low_f1", "mood_great") in insights and ("low_f1", "mood_unhappy") in insights
    assert ("too_few_examples", "bot_challenge") in insights and ("too_few_examples", "weather") in insights
    assert not any(intent == "greet" for _, intent in insights)


def test_the_newest_succeeded_cross_validation_is_the_one_served(rig: RasaRig) -> None:
    first = rig.api.post(CROSS_VALIDATION, params={"folds": 2}).json()["job"]
    wait_for_job(rig.api, first["id"], "succeeded")
    rig.rasa.behaviour.cross_validation_result = {
        "intent_evaluation": {"report": {"greet": {"precision": 1, "recall": 1, "f1-score": 1, "support": 9}}},
    }
    second = rig.api.post(CROSS_VALIDATION, params={"folds": 2}).json()["job"]
    wait_for_job(rig.api, second["id"], "succeeded")

    body = rig.api.get(CROSS_VALIDATION).json()

    assert body["job"]["id"] == second["id"]
    assert body["intents"] == [{"intent": "greet", "precision": 1, "recall": 1, "f1_score": 1, "support": 9}]
    assert body["insights"] == []


def test_rasas_evaluation_error_fails_the_job_and_serves_nothing(rig: RasaRig) -> None:
    # More folds than the largest intent has examples: sklearn's StratifiedKFold refuses, Rasa posts the error.
    job = rig.api.post(CROSS_VALIDATION, params={"folds": 20}).json()["job"]

    done = wait_for_job(rig.api, job["id"], "succeeded", "failed")

    assert done["status"] == "failed"
    assert done["error"].startswith("TestingError: An unexpected error occurred during evaluation. Error: n_splits=20")
    assert rig.api.get(CROSS_VALIDATION).status_code == 404


@pytest.mark.parametrize("folds", ["1", "21", "five", "-3"])
def test_folds_outside_2_to_20_are_refused_and_nothing_is_queued(rig: RasaRig, folds: str) -> None:
    response = rig.api.post(CROSS_VALIDATION, params={"folds": folds})

    assert response.status_code == 400, response.text
    assert "folds" in response.json()["message"]
    assert rig.api.get(f"{JOBS}/1").status_code == 404


def test_an_environment_without_a_rasa_server_is_refused(rig: RasaRig) -> None:
    response = rig.api.post(CROSS_VALIDATION, params={"environment": "staging"})

    assert response.status_code == 409, response.text
    assert "CONVERSELY_RASA_ENVIRONMENTS" in response.json()["message"]
