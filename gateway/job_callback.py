"""What Rasa posts back for a running job (DESIGN.md §3 "Training"): the trained model, its results, or its error.

Rasa's `async_if_callback_url` posts the trained model's raw `.tar.gz` (`Content-Type: application/x-tar`, no file
name), cross-validation results as a JSON object, or, when anything failed, its error JSON (`{"message", "reason",
...}`) — and raises when the callback does not answer 2xx. The one-time secret of the callback URL is the credential:
storage keeps its sha256, and the job accepts one result while it runs.

A model is streamed into storage as it arrives (chunks of 1 MiB, never the whole archive in memory) under the name
`<UTC YYYYMMDD-HHMMSS>-job<id>`; an upload storage refuses fails the job with storage's reason.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import AsyncGenerator
from typing import Any

import grpc
import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse

from conversely.settings import Settings
from conversely.storage.v1 import jobs_pb2, jobs_pb2_grpc, models_pb2, models_pb2_grpc
from gateway.body import read_body
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.job_json import STATES, job_json
from gateway.job_runner import callback_secret_sha256, publish_job
from gateway.model_upload import ARCHIVE_SUFFIX, CHUNK_BYTES, stream_to_storage
from gateway.multipart import body_chunks
from gateway.push import MODELS_TOPIC, push_hub
from gateway.routes.models import model_item

log = structlog.get_logger()

# What Rasa's file response of a .tar.gz is sent as (mimetypes: application/x-tar), and what else a client may use.
ARCHIVE_MEDIA_TYPES = frozenset(
    {"application/x-tar", "application/gzip", "application/x-gzip", "application/x-gtar", "application/octet-stream"}
)
MAX_RESULT_BYTES = 20_000_000
# Rasa lists every misclassified example in `errors`; beyond this many per evaluation they are not kept.
MAX_KEPT_ERRORS = 1000


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def running_job(jobs: jobs_pb2_grpc.JobServiceStub, job_id: int, secret: str) -> jobs_pb2.Job:
    """The job the callback is for: 404 when there is none, 401 unless `secret` is its callback secret, 409 when
    it is not running any more (the secret is good for one result)."""
    job = (await jobs.GetJob(jobs_pb2.GetJobRequest(id=job_id), timeout=CALL_TIMEOUT_S)).job
    expected = job.callback_secret_sha256
    if not secret or not expected or not hmac.compare_digest(callback_secret_sha256(secret), expected):
        raise ApiError(401, "NotAuthenticated", "the secret is not this job's callback secret")
    if job.state != jobs_pb2.JOB_STATE_RUNNING:
        status = STATES.get(job.state, "not running")
        raise ApiError(409, "JobNotRunning", f"job {job.id} is {status}: it takes one result, while it runs")
    return job


async def finish(
    jobs: jobs_pb2_grpc.JobServiceStub, job: jobs_pb2.Job, state: jobs_pb2.JobState, **fields: str
) -> jobs_pb2.Job:
    """End the job; 409 when it ended otherwise meanwhile (timed out, or another result came first)."""
    try:
        response = await jobs.FinishJob(
            jobs_pb2.FinishJobRequest(id=job.id, state=state, **fields), timeout=CALL_TIMEOUT_S
        )
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.FAILED_PRECONDITION:
            raise ApiError(409, "JobNotRunning", error.details() or f"job {job.id} is not running") from None
        raise
    log.info("job_finished", job_id=job.id, state=STATES.get(state), model=fields.get("model_name"))
    return response.job


async def rasa_json(request: Request) -> Any:
    """The JSON body Rasa posted. Python's parser, as Rasa may write NaN for a score it could not compute."""
    raw = await read_body(request, MAX_RESULT_BYTES)
    try:
        return json.loads(raw)
    except ValueError as error:
        raise ApiError(400, "InvalidBody", f"the body is not JSON: {error}") from None


def rasa_error_text(body: Any) -> str | None:
    """`<reason>: <message>` of Rasa's error JSON (its ErrorResponse.error_info), or None for anything else."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return None
    reason = body.get("reason")
    return f"{reason}: {body['message']}" if isinstance(reason, str) and reason else body["message"]


def cross_validation_results(body: Any) -> str | None:
    """Rasa's cross-validation results as the JSON to keep (long `errors` lists shortened), or None when the body
    is not such results (a JSON object with an `intent_evaluation` object)."""
    if not isinstance(body, dict) or not isinstance(body.get("intent_evaluation"), dict):
        return None
    kept = dict(body)
    for name, evaluation in body.items():
        if isinstance(evaluation, dict) and isinstance(evaluation.get("errors"), list):
            kept[name] = {**evaluation, "errors": evaluation["errors"][:MAX_KEPT_ERRORS]}
    return json.dumps(kept)


def trained_model_name(job: jobs_pb2.Job) -> str:
    """A model's name for the job (Rasa sends none): `<UTC YYYYMMDD-HHMMSS>-job<id>`."""
    return f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-job{job.id}"


async def store_posted_model(
    models: models_pb2_grpc.ModelServiceStub, request: Request, name: str, max_model_bytes: int
) -> models_pb2.Model:
    """Stream the request's body (a model archive) into storage as `name`; on any failure the call is cancelled and
    storage keeps nothing. ApiError 413 for a body over `max_model_bytes`; storage's refusals as gRPC errors."""
    return await stream_to_storage(models, _upload_messages(request, name, max_model_bytes))


async def _upload_messages(
    request: Request, name: str, max_model_bytes: int
) -> AsyncGenerator[models_pb2.UploadModelRequest, None]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_model_bytes:
        raise ApiError(413, "ModelTooLarge", f"a model may be at most {max_model_bytes} bytes")
    header = models_pb2.UploadModelHeader(name=name, filename=name + ARCHIVE_SUFFIX)
    yield models_pb2.UploadModelRequest(header=header)
    pending = bytearray()
    received = 0
    async for data in body_chunks(request):
        received += len(data)
        if received > max_model_bytes:
            raise ApiError(413, "ModelTooLarge", f"a model may be at most {max_model_bytes} bytes")
        pending += data
        while len(pending) >= CHUNK_BYTES:
            yield models_pb2.UploadModelRequest(chunk=bytes(pending[:CHUNK_BYTES]))
            del pending[:CHUNK_BYTES]
    if not received:
        raise ApiError(400, "InvalidBody", "the body is empty: no model archive")
    if pending:
        yield models_pb2.UploadModelRequest(chunk=bytes(pending))


def refusal_text(error: Exception) -> str:
    """What went wrong, in a sentence for the job's `error`."""
    if isinstance(error, ApiError):
        return error.message
    if isinstance(error, grpc.aio.AioRpcError):
        return error.details() or error.code().name
    return f"{type(error).__name__}: {error}"


def _is_json(kind: str) -> bool:
    return kind == "application/json" or kind.endswith("+json")


async def accept_result(request: Request, job: jobs_pb2.Job) -> JSONResponse:
    """Take what Rasa posted for the running `job`, end the job accordingly and tell the models topic.

    200 for a stored model, stored results, or Rasa's own error (the job then failed with it: answering anything
    else would only make Rasa raise); an error status for a body that is none of them (the job fails too).
    """
    jobs = clients(request).jobs
    kind = media_type(request)
    if _is_json(kind):
        try:
            body = await rasa_json(request)
        except ApiError as error:  # not JSON, too large, cut off
            raise await _failed(request, job, error) from None
        results = cross_validation_results(body) if job.kind == jobs_pb2.JOB_KIND_CROSS_VALIDATION else None
        if results is not None:
            return _answer(request, await finish(jobs, job, jobs_pb2.JOB_STATE_SUCCEEDED, result_json=results))
        rasa_error = rasa_error_text(body)
        if rasa_error is not None:
            return _answer(request, await finish(jobs, job, jobs_pb2.JOB_STATE_FAILED, error=rasa_error))
        problem = (
            "the JSON posted is not Rasa's error (an object with `message`)"
            if job.kind == jobs_pb2.JOB_KIND_TRAINING
            else "the JSON posted is neither Rasa's error (an object with `message`) nor its cross-validation "
            "results (an object with `intent_evaluation`)"
        )
        raise await _failed(request, job, ApiError(400, "InvalidResult", problem))
    if kind in ARCHIVE_MEDIA_TYPES and job.kind == jobs_pb2.JOB_KIND_TRAINING:
        return await _store_model(request, job)
    problem = f"a body of type {kind or '(none)'} is no result of this job: " + (
        "a training job takes a model archive (application/x-tar) or Rasa's error (JSON)"
        if job.kind == jobs_pb2.JOB_KIND_TRAINING
        else "a cross-validation job takes Rasa's results or error (JSON)"
    )
    raise await _failed(request, job, ApiError(415, "UnsupportedMediaType", problem))


async def _store_model(request: Request, job: jobs_pb2.Job) -> JSONResponse:
    services = clients(request)
    settings: Settings = request.app.state.settings
    name = trained_model_name(job)
    try:
        model = await store_posted_model(services.models, request, name, settings.max_model_bytes)
    except (ApiError, grpc.aio.AioRpcError) as error:
        raise await _failed(request, job, error, f"Rasa's model could not be stored: {refusal_text(error)}") from None
    try:
        finished = await finish(services.jobs, job, jobs_pb2.JOB_STATE_SUCCEEDED, model_name=model.name)
    except ApiError:
        # The job ended otherwise while the model arrived: the model is nobody's, and is not kept.
        await services.models.DeleteModel(models_pb2.DeleteModelRequest(name=model.name), timeout=CALL_TIMEOUT_S)
        raise
    log.info("trained_model_stored", job_id=job.id, model=model.name, bytes=model.size_bytes)
    push_hub(request).publish(MODELS_TOPIC, {"type": "model_added", "model": model_item(model)})
    return _answer(request, finished, model_item(model))


async def _failed(request: Request, job: jobs_pb2.Job, error: Exception, why: str | None = None) -> Exception:
    """Fail the job with `why` (default: the error's own text); the error to answer with."""
    try:
        failed = await finish(clients(request).jobs, job, jobs_pb2.JOB_STATE_FAILED, error=why or refusal_text(error))
    except (ApiError, grpc.aio.AioRpcError) as finishing:
        log.warning("job_not_failed", job_id=job.id, problem=refusal_text(finishing))
    else:
        publish_job(push_hub(request), failed)
    return error


def _answer(request: Request, job: jobs_pb2.Job, model: dict[str, Any] | None = None) -> JSONResponse:
    publish_job(push_hub(request), job)
    return JSONResponse({"job": job_json(job), "model": model})
