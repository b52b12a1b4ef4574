"""Training jobs end to end: the real gateway (on a real port), a real storage server and the Rasa double, which
trains in the background and posts the model (or its error) to the job's callback, as Rasa 3.6.21 does."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from ruamel.yaml import YAML
from sqlalchemy.orm import Session, sessionmaker

from conversely.settings import Settings
from conversely.storage.v1 import jobs_pb2, project_pb2
from gateway.clients import ServiceClients
from gateway.job_runner import POLL_S, JobRunner
from gateway.push import PushHub
from gateway.rasa_client import RasaServers
from tests.gateway_app import admin, gateway_client
from tests.live_gateway import RasaRig, live_gateway, rasa_rig, wait_for_job
from tests.model_archives import FIXTURE_MODEL
from tests.rasa_double import RasaDouble
from tests.stack import free_port, wait_for
from tests.storage_server import storage_server_address

JOBS = "/api/projects/default/models/jobs"
MODELS = "/api/projects/default/models"
ARCHIVE_TYPE = {"Content-Type": "application/x-tar"}  # what Rasa's callback of a trained model is sent as


@pytest.fixture
def rig(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[RasaRig]:
    with rasa_rig(sqlite_sessions, tmp_path) as rig:
        yield rig


def train(rig: RasaRig, **params: str) -> httpx.Response:
    return rig.api.post(JOBS, params=params)


def queued_job(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()["job"]
    assert response.headers["location"] == f"{JOBS}/{job['id']}"
    return job


def model_names(api: httpx.Client) -> list[str]:
    response = api.get(MODELS)
    assert response.status_code == 200, response.text
    return [model["model"] for model in response.json()]


def callback_of(rig: RasaRig, index: int = 0) -> str:
    """The callback URL the gateway gave Rasa with its `index`-th training request."""
    wait_for(lambda: len(rig.rasa.train_requests) > index, "the training request to reach Rasa", 10)
    return rig.rasa.train_requests[index].query["callback_url"]


def add_example(rig: RasaRig, text: str) -> None:
    nlu = f'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - {text}\n'
    rig.project.ImportProject(
        project_pb2.ImportProjectRequest(
            files=[project_pb2.ProjectFile(path="data/more.yml", content=nlu)], mode=project_pb2.IMPORT_MODE_MERGE
        )
    )


def test_a_training_runs_end_to_end_and_its_model_is_stored_under_the_jobs_name(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with rasa_rig(sessions, tmp_path) as rig:
        pushed = rig.gateway.pushed("models")
        job = queued_job(train(rig))
        assert job["kind"] == "training" and job["environment"] == "worker" and job["requested_by"] == "admin"

        done = wait_for_job(rig.api, job["id"], "succeeded", "failed")

        assert done["status"] == "succeeded", done
        assert done["model"] in model_names(rig.api)
        assert done["started_at"] <= done["finished_at"] and done["duration_s"] >= 0
        downloaded = rig.api.get(f"{MODELS}/{done['model']}")
        assert downloaded.content == FIXTURE_MODEL.read_bytes()
        [request] = rig.rasa.train_requests
        assert request.headers["content-type"] == "application/x-yaml"
        assert request.query["save_to_default_model_directory"] == "false"
        callback = urlsplit(request.query["callback_url"])
        assert f"{callback.scheme}://{callback.netloc}" == rig.gateway.url
        assert callback.path == f"{JOBS}/{job['id']}/callback"
        secret = parse_qs(callback.query)["secret"][0]
        assert len(secret) >= 40
        payload = YAML(typ="safe", pure=True).load(request.body)
        assert {"pipeline", "policies", "intents", "responses", "nlu", "stories", "rules"} <= set(payload)
        assert rig.rasa.callbacks[0].status_code == 200
        # The job's JSON never shows the secret or its hash.
        served = rig.api.get(f"{JOBS}/{job['id']}").text
        assert secret not in served and "secret" not in served
        wait_for(lambda: len(pushed) >= 4, "the job's changes to be pushed", 5)
        statuses = [message["job"]["status"] for message in pushed if message["type"] == "job"]
        assert statuses == ["queued", "running", "succeeded"]
        [added] = [message for message in pushed if message["type"] == "model_added"]
        assert added["model"]["model"] == done["model"]


def test_rasas_error_fails_the_job_with_rasas_reason_and_message(rig: RasaRig) -> None:
    rig.rasa.behaviour.training = "fail"
    rig.rasa.behaviour.training_error = "An unexpected error occurred during training. Error: out of memory"

    done = wait_for_job(rig.api, queued_job(train(rig))["id"], "succeeded", "failed")

    assert done["status"] == "failed"
    assert done["error"] == "TrainingError: An unexpected error occurred during training. Error: out of memory"
    assert done["model"] is None
    assert rig.rasa.callbacks[0].status_code == 200  # Rasa raises on anything else
    assert model_names(rig.api) == []


def test_a_training_rasa_never_reports_back_on_fails_after_the_timeout(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with rasa_rig(sqlite_sessions, tmp_path, {"CONVERSELY_TRAINING_TIMEOUT_S": "1"}) as rig:
        rig.rasa.behaviour.training = "never"
        job = queued_job(train(rig))
        wait_for_job(rig.api, job["id"], "running")

        done = wait_for_job(rig.api, job["id"], "failed", timeout_s=10)

        assert done["error"].startswith("Rasa did not report back within 1 s")
        late = httpx.post(callback_of(rig), content=FIXTURE_MODEL.read_bytes(), headers=ARCHIVE_TYPE)
        assert late.status_code == 409, late.text
        assert model_names(rig.api) == []


def test_a_second_training_asked_for_while_one_runs_is_queued_once_and_runs_after_it(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with rasa_rig(sessions, tmp_path) as rig:
        rig.rasa.behaviour.training_delay_s = 1.0
        first = queued_job(train(rig))
        wait_for_job(rig.api, first["id"], "running")

        second = queued_job(train(rig, force="true"))
        again = train(rig, force="true")

        assert second["status"] == "queued" and second["id"] != first["id"]
        assert queued_job(again)["id"] == second["id"], "no second queued training of the same environment"
        assert again.json()["info"] == "Training queued already."
        first_done = wait_for_job(rig.api, first["id"], "succeeded", "failed")
        second_done = wait_for_job(rig.api, second["id"], "succeeded", "failed")
        assert first_done["status"] == second_done["status"] == "succeeded"
        assert second_done["started_at"] >= first_done["finished_at"]
        assert len(rig.rasa.train_requests) == 2
        assert sorted(model_names(rig.api)) == sorted([first_done["model"], second_done["model"]])


def test_unchanged_data_gives_the_existing_model_and_force_or_changed_data_trains_again(rig: RasaRig) -> None:
    first = wait_for_job(rig.api, queued_job(train(rig))["id"], "succeeded", "failed")
    assert first["status"] == "succeeded", first

    unchanged = train(rig)
    assert unchanged.status_code == 200, unchanged.text
    assert unchanged.json() == {"info": "Model already exists.", "model": first["model"]}
    assert len(rig.rasa.train_requests) == 1

    forced = wait_for_job(rig.api, queued_job(train(rig, force="true"))["id"], "succeeded", "failed")
    assert forced["status"] == "succeeded" and forced["model"] != first["model"]
    assert train(rig).json()["model"] == forced["model"]

    add_example(rig, "howdy partner")
    changed = wait_for_job(rig.api, queued_job(train(rig))["id"], "succeeded", "failed")
    assert "howdy partner" in rig.rasa.train_requests[-1].body.decode()

    # With its model deleted, the newest training no longer counts as the current model.
    assert rig.api.delete(f"{MODELS}/{changed['model']}").status_code == 204
    queued_job(train(rig))


def test_a_wrong_or_reused_secret_is_refused_and_nothing_is_stored(rig: RasaRig) -> None:
    rig.rasa.behaviour.training = "never"
    job = queued_job(train(rig))
    url = callback_of(rig)
    wait_for_job(rig.api, job["id"], "running")
    archive = {"content": FIXTURE_MODEL.read_bytes(), "headers": {"Content-Type": "application/x-tar"}}
    base, _, _ = url.partition("?")

    for wrong in (f"{base}?secret=not-the-secret", base, url.replace(f"/jobs/{job['id']}/", "/jobs/999/")):
        assert httpx.post(wrong, **archive).status_code in {401, 404}, wrong  # type: ignore[arg-type]
    assert httpx.post(f"{base}?secret=not-the-secret", **archive).status_code == 401  # type: ignore[arg-type]
    assert model_names(rig.api) == []
    assert rig.api.get(f"{JOBS}/{job['id']}").json()["status"] == "running"

    accepted = httpx.post(url, **archive)  # type: ignore[arg-type]
    assert accepted.status_code == 200, accepted.text
    reused = httpx.post(url, **archive)  # type: ignore[arg-type]
    assert reused.status_code == 409, reused.text
    assert model_names(rig.api) == [accepted.json()["job"]["model"]]


def test_a_body_storage_refuses_fails_the_job_with_storages_reason(rig: RasaRig) -> None:
    rig.rasa.behaviour.training = "never"
    job = queued_job(train(rig))
    url = callback_of(rig)
    wait_for_job(rig.api, job["id"], "running")

    refused = httpx.post(url, content=b"not a model archive", headers={"Content-Type": "application/x-tar"})

    assert refused.status_code == 400, refused.text
    done = rig.api.get(f"{JOBS}/{job['id']}").json()
    assert done["status"] == "failed"
    assert done["error"].startswith("Rasa's model could not be stored: ")
    assert model_names(rig.api) == []


def test_json_that_is_not_rasas_error_fails_the_job(rig: RasaRig) -> None:
    rig.rasa.behaviour.training = "never"
    job = queued_job(train(rig))
    url = callback_of(rig)
    wait_for_job(rig.api, job["id"], "running")

    answered = httpx.post(url, json={"something": "else"})

    assert answered.status_code == 400, answered.text
    assert rig.api.get(f"{JOBS}/{job['id']}").json()["status"] == "failed"


def test_jobs_are_listed_newest_first_filtered_and_a_queued_one_can_be_canceled(rig: RasaRig) -> None:
    rig.rasa.behaviour.training = "never"
    running = queued_job(train(rig))
    wait_for_job(rig.api, running["id"], "running")
    waiting = queued_job(train(rig, force="true"))

    listed = rig.api.get(JOBS)
    assert [job["id"] for job in listed.json()] == [waiting["id"], running["id"]]
    assert listed.headers["x-total-count"] == "2"
    only_queued = rig.api.get(JOBS, params={"state": "queued", "kind": "training"}).json()
    assert [job["id"] for job in only_queued] == [waiting["id"]]
    assert rig.api.get(JOBS, params={"kind": "cross_validation"}).json() == []
    assert rig.api.get(JOBS, params={"limit": 1, "offset": 1}).json()[0]["id"] == running["id"]
    assert rig.api.get(JOBS, params={"state": "sleeping"}).status_code == 400

    canceled = rig.api.delete(f"{JOBS}/{waiting['id']}")
    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["status"] == "canceled"
    assert rig.api.delete(f"{JOBS}/{running['id']}").status_code == 409
    assert rig.api.get(f"{JOBS}/999999").status_code == 404
    assert rig.api.get(f"{JOBS}/not-a-number").status_code == 404
    assert rig.api.post("/api/projects/other/models/jobs").status_code == 404


def test_without_a_worker_training_is_refused_naming_the_setting(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path) as client:
        response = client.post(JOBS, headers=admin(client))

    assert response.status_code == 409, response.text
    assert response.json()["reason"] == "NoRasaServer"
    assert "CONVERSELY_RASA_ENVIRONMENTS" in response.json()["message"]


def test_an_unreachable_worker_fails_the_job_saying_so(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with live_gateway(sqlite_sessions, tmp_path, {"CONVERSELY_RASA_ENVIRONMENTS": f"worker={dead}"}) as gateway:
        job = queued_job(gateway.admin().post(JOBS))
        done = wait_for_job(gateway.admin(), job["id"], "failed", timeout_s=10)

    assert done["error"].startswith(f"the Rasa server of 'worker' at {dead} did not answer: ConnectError")


def test_the_job_runner_survives_storage_being_unavailable_and_starts_the_job_once_it_is_back(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ready = threading.Event()  # storage answers UNAVAILABLE until it is set, as while its migrations run
    with RasaDouble() as rasa, storage_server_address(sqlite_sessions, ready=ready) as address:
        settings = Settings.from_env(
            {
                "CONVERSELY_DATA_DIR": str(tmp_path),
                "CONVERSELY_STORAGE_ADDRESS": address,
                "CONVERSELY_RASA_ENVIRONMENTS": f"worker={rasa.url}",
            }
        )

        async def scenario() -> tuple[str | None, str | None]:
            services, servers = ServiceClients.connect(settings), RasaServers.from_settings(settings)
            runner = JobRunner(settings, services, servers, PushHub(), asyncio.Event())
            running = asyncio.create_task(runner.run())
            for _ in range(300):  # rounds against storage that is not there
                if runner.outage is not None:
                    break
                await asyncio.sleep(0.1)
            during = runner.outage
            await asyncio.sleep(POLL_S + 0.5)  # at least one more failing round
            assert not running.done(), "the runner stopped"
            ready.set()
            created = await services.jobs.CreateJob(
                jobs_pb2.CreateJobRequest(kind=jobs_pb2.JOB_KIND_TRAINING, environment="worker", requested_by="t")
            )
            runner.wakeup.set()
            for _ in range(100):
                if rasa.train_requests:
                    break
                await asyncio.sleep(0.1)
            for _ in range(50):  # the round that started it ends, and reports that it went well
                if runner.outage is None:
                    break
                await asyncio.sleep(0.1)
            job = (await services.jobs.GetJob(jobs_pb2.GetJobRequest(id=created.job.id))).job
            after = runner.outage
            running.cancel()
            await services.close()
            await servers.close()
            assert job.state == jobs_pb2.JOB_STATE_RUNNING
            return during, after

        during, after = asyncio.run(scenario())

    assert during is not None and "UNAVAILABLE" in during, during
    assert after is None, "the runner noticed storage is back"
    assert len(rasa.train_requests) == 1
