"""Training and cross-validation jobs, and the callbacks Rasa posts their results to (RASA_X_API.md §2.4 "Train",
§2.6; DESIGN.md §3 "Training").

Asking for a training or a cross-validation queues a job (202 with the job); the gateway's job runner
(gateway/job_runner.py) hands it to the environment's Rasa server, one at a time per environment, and Rasa posts the
model or the results to the job's callback (gateway/job_callback.py). Every change of a job is pushed to the
`models` topic.
"""

from __future__ import annotations

import json
from typing import Any

import grpc
import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely.storage.v1 import jobs_pb2, models_pb2, project_pb2
from gateway.auth import PUBLIC, principal, requires
from gateway.clients import CALL_TIMEOUT_S, ServiceClients, clients
from gateway.errors import ApiError
from gateway.insights import cross_validation_summary
from gateway.job_callback import accept_result, running_job
from gateway.job_json import KIND_BY_NAME, STATE_BY_NAME, job_json, job_location
from gateway.job_runner import publish_job, wake_job_runner
from gateway.params import bool_param, check_project, int_param, path_id
from gateway.permissions import (
    EVALUATIONS_CREATE,
    EVALUATIONS_GET,
    MODEL_JOBS_CREATE,
    MODEL_JOBS_DELETE,
    MODEL_JOBS_LIST,
)
from gateway.push import push_hub
from gateway.rasa_client import rasa_servers

log = structlog.get_logger()

DEFAULT_ENVIRONMENT = "worker"
MAX_PAGE = 1000
MIN_FOLDS, MAX_FOLDS, DEFAULT_FOLDS = 2, 20, 5
# How many of the newest succeeded trainings are searched for one whose model is still stored.
RECENT_TRAININGS = 50


@requires(MODEL_JOBS_CREATE)
async def create_training_job(request: Request) -> JSONResponse:
    """Queue a training on `environment` (default worker) → 202 with the job; 200 without training when the newest
    model was trained on the same data (unless `force`); 202 with the queued job when one waits already."""
    check_project(request)
    environment = _environment(request)
    force = bool_param(request, "force", default=False)
    services = clients(request)
    if not force:
        model = await _model_of_current_data(services)
        if model is not None:
            return JSONResponse({"info": "Model already exists.", "model": model})
    queued = await services.jobs.ListJobs(
        jobs_pb2.ListJobsRequest(
            kind=jobs_pb2.JOB_KIND_TRAINING, state=jobs_pb2.JOB_STATE_QUEUED, environment=environment, limit=1
        ),
        timeout=CALL_TIMEOUT_S,
    )
    if queued.jobs:
        return _accepted("Training queued already.", queued.jobs[0])
    return await _queue(request, jobs_pb2.CreateJobRequest(kind=jobs_pb2.JOB_KIND_TRAINING, environment=environment))


@requires(EVALUATIONS_CREATE)
async def create_cross_validation(request: Request) -> JSONResponse:
    """Queue an NLU cross-validation with `folds` (2..20, default 5) on `environment` (default worker) → 202."""
    check_project(request)
    folds = int_param(request, "folds", DEFAULT_FOLDS, minimum=MIN_FOLDS, maximum=MAX_FOLDS)
    environment = _environment(request)
    return await _queue(
        request,
        jobs_pb2.CreateJobRequest(kind=jobs_pb2.JOB_KIND_CROSS_VALIDATION, environment=environment, folds=folds),
    )


@requires(EVALUATIONS_GET)
async def latest_cross_validation(request: Request) -> JSONResponse:
    """The newest succeeded cross-validation: its job, each intent's scores, the confusions and insights; 404 when
    none has succeeded yet."""
    check_project(request)
    found = await clients(request).jobs.ListJobs(
        jobs_pb2.ListJobsRequest(kind=jobs_pb2.JOB_KIND_CROSS_VALIDATION, state=jobs_pb2.JOB_STATE_SUCCEEDED, limit=1),
        timeout=CALL_TIMEOUT_S,
    )
    if not found.jobs:
        raise ApiError(
            404, "NotFound", "no cross-validation has succeeded yet; POST …/evaluations/crossValidation starts one"
        )
    job = found.jobs[0]
    try:
        results = json.loads(job.result_json)
    except ValueError:
        results = None
    summary = cross_validation_summary(results if isinstance(results, dict) else {})
    return JSONResponse({"job": job_json(job), **summary})


@requires(MODEL_JOBS_LIST)
async def list_jobs(request: Request) -> JSONResponse:
    """Jobs, newest first: limit, offset; only those of a `kind`, in a `state`, of an `environment`."""
    check_project(request)
    response = await clients(request).jobs.ListJobs(
        jobs_pb2.ListJobsRequest(
            limit=int_param(request, "limit", default=100, minimum=1, maximum=MAX_PAGE),
            offset=int_param(request, "offset", default=0),
            kind=_choice(request, "kind", KIND_BY_NAME, jobs_pb2.JOB_KIND_UNSPECIFIED),
            state=_choice(request, "state", STATE_BY_NAME, jobs_pb2.JOB_STATE_UNSPECIFIED),
            environment=request.query_params.get("environment", ""),
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse([job_json(job) for job in response.jobs], headers={"X-Total-Count": str(response.total_count)})


@requires(MODEL_JOBS_LIST)
async def get_job(request: Request) -> JSONResponse:
    check_project(request)
    job_id = path_id(request, "job_id", "job")
    response = await clients(request).jobs.GetJob(jobs_pb2.GetJobRequest(id=job_id), timeout=CALL_TIMEOUT_S)
    return JSONResponse(job_json(response.job))


@requires(MODEL_JOBS_DELETE)
async def cancel_job(request: Request) -> JSONResponse:
    """Cancel a queued job → 200 with it; 409 once it has started."""
    check_project(request)
    job_id = path_id(request, "job_id", "job")
    response = await clients(request).jobs.CancelJob(jobs_pb2.CancelJobRequest(id=job_id), timeout=CALL_TIMEOUT_S)
    log.info("job_canceled", job_id=job_id)
    publish_job(push_hub(request), response.job)
    return JSONResponse(job_json(response.job))


@requires(PUBLIC)
async def job_callback(request: Request) -> JSONResponse:
    """Where Rasa posts a running job's result; `?secret=` (the job's one-time secret) is the credential."""
    check_project(request)
    job_id = path_id(request, "job_id", "job")
    job = await running_job(clients(request).jobs, job_id, request.query_params.get("secret", ""))
    return await accept_result(request, job)


def _environment(request: Request) -> str:
    """The `environment` parameter (default worker); 409 naming the setting when it has no Rasa server."""
    environment = request.query_params.get("environment") or DEFAULT_ENVIRONMENT
    rasa_servers(request).url(environment)
    return environment


def _choice(request: Request, name: str, choices: dict[str, Any], default: Any) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return default
    if raw not in choices:
        raise ApiError(400, "InvalidParameter", f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return choices[raw]


async def _queue(request: Request, create: jobs_pb2.CreateJobRequest) -> JSONResponse:
    create.requested_by = principal(request).username
    job = (await clients(request).jobs.CreateJob(create, timeout=CALL_TIMEOUT_S)).job
    log.info("job_queued", job_id=job.id, kind=job_json(job)["kind"], environment=job.environment)
    publish_job(push_hub(request), job)
    wake_job_runner(request.app.state)
    info = "Training queued." if job.kind == jobs_pb2.JOB_KIND_TRAINING else "Cross-validation queued."
    return _accepted(info, job)


def _accepted(info: str, job: jobs_pb2.Job) -> JSONResponse:
    return JSONResponse({"info": info, "job": job_json(job)}, status_code=202, headers={"Location": job_location(job)})


async def _model_of_current_data(services: ServiceClients) -> str | None:
    """The name of the newest stored model trained (by a job) on exactly the data stored now, or None."""
    export = await services.project.ExportProject(project_pb2.ExportProjectRequest(), timeout=CALL_TIMEOUT_S)
    succeeded = await services.jobs.ListJobs(
        jobs_pb2.ListJobsRequest(
            kind=jobs_pb2.JOB_KIND_TRAINING, state=jobs_pb2.JOB_STATE_SUCCEEDED, limit=RECENT_TRAININGS
        ),
        timeout=CALL_TIMEOUT_S,
    )
    for job in succeeded.jobs:
        if job.model_name and await _model_exists(services, job.model_name):
            return job.model_name if job.fingerprint == export.fingerprint else None
    return None


async def _model_exists(services: ServiceClients, name: str) -> bool:
    try:
        await services.models.GetModel(models_pb2.GetModelRequest(name=name), timeout=CALL_TIMEOUT_S)
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return False
        raise
    return True


JOBS = "/api/projects/{project_id}/models/jobs"
CROSS_VALIDATION = "/api/projects/{project_id}/evaluations/crossValidation"
routes = [
    Route(JOBS, create_training_job, methods=["POST"]),
    Route(JOBS, list_jobs, methods=["GET"]),
    Route(JOBS + "/{job_id}", get_job, methods=["GET"]),
    Route(JOBS + "/{job_id}", cancel_job, methods=["DELETE"]),
    Route(JOBS + "/{job_id}/callback", job_callback, methods=["POST"]),
    Route(CROSS_VALIDATION, create_cross_validation, methods=["POST"]),
    Route(CROSS_VALIDATION, latest_cross_validation, methods=["GET"]),
]
