"""The job queue: jobs the gateway runs on Rasa servers (training, cross-validation), one running per environment.

Every change of state is one conditional UPDATE (`... WHERE state = <the state it leaves>`), so of two concurrent
callers moving the same job exactly one succeeds and the other sees the state the first left. That at most one job
of an environment runs at a time is kept by the partial unique index `ux_job_running_environment`.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session, aliased

from storage_service.models import Job
from storage_service.queries.errors import FailedPrecondition, InvalidRequest, NotFound

TRAINING, CROSS_VALIDATION = "training", "cross_validation"
KINDS = (TRAINING, CROSS_VALIDATION)
QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED = "queued", "running", "succeeded", "failed", "canceled"
STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED)
# The states a running job may end in through FinishJob.
FINISHED_STATES = (SUCCEEDED, FAILED)
MIN_FOLDS, MAX_FOLDS = 2, 20
SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


class JobNotFound(NotFound):
    def __init__(self, job_id: int) -> None:
        super().__init__(f"no job with id {job_id}")


class JobInWrongState(FailedPrecondition):
    """The job has left the state the change needs."""

    def __init__(self, job: Job, needed: str) -> None:
        super().__init__(f"job {job.id} is {job.state}, not {needed}")


@dataclass(frozen=True)
class JobFilter:
    """Which jobs ListJobs shows; an empty field selects every job."""

    kind: str = ""
    state: str = ""
    environment: str = ""


@dataclass(frozen=True)
class JobOutcome:
    """How FinishJob ends a running job."""

    state: str
    model_name: str = ""
    error: str = ""
    result_json: str = ""


def create_job(session: Session, kind: str, environment: str, requested_by: str, folds: int) -> Job:
    """Queue a job. Folds are the cross-validation's (between 2 and 20); training has none (0)."""
    if kind not in KINDS:
        raise InvalidRequest(f"kind must be one of {', '.join(KINDS)}")
    _require(environment=environment, requested_by=requested_by)
    if kind == CROSS_VALIDATION and not MIN_FOLDS <= folds <= MAX_FOLDS:
        raise InvalidRequest(f"folds must be between {MIN_FOLDS} and {MAX_FOLDS} for a cross-validation")
    job = Job(
        kind=kind,
        state=QUEUED,
        environment=environment,
        requested_by=requested_by,
        created_at=time.time(),
        folds=folds if kind == CROSS_VALIDATION else 0,
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise JobNotFound(job_id)
    return job


def list_jobs(session: Session, wanted: JobFilter, limit: int, offset: int) -> tuple[list[Job], int]:
    """A page of the jobs `wanted` selects, newest first, and how many it selects in all."""
    conditions = _conditions(wanted)
    total = session.scalar(select(func.count()).select_from(Job).where(*conditions)) or 0
    rows = session.scalars(select(Job).where(*conditions).order_by(Job.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), total


def start_next_job(session: Session, environment: str, callback_secret_sha256: str, fingerprint: str) -> Job | None:
    """Make the oldest queued job of `environment` running, unless one of it runs already (None then, as when
    none is queued).

    One statement picks and starts the job. Of concurrent callers picking the same job, PostgreSQL makes the later
    ones wait for the first and then re-check `state = 'queued'`, which no longer holds: they start nothing. A
    caller that picked another job anyway (its snapshot predates a start the unique index sees) fails on that
    index; the servicer then runs the call again in a new transaction, which sees the running job: nothing started.
    """
    _require(environment=environment)
    if not SHA256_HEX.fullmatch(callback_secret_sha256):
        raise InvalidRequest("callback_secret_sha256 must be a sha256 digest: 64 hexadecimal characters")
    queued, running = aliased(Job), aliased(Job)
    oldest_queued = (
        select(func.min(queued.id)).where(queued.environment == environment, queued.state == QUEUED).scalar_subquery()
    )
    one_running = select(running.id).where(running.environment == environment, running.state == RUNNING).exists()
    return session.scalars(
        update(Job)
        .where(Job.id == oldest_queued, Job.state == QUEUED, ~one_running)
        .values(
            state=RUNNING,
            started_at=time.time(),
            callback_secret_sha256=callback_secret_sha256.lower(),
            fingerprint=fingerprint or None,
        )
        .returning(Job)
    ).one_or_none()


def finish_job(session: Session, job_id: int, outcome: JobOutcome) -> Job:
    """End a running job as succeeded or failed, with what it produced (model, error, results)."""
    if outcome.state not in FINISHED_STATES:
        raise InvalidRequest(f"a job finishes as {' or '.join(FINISHED_STATES)}")
    return _move(
        session,
        job_id,
        RUNNING,
        state=outcome.state,
        finished_at=time.time(),
        model_name=outcome.model_name or None,
        error=outcome.error or None,
        result_json=outcome.result_json or None,
    )


def fail_overdue_jobs(session: Session, started_before: float, error: str) -> list[Job]:
    """Fail every running job started before `started_before` with `error`; the jobs failed, oldest first."""
    _require(error=error)
    if not math.isfinite(started_before):
        raise InvalidRequest("started_before must be a finite time")
    failed = session.scalars(
        update(Job)
        .where(Job.state == RUNNING, Job.started_at < started_before)
        .values(state=FAILED, finished_at=time.time(), error=error)
        .returning(Job)
    ).all()
    return sorted(failed, key=lambda job: job.id)


def cancel_job(session: Session, job_id: int) -> Job:
    """Cancel a job that has not started."""
    return _move(session, job_id, QUEUED, state=CANCELED, finished_at=time.time())


def _move(session: Session, job_id: int, needed: str, **values: object) -> Job:
    """Change the job only if it is in state `needed` (atomic against concurrent changes); else say why not."""
    moved = session.scalars(
        update(Job).where(Job.id == job_id, Job.state == needed).values(**values).returning(Job)
    ).one_or_none()
    if moved is not None:
        return moved
    raise JobInWrongState(get_job(session, job_id), needed)


def _conditions(wanted: JobFilter) -> list[ColumnElement[bool]]:
    conditions = []
    if wanted.kind:
        conditions.append(Job.kind == wanted.kind)
    if wanted.state:
        conditions.append(Job.state == wanted.state)
    if wanted.environment:
        conditions.append(Job.environment == wanted.environment)
    return conditions


def _require(**values: str) -> None:
    for name, value in values.items():
        if not value:
            raise InvalidRequest(f"{name} must not be empty")
