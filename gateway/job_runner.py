"""The gateway's job queue runner: starts queued jobs on their Rasa server and fails the overdue ones.

The queue lives in storage (JobService), so every gateway may run this loop: StartNextJob starts a job once, and at
most one per environment runs at a time. A started job gets a fresh one-time secret (storage keeps only its sha256)
in the callback URL Rasa posts the result to (gateway/job_callback.py). Rasa answers `POST /model/train` at once and
trains in the background; when it never calls back, the job fails after CONVERSELY_TRAINING_TIMEOUT_S.

The loop wakes at once when this gateway queues a job (`wake_job_runner`) and polls storage every POLL_S otherwise,
for jobs other gateways queued. Storage being away is logged and retried; nothing ends the loop but cancellation.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field

import grpc
import structlog
from starlette.datastructures import State

from conversely.settings import Settings
from conversely.storage.v1 import jobs_pb2, project_pb2
from gateway.clients import CALL_TIMEOUT_S, ServiceClients
from gateway.errors import ApiError
from gateway.job_json import job_json
from gateway.push import MODELS_TOPIC, PushHub
from gateway.rasa_client import RasaServers
from gateway.training_payload import PayloadError, cross_validation_payload, training_payload

log = structlog.get_logger()

POLL_S = 2.0
# Jobs Rasa refuses at once are failed one after the other, this many in a round at most.
MAX_STARTS_PER_ROUND = 100
SECRET_BYTES = 32
# Storage answers these while it is starting or briefly away: the job waits for the next round.
TRANSIENT_CODES = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})


def wake_job_runner(state: State) -> None:
    """Have the runner look at the queue now (a job was just queued) instead of at its next poll."""
    state.job_queue_wakeup.set()


def publish_job(push: PushHub, job: jobs_pb2.Job) -> None:
    """Tell the subscribers of the models topic how the job stands now."""
    push.publish(MODELS_TOPIC, {"type": "job", "job": job_json(job)})


def callback_secret_sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def callback_url(public_url: str, job_id: int, secret: str) -> str:
    return f"{public_url}/api/projects/default/models/jobs/{job_id}/callback?secret={secret}"


async def run_job_queue(state: State) -> None:
    """Run until cancelled."""
    runner = JobRunner(state.settings, state.clients, state.rasa_servers, state.push, state.job_queue_wakeup)
    await runner.run()


class JobFailed(Exception):
    """A started job that cannot be handed to Rasa; the message says why, for the job's `error`."""


@dataclass
class JobRunner:
    settings: Settings
    clients: ServiceClients
    rasa: RasaServers
    push: PushHub
    wakeup: asyncio.Event
    # The problem of the last round that failed, so that an outage is logged when it starts and when it ends.
    _failing: str | None = field(default=None, init=False)

    @property
    def outage(self) -> str | None:
        """What failed in the last round (storage away, ...), or None when it went well."""
        return self._failing

    async def run(self) -> None:
        log.info("job_queue_started", environments=sorted(self.rasa.urls), timeout_s=self.settings.training_timeout_s)
        while True:
            self.wakeup.clear()
            if self.rasa.urls:
                await self.run_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), POLL_S)

    async def run_once(self) -> None:
        """Fail the overdue jobs, then start the next job of every environment that has none running."""
        problems = [await self._attempt(self.fail_overdue_jobs())]
        for environment in self.rasa.urls:
            problems.append(await self._attempt(self.start_next_jobs(environment), environment))
        self._report(next((problem for problem in problems if problem), None))

    async def _attempt(self, step: Awaitable[None], environment: str | None = None) -> str | None:
        """Run one step of a round; what went wrong, or None."""
        try:
            await step
        except grpc.aio.AioRpcError as error:
            return f"storage answered {error.code().name}: {error.details()}"
        except Exception as error:
            log.exception("job_queue_step_failed", environment=environment)
            return f"{type(error).__name__}: {error}"
        return None

    def _report(self, problem: str | None) -> None:
        if problem is not None and self._failing is None:
            log.warning("job_queue_failing", problem=problem, retry_s=POLL_S)
        elif problem is None and self._failing is not None:
            log.info("job_queue_recovered")
        self._failing = problem

    async def fail_overdue_jobs(self) -> None:
        timeout_s = self.settings.training_timeout_s
        response = await self.clients.jobs.FailOverdueJobs(
            jobs_pb2.FailOverdueJobsRequest(
                started_before=time.time() - timeout_s,
                error=f"Rasa did not report back within {timeout_s:g} s: the job timed out (see the Rasa server's "
                "log; CONVERSELY_TRAINING_TIMEOUT_S sets the limit)",
            ),
            timeout=CALL_TIMEOUT_S,
        )
        for job in response.jobs:
            log.warning("job_timed_out", job_id=job.id, environment=job.environment, timeout_s=timeout_s)
            publish_job(self.push, job)

    async def start_next_jobs(self, environment: str) -> None:
        """Start the environment's next job; while each fails at once (Rasa refused it), the one after it."""
        for _ in range(MAX_STARTS_PER_ROUND):
            if not await self.start_next_job(environment):
                return

    async def start_next_job(self, environment: str) -> bool:
        """Start the environment's oldest queued job and hand it to Rasa, unless one of it is running already;
        whether one was started and failed at once (so that the next may start now)."""
        if await self._count(environment, jobs_pb2.JOB_STATE_RUNNING) or not await self._count(
            environment, jobs_pb2.JOB_STATE_QUEUED
        ):
            return False
        files, fingerprint, problem = await self._export()
        secret = secrets.token_urlsafe(SECRET_BYTES)
        started = await self.clients.jobs.StartNextJob(
            jobs_pb2.StartNextJobRequest(
                environment=environment, callback_secret_sha256=callback_secret_sha256(secret), fingerprint=fingerprint
            ),
            timeout=CALL_TIMEOUT_S,
        )
        if not started.HasField("job"):
            return False
        job = started.job
        log.info("job_started", job_id=job.id, kind=job_json(job)["kind"], environment=environment)
        publish_job(self.push, job)
        try:
            if problem is not None:
                raise JobFailed(problem)
            await self._hand_to_rasa(job, files, secret)
        except (JobFailed, PayloadError) as error:
            await self._fail(job, str(error))
        except ApiError as error:  # NoRasaServer, RasaUnreachable, RasaRefused
            await self._fail(job, error.message)
        else:
            return False
        return True

    async def _export(self) -> tuple[list[tuple[str, str]], str, str | None]:
        """The project's files and fingerprint; or no files and why, when storage cannot export the data at all."""
        try:
            export = await self.clients.project.ExportProject(
                project_pb2.ExportProjectRequest(), timeout=CALL_TIMEOUT_S
            )
        except grpc.aio.AioRpcError as error:
            if error.code() in TRANSIENT_CODES:
                raise
            return [], "", f"the training data could not be exported: {error.details()}"
        return [(file.path, file.content) for file in export.files], export.fingerprint, None

    async def _count(self, environment: str, state: jobs_pb2.JobState) -> int:
        response = await self.clients.jobs.ListJobs(
            jobs_pb2.ListJobsRequest(environment=environment, state=state, limit=1),
            timeout=CALL_TIMEOUT_S,
        )
        return response.total_count

    async def _hand_to_rasa(self, job: jobs_pb2.Job, files: list[tuple[str, str]], secret: str) -> None:
        url = callback_url(self.settings.effective_public_url, job.id, secret)
        if job.kind == jobs_pb2.JOB_KIND_CROSS_VALIDATION:
            payload = await asyncio.to_thread(cross_validation_payload, files)
            await self.rasa.start_cross_validation(job.environment, payload, job.folds, url)
        elif job.kind == jobs_pb2.JOB_KIND_TRAINING:
            payload = await asyncio.to_thread(training_payload, files)
            await self.rasa.start_training(job.environment, payload, url)
        else:
            raise JobFailed(f"the job's kind ({job.kind}) is not one this gateway runs")
        log.info("job_handed_to_rasa", job_id=job.id, environment=job.environment, payload_chars=len(payload))

    async def _fail(self, job: jobs_pb2.Job, error: str) -> None:
        log.warning("job_failed", job_id=job.id, environment=job.environment, error=error)
        try:
            finished = await self.clients.jobs.FinishJob(
                jobs_pb2.FinishJobRequest(id=job.id, state=jobs_pb2.JOB_STATE_FAILED, error=error),
                timeout=CALL_TIMEOUT_S,
            )
        except grpc.aio.AioRpcError as rpc_error:
            if rpc_error.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            return  # it ended otherwise meanwhile (Rasa called back, or it timed out)
        publish_job(self.push, finished.job)
