"""Hands batches to storage_service, retrying with backoff while storage is unavailable."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import grpc
import structlog

from conversely.grpc_runtime import is_serving, wait_until
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from event_service.metrics import IngestMetrics

log = structlog.get_logger()

RETRYABLE = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
}
STORE_TIMEOUT_S = 30.0


class StorageStopped(Exception):
    """The service is stopping; the batch was not stored (its messages stay unacknowledged)."""


class StorageWriter:
    def __init__(self, storage_channel: grpc.Channel, metrics: IngestMetrics, stop: threading.Event) -> None:
        self._channel = storage_channel
        self._stub = storage_pb2_grpc.StorageServiceStub(storage_channel)
        self._metrics = metrics
        self._stop = stop

    def wait_until_serving(self) -> bool:
        return wait_until(lambda: is_serving(self._channel), "storage_service", self._stop)

    def store(
        self,
        events: Sequence[storage_pb2.Event],
        checkpoint: storage_pb2.Checkpoint | None = None,
        cancel: threading.Event | None = None,
    ) -> storage_pb2.AppendEventsResponse:
        """Store the batch, retrying while storage is unavailable.

        Raises StorageStopped when the service stops, or `cancel` is set, before storage took the batch.
        """
        request = storage_pb2.AppendEventsRequest(events=events, checkpoint=checkpoint)
        delay = 0.1
        while True:
            try:
                response = self._stub.AppendEvents(request, timeout=STORE_TIMEOUT_S)
            except grpc.RpcError as error:
                if error.code() not in RETRYABLE:
                    raise
                self._metrics.record_error(f"storage: {error.code().name}: {error.details()}")
                log.warning("storage_unavailable", code=error.code().name, retry_in_s=round(delay, 2))
                if self._stop.wait(delay) or (cancel is not None and cancel.is_set()):
                    raise StorageStopped from error
                delay = min(delay * 2, 5.0)
                continue
            self._metrics.record_stored(response.stored, response.duplicates)
            return response

    def checkpoint(self, source: str) -> int:
        response = self._stub.GetCheckpoint(storage_pb2.GetCheckpointRequest(source=source), timeout=STORE_TIMEOUT_S)
        return response.position
