"""gRPC handlers of ModelService: model archives streamed in and out of the models folder, metadata in the database.

The streaming handlers never hold a transaction open while bytes move: an upload checks its name, receives and
checks the archive, and only then stores row and file in one short transaction; a download reads the row, then
streams the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import grpc
import structlog

from conversely.storage.v1 import models_pb2, models_pb2_grpc
from storage_service import model_archive
from storage_service.model_store import (
    ModelFileLost,
    ModelStore,
    ModelTooLarge,
    ReceivedArchive,
    chunks_of,
    upload_name,
)
from storage_service.queries import models
from storage_service.queries.errors import InvalidRequest
from storage_service.services.base import Database, ServicerBase, abort, non_negative, page_size

log = structlog.get_logger()

DEFAULT_PAGE = 100
MAX_PAGE = 1000


class ModelService(ServicerBase, models_pb2_grpc.ModelServiceServicer):
    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self._store = ModelStore(database.models_dir, database.max_model_bytes)

    def UploadModel(
        self, request_iterator: Iterator[models_pb2.UploadModelRequest], context: grpc.ServicerContext
    ) -> models_pb2.UploadModelResponse:
        with _refusals(context):
            first = next(request_iterator, None)
            if first is None or first.WhichOneof("part") != "header":
                raise InvalidRequest("the first message of an upload must be its header")
            name = upload_name(first.header.name, first.header.filename)
        self._read(context, lambda s: models.require_unused_name(s, name))
        with _refusals(context), self._store.receive(_chunks(request_iterator)) as received:
            metadata = model_archive.read_metadata(received.path)
            if not context.is_active():  # the client gave up while the archive was being checked
                abort(context, grpc.StatusCode.CANCELLED, "the upload was cancelled; nothing was stored")
            stored = self._store_model(context, name, received, metadata)
        log.info("model_uploaded", model=name, size_bytes=stored.size_bytes)
        return models_pb2.UploadModelResponse(model=_model_message(stored))

    def ListModels(
        self, request: models_pb2.ListModelsRequest, context: grpc.ServicerContext
    ) -> models_pb2.ListModelsResponse:
        limit = page_size(context, request.limit, DEFAULT_PAGE, MAX_PAGE, "limit")
        offset = non_negative(context, request.offset, "offset")
        stored, total = self._read(context, lambda s: models.list_models(s, limit, offset, request.tag))
        return models_pb2.ListModelsResponse(models=[_model_message(model) for model in stored], total_count=total)

    def GetModel(
        self, request: models_pb2.GetModelRequest, context: grpc.ServicerContext
    ) -> models_pb2.GetModelResponse:
        stored = self._read(context, lambda s: models.get_model(s, request.name, request.tag))
        return models_pb2.GetModelResponse(model=_model_message(stored))

    def DownloadModel(
        self, request: models_pb2.DownloadModelRequest, context: grpc.ServicerContext
    ) -> Iterator[models_pb2.DownloadModelResponse]:
        stored = self._read(context, lambda s: models.get_model(s, request.name, request.tag))
        try:
            file = self._store.open(stored.name, stored.size_bytes)
        except ModelFileLost as error:
            # Deleted through the API since we looked is NOT_FOUND; gone while its row stays is data loss.
            self._read(context, lambda s: models.get_model(s, name=stored.name))
            log.error("model_file_lost", model=stored.name, error=str(error))
            abort(context, grpc.StatusCode.DATA_LOSS, str(error))
        with file:
            chunks = chunks_of(file)
            yield models_pb2.DownloadModelResponse(model=_model_message(stored), chunk=next(chunks, b""))
            for chunk in chunks:
                yield models_pb2.DownloadModelResponse(chunk=chunk)

    def DeleteModel(
        self, request: models_pb2.DeleteModelRequest, context: grpc.ServicerContext
    ) -> models_pb2.DeleteModelResponse:
        self._write(context, lambda s: models.delete_model(s, request.name))
        # Only after the row is gone: a crash in between leaves a file without a row, never a row without a file.
        self._store.delete(request.name)
        log.info("model_deleted", model=request.name)
        return models_pb2.DeleteModelResponse()

    def TagModel(
        self, request: models_pb2.TagModelRequest, context: grpc.ServicerContext
    ) -> models_pb2.TagModelResponse:
        stored = self._write(context, lambda s: models.tag_model(s, request.name, request.tag))
        return models_pb2.TagModelResponse(model=_model_message(stored))

    def UntagModel(
        self, request: models_pb2.UntagModelRequest, context: grpc.ServicerContext
    ) -> models_pb2.UntagModelResponse:
        self._write(context, lambda s: models.untag_model(s, request.name, request.tag))
        return models_pb2.UntagModelResponse()

    def _store_model(
        self,
        context: grpc.ServicerContext,
        name: str,
        received: ReceivedArchive,
        metadata: model_archive.ModelMetadata,
    ) -> models.ModelRecord:
        """Insert the row and link the file in one transaction; remove the file again if that did not commit."""
        published = False

        def place_file() -> None:
            nonlocal published
            self._store.publish(received, name)
            published = True

        try:
            return self._write(
                context,
                lambda s: models.add_model(s, name, received.sha256, received.size_bytes, metadata, place_file),
            )
        except BaseException:
            if published:
                self._remove_uncommitted_file(name, received.sha256)
            raise

    def _remove_uncommitted_file(self, name: str, sha256: str) -> None:
        try:
            with self._transaction() as session:
                committed = models.has_model(session, name, sha256)
        except Exception:  # cannot tell: keep the file, a file without a row is harmless
            log.warning("model_file_kept", model=name, reason="cannot tell whether its row committed")
            return
        if not committed:
            self._store.delete(name)


def _chunks(requests: Iterator[models_pb2.UploadModelRequest]) -> Iterator[bytes]:
    for request in requests:
        if request.WhichOneof("part") != "chunk":
            raise InvalidRequest("after the header, every message of an upload must carry a chunk")
        yield request.chunk


@contextmanager
def _refusals(context: grpc.ServicerContext) -> Iterator[None]:
    """Translate what the model store and the archive check refuse into gRPC status codes."""
    try:
        yield
    except InvalidRequest as error:
        abort(context, grpc.StatusCode.INVALID_ARGUMENT, str(error))
    except ModelTooLarge as error:
        abort(context, grpc.StatusCode.RESOURCE_EXHAUSTED, str(error))


def _model_message(model: models.ModelRecord) -> models_pb2.Model:
    return models_pb2.Model(
        name=model.name,
        hash=model.hash,
        size_bytes=model.size_bytes,
        trained_at=model.trained_at,
        rasa_version=model.rasa_version,
        model_id=model.model_id,
        assistant_id=model.assistant_id,
        uploaded_at=model.uploaded_at,
        tags=model.tags,
    )
