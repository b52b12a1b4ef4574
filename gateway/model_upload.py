"""A model upload (multipart/form-data, file field `model`) streamed into ModelService.UploadModel as it arrives.

The body is parsed as a stream (python-multipart's push parser) and the model's bytes go on to storage in chunks of
1 MiB, so the gateway holds at most a chunk or two of a model, whatever its size, and writes nothing to disk. A body
that is refused part-way (too large, not multipart, cut off before its closing boundary) cancels the gRPC call, and
storage keeps nothing of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing

import grpc
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from conversely.storage.v1 import models_pb2, models_pb2_grpc
from gateway.errors import ApiError
from gateway.multipart import MultipartParts, body_chunks

CHUNK_BYTES = 1 << 20
MODEL_FIELD = "model"
ARCHIVE_SUFFIX = ".tar.gz"
# Everything in the body besides the model's bytes: boundaries, part headers, other (ignored) fields.
MAX_OTHER_BYTES = 1 << 20


def _invalid(message: str) -> ApiError:
    return ApiError(400, "InvalidModelUpload", message)


class _ModelPart(MultipartParts):
    """Keeps the `model` file part's name and its bytes not yet sent on; other fields are ignored."""

    def __init__(self, max_model_bytes: int) -> None:
        super().__init__()
        self.max_model_bytes = max_model_bytes
        self.filename: str | None = None
        self.pending = bytearray()
        self.model_bytes = 0
        self._in_model = False

    def part_begins(self, disposition: bytes) -> None:
        _, options = parse_options_header(disposition)
        if options.get(b"name") != MODEL_FIELD.encode():
            return
        if self.filename is not None:
            raise _invalid("upload one model at a time: the form has more than one `model` field")
        raw_filename = options.get(b"filename")
        if raw_filename is None:
            raise _invalid("`model` must be a file (a part with a filename), the model's .tar.gz archive")
        try:
            filename = raw_filename.decode()
        except UnicodeDecodeError:
            raise _invalid("the model's filename is not UTF-8") from None
        if not filename.endswith(ARCHIVE_SUFFIX):
            raise _invalid(f"the model's filename must end with {ARCHIVE_SUFFIX}, got {filename!r}")
        self.filename = filename
        self._in_model = True

    def part_data(self, data: bytes) -> None:
        if not self._in_model:
            return
        self.model_bytes += len(data)
        if self.model_bytes > self.max_model_bytes:
            raise ApiError(413, "ModelTooLarge", f"a model may be at most {self.max_model_bytes} bytes")
        self.pending += data

    def part_ends(self) -> None:
        self._in_model = False


def _boundary(request: Request) -> bytes:
    content_type, options = parse_options_header(request.headers.get("content-type"))
    if content_type != b"multipart/form-data":
        raise _invalid("send the model as multipart/form-data with the file in the field `model`")
    boundary = options.get(b"boundary")
    if not boundary:
        raise _invalid("the multipart/form-data Content-Type has no boundary")
    return boundary


async def upload_messages(
    request: Request, max_model_bytes: int
) -> AsyncGenerator[models_pb2.UploadModelRequest, None]:
    """The UploadModel messages of the request's model, produced as the body arrives: the header, then chunks of
    CHUNK_BYTES. ApiError 400 for a body that is not such an upload, 413 for one too large."""
    content_length = request.headers.get("content-length", "")
    if content_length.isdigit() and int(content_length) > max_model_bytes + MAX_OTHER_BYTES:
        raise ApiError(413, "ModelTooLarge", f"a model may be at most {max_model_bytes} bytes")
    model = _ModelPart(max_model_bytes)
    parser = MultipartParser(_boundary(request), model.callbacks())  # type: ignore[arg-type]
    body_bytes = 0
    header_sent = False
    async for data in body_chunks(request):
        body_bytes += len(data)
        if body_bytes > max_model_bytes + MAX_OTHER_BYTES:
            raise ApiError(413, "ModelTooLarge", f"a model may be at most {max_model_bytes} bytes")
        try:
            parser.write(data)
        except FormParserError as error:
            raise _invalid(f"the body is not valid multipart/form-data: {error}") from None
        if not header_sent and model.filename is not None:
            yield models_pb2.UploadModelRequest(header=models_pb2.UploadModelHeader(filename=model.filename))
            header_sent = True
        while len(model.pending) >= CHUNK_BYTES:
            yield models_pb2.UploadModelRequest(chunk=bytes(model.pending[:CHUNK_BYTES]))
            del model.pending[:CHUNK_BYTES]
    if model.filename is None:
        raise _invalid("the form has no file field `model`")
    if not model.ended:
        raise _invalid("the body ended before the multipart closing boundary")
    if model.pending:
        yield models_pb2.UploadModelRequest(chunk=bytes(model.pending))
        model.pending.clear()


async def upload_model(
    models: models_pb2_grpc.ModelServiceStub, request: Request, max_model_bytes: int
) -> models_pb2.Model:
    """Stream the request's model to storage and return what storage stored; on any failure (the body's, storage's
    or the caller going away) the call is cancelled and storage keeps nothing."""
    return await stream_to_storage(models, upload_messages(request, max_model_bytes))


async def stream_to_storage(
    models: models_pb2_grpc.ModelServiceStub, messages: AsyncGenerator[models_pb2.UploadModelRequest, None]
) -> models_pb2.Model:
    """Send `messages` (a header, then the archive's chunks) as one UploadModel call and return the stored model;
    on any failure the call is cancelled and storage keeps nothing. ApiError 413 when storage finds it too large."""
    call = models.UploadModel()
    try:
        async with aclosing(messages):
            async for message in messages:
                try:
                    await call.write(message)
                except (asyncio.InvalidStateError, grpc.aio.AioRpcError):
                    # Storage ended the call before the end of the model, and its status says why; a write racing
                    # with that end fails with INTERNAL "Internal error from Core" instead of storage's status.
                    break
            else:
                await call.done_writing()
        response: models_pb2.UploadModelResponse = await call
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:  # storage's own size limit
            raise ApiError(413, "ModelTooLarge", error.details() or "the model is too large") from None
        raise
    except BaseException:
        call.cancel()
        raise
    return response.model
