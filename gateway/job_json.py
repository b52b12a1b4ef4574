"""Jobs (training, cross-validation) as the HTTP API serves them, and the names its parameters use for kinds and
states."""

from __future__ import annotations

from typing import Any

from conversely.storage.v1 import jobs_pb2

KINDS = {jobs_pb2.JOB_KIND_TRAINING: "training", jobs_pb2.JOB_KIND_CROSS_VALIDATION: "cross_validation"}
STATES = {
    jobs_pb2.JOB_STATE_QUEUED: "queued",
    jobs_pb2.JOB_STATE_RUNNING: "running",
    jobs_pb2.JOB_STATE_SUCCEEDED: "succeeded",
    jobs_pb2.JOB_STATE_FAILED: "failed",
    jobs_pb2.JOB_STATE_CANCELED: "canceled",
}
KIND_BY_NAME = {name: kind for kind, name in KINDS.items()}
STATE_BY_NAME = {name: state for state, name in STATES.items()}


def job_json(job: jobs_pb2.Job) -> dict[str, Any]:
    """The job's JSON: null for what is not set (yet); never its callback secret's hash, nor cross-validation
    results (GET …/evaluations/crossValidation serves those)."""
    started = job.started_at or None
    finished = job.finished_at or None
    return {
        "id": job.id,
        "kind": KINDS.get(job.kind, "unspecified"),
        "status": STATES.get(job.state, "unspecified"),
        "environment": job.environment,
        "requested_by": job.requested_by,
        "created_at": job.created_at,
        "started_at": started,
        "finished_at": finished,
        "duration_s": round(finished - started, 3) if started and finished else None,
        "model": job.model_name or None,
        "error": job.error or None,
        "folds": job.folds if job.kind == jobs_pb2.JOB_KIND_CROSS_VALIDATION else None,
    }


def job_location(job: jobs_pb2.Job) -> str:
    """Where the job can be read (the Location of a 202)."""
    return f"/api/projects/default/models/jobs/{job.id}"
