"""gRPC handlers of JobService: parse the request, call one query function, map the result.

No cached answer reads jobs, so their writes leave the query cache alone: StartNextJob is polled by every gateway
and must not throw away the conversation lists each time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import grpc
from sqlalchemy.orm import Session

from conversely.storage.v1 import jobs_pb2, jobs_pb2_grpc
from storage_service.models import Job
from storage_service.queries import jobs
from storage_service.services.base import ServicerBase, abort, non_negative, page_size

T = TypeVar("T")
E = TypeVar("E", jobs_pb2.JobKind, jobs_pb2.JobState)
DEFAULT_JOBS_LIMIT, MAX_JOBS_LIMIT = 100, 1000
KIND_NAMES = {
    jobs_pb2.JOB_KIND_TRAINING: jobs.TRAINING,
    jobs_pb2.JOB_KIND_CROSS_VALIDATION: jobs.CROSS_VALIDATION,
}
STATE_NAMES = {
    jobs_pb2.JOB_STATE_QUEUED: jobs.QUEUED,
    jobs_pb2.JOB_STATE_RUNNING: jobs.RUNNING,
    jobs_pb2.JOB_STATE_SUCCEEDED: jobs.SUCCEEDED,
    jobs_pb2.JOB_STATE_FAILED: jobs.FAILED,
    jobs_pb2.JOB_STATE_CANCELED: jobs.CANCELED,
}
KIND_VALUES = {name: value for value, name in KIND_NAMES.items()}
STATE_VALUES = {name: value for value, name in STATE_NAMES.items()}


class JobService(ServicerBase, jobs_pb2_grpc.JobServiceServicer):
    def CreateJob(
        self, request: jobs_pb2.CreateJobRequest, context: grpc.ServicerContext
    ) -> jobs_pb2.CreateJobResponse:
        kind = KIND_NAMES.get(request.kind, "")
        created = self._change(
            context, lambda s: jobs.create_job(s, kind, request.environment, request.requested_by, request.folds)
        )
        return jobs_pb2.CreateJobResponse(job=job_message(created))

    def GetJob(self, request: jobs_pb2.GetJobRequest, context: grpc.ServicerContext) -> jobs_pb2.GetJobResponse:
        found = self._read(context, lambda s: jobs.get_job(s, request.id))
        return jobs_pb2.GetJobResponse(job=job_message(found))

    def ListJobs(self, request: jobs_pb2.ListJobsRequest, context: grpc.ServicerContext) -> jobs_pb2.ListJobsResponse:
        limit = page_size(context, request.limit, DEFAULT_JOBS_LIMIT, MAX_JOBS_LIMIT, "limit")
        offset = non_negative(context, request.offset, "offset")
        wanted = jobs.JobFilter(
            kind=_optional_name(context, request.kind, KIND_NAMES, "kind"),
            state=_optional_name(context, request.state, STATE_NAMES, "state"),
            environment=request.environment,
        )
        found, total = self._read(context, lambda s: jobs.list_jobs(s, wanted, limit, offset))
        return jobs_pb2.ListJobsResponse(jobs=[job_message(job) for job in found], total_count=total)

    def StartNextJob(
        self, request: jobs_pb2.StartNextJobRequest, context: grpc.ServicerContext
    ) -> jobs_pb2.StartNextJobResponse:
        started = self._change(
            context,
            lambda s: jobs.start_next_job(s, request.environment, request.callback_secret_sha256, request.fingerprint),
        )
        if started is None:
            return jobs_pb2.StartNextJobResponse()
        return jobs_pb2.StartNextJobResponse(job=job_message(started))

    def FinishJob(
        self, request: jobs_pb2.FinishJobRequest, context: grpc.ServicerContext
    ) -> jobs_pb2.FinishJobResponse:
        outcome = jobs.JobOutcome(
            state=STATE_NAMES.get(request.state, ""),
            model_name=request.model_name,
            error=request.error,
            result_json=request.result_json,
        )
        finished = self._change(context, lambda s: jobs.finish_job(s, request.id, outcome))
        return jobs_pb2.FinishJobResponse(job=job_message(finished))

    def FailOverdueJobs(
        self, request: jobs_pb2.FailOverdueJobsRequest, context: grpc.ServicerContext
    ) -> jobs_pb2.FailOverdueJobsResponse:
        failed = self._change(context, lambda s: jobs.fail_overdue_jobs(s, request.started_before, request.error))
        return jobs_pb2.FailOverdueJobsResponse(jobs=[job_message(job) for job in failed])

    def CancelJob(
        self, request: jobs_pb2.CancelJobRequest, context: grpc.ServicerContext
    ) -> jobs_pb2.CancelJobResponse:
        canceled = self._change(context, lambda s: jobs.cancel_job(s, request.id))
        return jobs_pb2.CancelJobResponse(job=job_message(canceled))

    def _change(self, context: grpc.ServicerContext, work: Callable[[Session], T]) -> T:
        """Run a write in one transaction, keeping the query cache (no cached answer reads jobs)."""
        return self._write(context, work, changed=lambda _: False)


def job_message(job: Job) -> jobs_pb2.Job:
    """The job as the contract shows it: a column not set yet is ""/0."""
    return jobs_pb2.Job(
        id=job.id,
        kind=KIND_VALUES.get(job.kind, jobs_pb2.JOB_KIND_UNSPECIFIED),
        state=STATE_VALUES.get(job.state, jobs_pb2.JOB_STATE_UNSPECIFIED),
        environment=job.environment,
        requested_by=job.requested_by,
        created_at=job.created_at,
        started_at=job.started_at or 0,
        finished_at=job.finished_at or 0,
        fingerprint=job.fingerprint or "",
        model_name=job.model_name or "",
        error=job.error or "",
        result_json=job.result_json or "",
        folds=job.folds,
        callback_secret_sha256=job.callback_secret_sha256 or "",
    )


def _optional_name(context: grpc.ServicerContext, value: E, names: dict[E, str], field: str) -> str:
    """The name of an enum value filtering a list; "" (every job) for the unspecified value."""
    if value == 0:
        return ""
    if value not in names:
        abort(context, grpc.StatusCode.INVALID_ARGUMENT, f"{field} is not a job {field}")
    return names[value]
