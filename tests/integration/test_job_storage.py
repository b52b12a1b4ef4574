"""JobService over real gRPC on real SQLite and PostgreSQL: the queue per environment, every state change and every
error code the contract promises, and what concurrent callers (several gateways) can and cannot do to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import jobs_pb2, jobs_pb2_grpc, storage_pb2, storage_pb2_grpc
from storage_service.cache import InProcessCache
from storage_service.models import Job
from tests.storage import append, user
from tests.storage_server import rejected, storage_server

Stub = jobs_pb2_grpc.JobServiceStub
SECRET = "0123456789abcdef" * 4
TRAINING, CROSS_VALIDATION = jobs_pb2.JOB_KIND_TRAINING, jobs_pb2.JOB_KIND_CROSS_VALIDATION
QUEUED, RUNNING = jobs_pb2.JOB_STATE_QUEUED, jobs_pb2.JOB_STATE_RUNNING
SUCCEEDED, FAILED, CANCELED = jobs_pb2.JOB_STATE_SUCCEEDED, jobs_pb2.JOB_STATE_FAILED, jobs_pb2.JOB_STATE_CANCELED


@pytest.fixture
def jobs(storage_channel: grpc.Channel) -> Stub:
    return Stub(storage_channel)


def create(
    jobs: Stub, kind: Any = TRAINING, environment: str = "worker", requested_by: str = "alice", folds: int = 0
) -> jobs_pb2.Job:
    request = jobs_pb2.CreateJobRequest(kind=kind, environment=environment, requested_by=requested_by, folds=folds)
    return jobs.CreateJob(request).job


def start(jobs: Stub, environment: str = "worker", fingerprint: str = "fp-1") -> jobs_pb2.Job | None:
    request = jobs_pb2.StartNextJobRequest(
        environment=environment, callback_secret_sha256=SECRET, fingerprint=fingerprint
    )
    response = jobs.StartNextJob(request)
    return response.job if response.HasField("job") else None


def finish(jobs: Stub, job_id: int, state: Any = SUCCEEDED, **fields: str) -> jobs_pb2.Job:
    return jobs.FinishJob(jobs_pb2.FinishJobRequest(id=job_id, state=state, **fields)).job


def get(jobs: Stub, job_id: int) -> jobs_pb2.Job:
    return jobs.GetJob(jobs_pb2.GetJobRequest(id=job_id)).job


def listed(jobs: Stub, **request: Any) -> tuple[list[int], int]:
    response = jobs.ListJobs(jobs_pb2.ListJobsRequest(**request))
    return [job.id for job in response.jobs], response.total_count


def test_created_job_is_queued_and_comes_back_by_id(jobs: Stub) -> None:
    before = time.time()
    job = create(jobs, environment="worker", requested_by="alice")
    assert job.id > 0
    assert (job.kind, job.state, job.environment, job.requested_by, job.folds) == (
        TRAINING,
        QUEUED,
        "worker",
        "alice",
        0,
    )
    assert before <= job.created_at <= time.time()
    assert (job.started_at, job.finished_at, job.fingerprint, job.model_name, job.error, job.result_json) == (
        0,
        0,
        "",
        "",
        "",
        "",
    )
    assert job.callback_secret_sha256 == ""
    assert get(jobs, job.id) == job


def test_training_ignores_folds_and_cross_validation_keeps_them(jobs: Stub) -> None:
    assert create(jobs, TRAINING, folds=5).folds == 0
    assert create(jobs, CROSS_VALIDATION, folds=2).folds == 2
    assert create(jobs, CROSS_VALIDATION, folds=20).folds == 20


@pytest.mark.parametrize(
    ("request_fields", "named"),
    [
        ({"kind": jobs_pb2.JOB_KIND_UNSPECIFIED}, "kind"),
        ({"kind": 7}, "kind"),
        ({"environment": ""}, "environment"),
        ({"requested_by": ""}, "requested_by"),
        ({"kind": CROSS_VALIDATION, "folds": 0}, "folds"),
        ({"kind": CROSS_VALIDATION, "folds": 1}, "folds"),
        ({"kind": CROSS_VALIDATION, "folds": 21}, "folds"),
        ({"kind": CROSS_VALIDATION, "folds": -3}, "folds"),
    ],
)
def test_incomplete_job_is_invalid_and_not_queued(jobs: Stub, request_fields: dict[str, Any], named: str) -> None:
    fields = {"kind": TRAINING, "environment": "worker", "requested_by": "alice", **request_fields}
    assert named in rejected(jobs.CreateJob, jobs_pb2.CreateJobRequest(**fields))
    assert listed(jobs) == ([], 0)


def test_unknown_job_is_not_found(jobs: Stub) -> None:
    assert "42" in rejected(jobs.GetJob, jobs_pb2.GetJobRequest(id=42), grpc.StatusCode.NOT_FOUND)
    rejected(jobs.CancelJob, jobs_pb2.CancelJobRequest(id=42), grpc.StatusCode.NOT_FOUND)
    rejected(jobs.FinishJob, jobs_pb2.FinishJobRequest(id=42, state=SUCCEEDED), grpc.StatusCode.NOT_FOUND)


def test_list_is_newest_first_with_filters_and_total(jobs: Stub) -> None:
    first = create(jobs, TRAINING, environment="worker").id
    second = create(jobs, CROSS_VALIDATION, environment="worker", folds=5).id
    third = create(jobs, TRAINING, environment="other").id
    fourth = create(jobs, TRAINING, environment="worker").id
    assert start(jobs, "worker") is not None  # the first becomes running
    assert listed(jobs) == ([fourth, third, second, first], 4)
    assert listed(jobs, kind=TRAINING) == ([fourth, third, first], 3)
    assert listed(jobs, kind=CROSS_VALIDATION) == ([second], 1)
    assert listed(jobs, state=RUNNING) == ([first], 1)
    assert listed(jobs, state=QUEUED, environment="worker") == ([fourth, second], 2)
    assert listed(jobs, environment="other") == ([third], 1)
    assert listed(jobs, environment="nowhere") == ([], 0)
    assert listed(jobs, limit=2) == ([fourth, third], 4)
    assert listed(jobs, limit=2, offset=2) == ([second, first], 4)
    assert listed(jobs, offset=10) == ([], 4)


def test_list_limit_defaults_to_100_and_is_capped_at_1000(jobs: Stub, sessions: sessionmaker[Session]) -> None:
    row = {"kind": "training", "state": "queued", "environment": "worker", "requested_by": "alice", "created_at": 1.0}
    with sessions.begin() as session:
        session.execute(insert(Job), [row] * 1001)
    assert len(listed(jobs)[0]) == 100
    assert listed(jobs, limit=5000)[1] == 1001
    assert len(listed(jobs, limit=5000)[0]) == 1000


@pytest.mark.parametrize(
    ("request_fields", "named"),
    [({"limit": -1}, "limit"), ({"offset": -1}, "offset"), ({"state": 9}, "state"), ({"kind": 9}, "kind")],
)
def test_list_refuses_what_selects_nothing_meaningful(jobs: Stub, request_fields: dict[str, Any], named: str) -> None:
    assert named in rejected(jobs.ListJobs, jobs_pb2.ListJobsRequest(**request_fields))


def test_start_makes_the_oldest_queued_job_of_the_environment_running(jobs: Stub) -> None:
    create(jobs, environment="other")
    oldest = create(jobs, CROSS_VALIDATION, environment="worker", folds=3)
    create(jobs, environment="worker")
    before = time.time()
    started = start(jobs, "worker", fingerprint="abc123")
    assert started is not None
    assert (started.id, started.state, started.kind, started.folds) == (oldest.id, RUNNING, CROSS_VALIDATION, 3)
    assert before <= started.started_at <= time.time()
    assert (started.fingerprint, started.callback_secret_sha256, started.finished_at) == ("abc123", SECRET, 0)
    assert get(jobs, oldest.id) == started


def test_start_starts_nothing_while_a_job_of_the_environment_runs(jobs: Stub) -> None:
    first, second = create(jobs).id, create(jobs).id
    other = create(jobs, environment="other").id
    assert start(jobs).id == first  # type: ignore[union-attr]
    assert start(jobs) is None
    assert get(jobs, second).state == QUEUED
    assert start(jobs, "other").id == other  # type: ignore[union-attr]  # environments queue independently
    finish(jobs, first, model_name="model-1")
    assert start(jobs).id == second  # type: ignore[union-attr]


def test_start_with_nothing_queued_starts_nothing(jobs: Stub) -> None:
    assert start(jobs) is None
    canceled = create(jobs).id
    jobs.CancelJob(jobs_pb2.CancelJobRequest(id=canceled))
    assert start(jobs) is None
    assert get(jobs, canceled).state == CANCELED


def test_uppercase_secret_digest_is_stored_in_lowercase(jobs: Stub) -> None:
    create(jobs)
    response = jobs.StartNextJob(
        jobs_pb2.StartNextJobRequest(environment="worker", callback_secret_sha256=SECRET.upper())
    )
    assert (response.job.callback_secret_sha256, response.job.fingerprint) == (SECRET, "")


@pytest.mark.parametrize(
    ("request_fields", "named"),
    [
        ({"environment": ""}, "environment"),
        ({"callback_secret_sha256": ""}, "callback_secret_sha256"),
        ({"callback_secret_sha256": SECRET[:-1]}, "callback_secret_sha256"),
        ({"callback_secret_sha256": SECRET + "0"}, "callback_secret_sha256"),
        ({"callback_secret_sha256": "g" + SECRET[1:]}, "callback_secret_sha256"),
    ],
)
def test_start_needs_an_environment_and_a_sha256_digest(jobs: Stub, request_fields: dict[str, Any], named: str) -> None:
    job = create(jobs)
    fields = {"environment": "worker", "callback_secret_sha256": SECRET, **request_fields}
    assert named in rejected(jobs.StartNextJob, jobs_pb2.StartNextJobRequest(**fields))
    assert get(jobs, job.id).state == QUEUED


def test_finished_training_keeps_its_model_and_cross_validation_its_results(jobs: Stub) -> None:
    training = create(jobs).id
    start(jobs)
    before = time.time()
    done = finish(jobs, training, SUCCEEDED, model_name="20261124-000451-fancy.tar.gz")
    assert (done.state, done.model_name, done.error, done.result_json) == (
        SUCCEEDED,
        "20261124-000451-fancy.tar.gz",
        "",
        "",
    )
    assert before <= done.finished_at <= time.time()
    assert done.started_at <= done.finished_at
    assert get(jobs, training) == done
    evaluation = create(jobs, CROSS_VALIDATION, folds=4).id
    start(jobs)
    results = '{"intent_evaluation": {"accuracy": 0.9}}'
    assert finish(jobs, evaluation, SUCCEEDED, result_json=results).result_json == results


def test_failed_job_keeps_the_error(jobs: Stub) -> None:
    job = create(jobs).id
    start(jobs)
    failed = finish(jobs, job, FAILED, error="Rasa answered 500: out of memory")
    assert (failed.state, failed.error, failed.model_name) == (FAILED, "Rasa answered 500: out of memory", "")
    assert failed.finished_at > 0


@pytest.mark.parametrize("state", [jobs_pb2.JOB_STATE_UNSPECIFIED, QUEUED, RUNNING, CANCELED, 9])
def test_job_finishes_only_as_succeeded_or_failed(jobs: Stub, state: Any) -> None:
    job = create(jobs).id
    start(jobs)
    assert "succeeded or failed" in rejected(jobs.FinishJob, jobs_pb2.FinishJobRequest(id=job, state=state))
    assert get(jobs, job).state == RUNNING


def test_only_a_running_job_finishes(jobs: Stub) -> None:
    queued = create(jobs).id
    details = rejected(
        jobs.FinishJob, jobs_pb2.FinishJobRequest(id=queued, state=SUCCEEDED), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert "queued" in details
    start(jobs)
    finish(jobs, queued, SUCCEEDED, model_name="first")
    second_callback = jobs_pb2.FinishJobRequest(id=queued, state=FAILED, error="late")
    assert "succeeded" in rejected(jobs.FinishJob, second_callback, grpc.StatusCode.FAILED_PRECONDITION)
    after = get(jobs, queued)
    assert (after.state, after.model_name, after.error) == (SUCCEEDED, "first", "")


def test_overdue_running_jobs_fail_with_the_reason(jobs: Stub) -> None:
    overdue = create(jobs, environment="a").id
    start(jobs, "a")
    create(jobs, environment="a")  # queued: never overdue
    time.sleep(0.05)
    deadline = time.time()
    recent = create(jobs, environment="b").id
    start(jobs, "b")
    response = jobs.FailOverdueJobs(jobs_pb2.FailOverdueJobsRequest(started_before=deadline, error="timed out"))
    assert [job.id for job in response.jobs] == [overdue]
    failed = response.jobs[0]
    assert (failed.state, failed.error) == (FAILED, "timed out")
    assert failed.finished_at >= deadline
    assert get(jobs, overdue) == failed
    assert get(jobs, recent).state == RUNNING
    assert listed(jobs, state=QUEUED, environment="a")[1] == 1
    late = jobs_pb2.FinishJobRequest(id=overdue, state=SUCCEEDED, model_name="late")
    assert "failed" in rejected(jobs.FinishJob, late, grpc.StatusCode.FAILED_PRECONDITION)
    assert start(jobs, "a") is not None  # the queue moves on


def test_failing_overdue_jobs_needs_a_reason(jobs: Stub) -> None:
    job = create(jobs).id
    start(jobs)
    rejected(jobs.FailOverdueJobs, jobs_pb2.FailOverdueJobsRequest(started_before=time.time() + 10))
    assert get(jobs, job).state == RUNNING


def test_only_a_queued_job_is_canceled(jobs: Stub) -> None:
    running, queued = create(jobs).id, create(jobs).id
    start(jobs)
    canceled = jobs.CancelJob(jobs_pb2.CancelJobRequest(id=queued)).job
    assert (canceled.id, canceled.state) == (queued, CANCELED)
    assert canceled.finished_at > 0
    assert "running" in rejected(
        jobs.CancelJob, jobs_pb2.CancelJobRequest(id=running), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert "canceled" in rejected(
        jobs.CancelJob, jobs_pb2.CancelJobRequest(id=queued), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert get(jobs, running).state == RUNNING


def concurrently(calls: int, work: Callable[[], Any], threads: int = 2) -> list[Any]:
    """`work` called `calls` times by each of `threads` threads released together; every result."""
    barrier = threading.Barrier(threads)

    def repeat() -> list[Any]:
        barrier.wait()
        return [work() for _ in range(calls)]

    with ThreadPoolExecutor(threads) as pool:
        return [result for future in [pool.submit(repeat) for _ in range(threads)] for result in future.result()]


def test_concurrent_starts_start_one_job_once(jobs: Stub) -> None:
    for _ in range(5):
        create(jobs)
    started = [job for job in concurrently(40, lambda: start(jobs)) if job is not None]
    assert len(started) == 1
    assert listed(jobs, state=RUNNING) == ([started[0].id], 1)


def test_concurrent_gateways_never_run_two_jobs_of_an_environment_at_once(jobs: Stub) -> None:
    """Two threads each loop start → finish until every job has run: each runs exactly once, never two at a time,
    and no call fails. A job counts as running from when its start returned until just before its finish, a span
    inside the one it is running in the database; so two overlapping spans are two jobs running at once."""
    queued = [create(jobs).id for _ in range(30)]
    lock = threading.Lock()
    running_now: set[int] = set()
    overlaps: list[tuple[int, ...]] = []
    ran: list[int] = []
    calls = [0]

    def start_and_finish() -> None:
        job = start(jobs)
        with lock:
            calls[0] += 1
            if job is None:
                return
            if running_now:
                overlaps.append((*running_now, job.id))
            running_now.add(job.id)
            ran.append(job.id)
        time.sleep(0.001)
        with lock:
            running_now.discard(job.id)
        finish(jobs, job.id, SUCCEEDED, model_name=f"model-{job.id}")

    def until_all_ran() -> None:
        deadline = time.monotonic() + 60
        while len(ran) < len(queued) and time.monotonic() < deadline:
            start_and_finish()

    concurrently(1, until_all_ran)
    assert overlaps == []
    assert ran == queued  # each job once, oldest first
    assert calls[0] > len(queued)  # the threads did compete: some calls found the other's job running
    assert listed(jobs, state=SUCCEEDED) == (queued[::-1], len(queued))


def race_callback_and_sweep(jobs: Stub, job: int) -> tuple[str, str]:
    """A callback finishing `job` and an overdue sweep released together: what each achieved."""
    barrier = threading.Barrier(2)

    def callback() -> str:
        barrier.wait()
        try:
            finish(jobs, job, SUCCEEDED, model_name="model")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.FAILED_PRECONDITION, error.details()
            return "refused"
        return "finished"

    def sweep() -> str:
        barrier.wait()
        request = jobs_pb2.FailOverdueJobsRequest(started_before=time.time() + 60, error="timed out")
        return "failed" if [j.id for j in jobs.FailOverdueJobs(request).jobs] == [job] else "nothing"

    with ThreadPoolExecutor(2) as pool:
        finishing, sweeping = pool.submit(callback), pool.submit(sweep)
        return finishing.result(), sweeping.result()


def test_concurrent_finish_and_timeout_end_a_job_once(jobs: Stub) -> None:
    """A callback and the overdue sweep race for the same running job: exactly one of them ends it."""
    for attempt in range(10):
        job = create(jobs).id
        assert start(jobs) is not None
        outcome = race_callback_and_sweep(jobs, job)
        assert outcome in {("finished", "nothing"), ("refused", "failed")}, (attempt, outcome)
        assert get(jobs, job).state == (SUCCEEDED if outcome[0] == "finished" else FAILED)


def test_two_concurrent_callbacks_finish_a_job_once(jobs: Stub) -> None:
    job = create(jobs).id
    start(jobs)

    def callback(state: Any) -> Any:
        try:
            return finish(jobs, job, state, model_name="m", error="e").state
        except grpc.RpcError as error:
            return error.code()

    outcomes = concurrently(1, lambda: callback(SUCCEEDED))
    assert sorted(outcomes, key=str) == sorted([SUCCEEDED, grpc.StatusCode.FAILED_PRECONDITION], key=str)
    assert get(jobs, job).state == SUCCEEDED


@pytest.fixture
def counted_cache() -> Iterator[tuple[InProcessCache, list[int]]]:
    invalidations: list[int] = []

    class CountingCache(InProcessCache):
        def invalidate(self) -> None:
            invalidations.append(1)
            super().invalidate()

    yield CountingCache(), invalidations


def test_job_writes_keep_the_query_cache(
    sqlite_sessions: sessionmaker[Session], counted_cache: tuple[InProcessCache, list[int]]
) -> None:
    """Gateways poll StartNextJob: if it emptied the cache, the conversation list would never be served from it."""
    cache, invalidations = counted_cache
    append(sqlite_sessions, [user("s", 1.0)])
    with storage_server(sqlite_sessions, cache=cache) as channel:
        jobs = Stub(channel)
        job = create(jobs).id
        start(jobs)
        finish(jobs, job, FAILED, error="e")
        create(jobs)
        jobs.CancelJob(jobs_pb2.CancelJobRequest(id=job + 1))
        jobs.FailOverdueJobs(jobs_pb2.FailOverdueJobsRequest(started_before=time.time(), error="timed out"))
        assert invalidations == []
        storage_pb2_grpc.StorageServiceStub(channel).DeleteConversation(
            storage_pb2.DeleteConversationRequest(sender_id="s")
        )
        assert invalidations == [1]  # the counter does count writes a cached answer can see
    with sqlite_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 2
