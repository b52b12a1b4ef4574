"""Models (RASA_X_API.md §2.4): upload, list, download, tag and delete Rasa model archives, and the model server
Rasa servers pull their model from (`GET …/models/tags/{tag}` with `?token=` and `If-None-Match`).

Archives are never held whole here: uploads are streamed into storage as they arrive (gateway/model_upload.py) and
downloads are streamed from storage's gRPC stream to the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import grpc
import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from conversely.settings import Settings
from conversely.storage.v1 import models_pb2
from gateway.auth import requires
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.model_upload import ARCHIVE_SUFFIX, upload_model
from gateway.params import PROJECT, check_project, int_param
from gateway.permissions import MODEL_TAGS_UPDATE, MODELS_CREATE, MODELS_DELETE, MODELS_GET, MODELS_LIST
from gateway.push import MODELS_TOPIC, push_hub

log = structlog.get_logger()

MAX_PAGE = 1000
ARCHIVE_MEDIA_TYPE = "application/gzip"


def is_compatible(rasa_version: str) -> bool:
    """Whether a model trained by Rasa `rasa_version` can run on the Rasa servers Conversely serves.

    Rasa servers are not configured yet, so this compares with the Rasa 3.x line; the environments issue will
    compare with the running server's `minimum_compatible_version` (Rasa's GET /version), as Rasa X did.
    """
    return rasa_version.startswith("3.")


def model_item(model: models_pb2.Model) -> dict[str, Any]:
    """Rasa X's model list item (RASA_X_API.md §4.5); `path` is the archive's file name, never a server path."""
    return {
        "hash": model.hash,
        "model": model.name,
        "path": model.name + ARCHIVE_SUFFIX,
        "project": PROJECT,
        "trained_at": model.trained_at,
        "version": model.rasa_version,
        "model_id": model.model_id,
        "tags": list(model.tags),
        "is_compatible": is_compatible(model.rasa_version),
        "size_bytes": model.size_bytes,
        "uploaded_at": model.uploaded_at,
    }


@requires(MODELS_LIST, rasa_token=True)
async def list_models(request: Request) -> JSONResponse:
    """Models, newest first: limit, offset, tag (only the model having it)."""
    check_project(request)
    response = await clients(request).models.ListModels(
        models_pb2.ListModelsRequest(
            limit=int_param(request, "limit", default=100, minimum=1, maximum=MAX_PAGE),
            offset=int_param(request, "offset", default=0),
            tag=request.query_params.get("tag", ""),
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(
        [model_item(model) for model in response.models], headers={"X-Total-Count": str(response.total_count)}
    )


@requires(MODELS_CREATE)
async def upload(request: Request) -> JSONResponse:
    """Multipart form with the file field `model` (a Rasa model .tar.gz) → 201 with the model item."""
    check_project(request)
    settings: Settings = request.app.state.settings
    model = await upload_model(clients(request).models, request, settings.max_model_bytes)
    log.info("model_uploaded", model=model.name, bytes=model.size_bytes)
    item = model_item(model)
    push_hub(request).publish(MODELS_TOPIC, {"type": "model_added", "model": item})
    return JSONResponse(item, status_code=201)


@requires(MODELS_GET, rasa_token=True)
async def download(request: Request) -> Response:
    """The model's archive; 304 when If-None-Match names its ETag."""
    check_project(request)
    return await _archive(request, {"name": request.path_params["model"]})


@requires(MODELS_GET, rasa_token=True)
async def pull_tagged_model(request: Request) -> Response:
    """The model server: the archive of the model with the tag, or 304 when Rasa already has it (If-None-Match)."""
    check_project(request)
    return await _archive(request, {"tag": request.path_params["tag"]})


@requires(MODELS_GET, rasa_token=True)
async def pull_tagged_model_unprojected(request: Request) -> Response:
    """The model server at the path later Rasa X releases served it on, without the project."""
    return await _archive(request, {"tag": request.path_params["tag"]})


@requires(MODELS_DELETE)
async def delete_model(request: Request) -> Response:
    """Delete the model, its archive and its tags → 204."""
    check_project(request)
    name = request.path_params["model"]
    await clients(request).models.DeleteModel(models_pb2.DeleteModelRequest(name=name), timeout=CALL_TIMEOUT_S)
    log.info("model_deleted", model=name)
    return Response(status_code=204)


@requires(MODEL_TAGS_UPDATE)
async def tag_model(request: Request) -> Response:
    """Put the tag on the model, taking it from the model that had it (one model per tag) → 204."""
    check_project(request)
    name, tag = request.path_params["model"], request.path_params["tag"]
    await clients(request).models.TagModel(models_pb2.TagModelRequest(name=name, tag=tag), timeout=CALL_TIMEOUT_S)
    log.info("model_tagged", model=name, tag=tag)
    return Response(status_code=204)


@requires(MODEL_TAGS_UPDATE)
async def untag_model(request: Request) -> Response:
    """Take the tag from the model → 204; 404 when the model does not have it."""
    check_project(request)
    name, tag = request.path_params["model"], request.path_params["tag"]
    await clients(request).models.UntagModel(models_pb2.UntagModelRequest(name=name, tag=tag), timeout=CALL_TIMEOUT_S)
    log.info("model_untagged", model=name, tag=tag)
    return Response(status_code=204)


def etag(model: models_pb2.Model) -> str:
    return f'"{model.hash}"'


def etag_matches(if_none_match: str | None, model: models_pb2.Model) -> bool:
    """Whether an If-None-Match header names the model's ETag; quotes and weak prefixes (`W/`) do not matter, as Rasa
    sends back whatever ETag it got."""
    if if_none_match is None:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        candidate = candidate[2:] if candidate.startswith("W/") else candidate
        if candidate == "*" or candidate.strip('"') == model.hash:
            return True
    return False


def _archive_headers(model: models_pb2.Model) -> dict[str, str]:
    filename = quote(model.name + ARCHIVE_SUFFIX, safe="")
    return {
        "Content-Length": str(model.size_bytes),
        "ETag": etag(model),
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}",
        # Rasa's model pulling names the file it saves after this header (rasa/core/agent.py).
        "filename": filename,
    }


async def _archive(request: Request, key: dict[str, str]) -> Response:
    """The archive of the model `key` names (its name or a tag), streamed; 304 when If-None-Match has its ETag."""
    models = clients(request).models
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None or request.method == "HEAD":
        # Rasa polls every few seconds and almost always has the model already: answer from the metadata alone.
        model = (await models.GetModel(models_pb2.GetModelRequest(**key), timeout=CALL_TIMEOUT_S)).model
        if etag_matches(if_none_match, model):
            return Response(status_code=304, headers={"ETag": etag(model)})
        if request.method == "HEAD":
            return Response(headers=_archive_headers(model), media_type=ARCHIVE_MEDIA_TYPE)
    call = models.DownloadModel(models_pb2.DownloadModelRequest(**key))
    try:
        first = await asyncio.wait_for(call.read(), CALL_TIMEOUT_S)
    except TimeoutError:
        call.cancel()
        raise ApiError(504, "Timeout", "storage did not start sending the model in time; retry") from None
    except BaseException:
        call.cancel()
        raise
    if first is grpc.aio.EOF or not first.HasField("model"):
        call.cancel()
        raise ApiError(502, "BadStorageAnswer", "storage sent the model without its metadata")
    return StreamingResponse(
        _chunks(call, first.chunk), headers=_archive_headers(first.model), media_type=ARCHIVE_MEDIA_TYPE
    )


async def _chunks(
    call: grpc.aio.UnaryStreamCall[models_pb2.DownloadModelRequest, models_pb2.DownloadModelResponse],
    first_chunk: bytes,
) -> AsyncIterator[bytes]:
    """The archive's bytes as storage streams them; the call is cancelled if the client goes away first."""
    try:
        if first_chunk:
            yield first_chunk
        while (message := await call.read()) is not grpc.aio.EOF:
            yield message.chunk
    except grpc.aio.AioRpcError as error:
        log.error("model_download_failed", code=error.code().name, details=error.details())
        raise
    finally:
        call.cancel()


# The model server's route comes before `/models/{model}…` so that `tags` is never taken for a model's name.
routes = [
    Route("/api/projects/{project_id}/models/tags/{tag}", pull_tagged_model, methods=["GET"]),
    Route("/api/models/tags/{tag}", pull_tagged_model_unprojected, methods=["GET"]),
    Route("/api/projects/{project_id}/models", list_models, methods=["GET"]),
    Route("/api/projects/{project_id}/models", upload, methods=["POST"]),
    Route("/api/projects/{project_id}/models/{model}", download, methods=["GET"]),
    Route("/api/projects/{project_id}/models/{model}", delete_model, methods=["DELETE"]),
    Route("/api/projects/{project_id}/models/{model}/tags/{tag}", tag_model, methods=["PUT"]),
    Route("/api/projects/{project_id}/models/{model}/tags/{tag}", untag_model, methods=["DELETE"]),
]
