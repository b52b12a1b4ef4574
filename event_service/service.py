"""gRPC handlers of EventService: direct ingestion and status."""

from __future__ import annotations

import grpc

from conversely.events.v1 import events_pb2, events_pb2_grpc
from conversely.rasa_events import InvalidEvent, parse_event
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from event_service.metrics import IngestMetrics

INGEST_TIMEOUT_S = 30.0
MAX_INGEST_EVENTS = 10_000


class EventService(events_pb2_grpc.EventServiceServicer):
    def __init__(
        self,
        storage: storage_pb2_grpc.StorageServiceStub,
        metrics: IngestMetrics,
        max_event_bytes: int,
        default_environment: str,
    ) -> None:
        self._storage = storage
        self._metrics = metrics
        self._max_event_bytes = max_event_bytes
        self._default_environment = default_environment

    def Ingest(self, request: events_pb2.IngestRequest, context: grpc.ServicerContext) -> events_pb2.IngestResponse:
        if len(request.events) > MAX_INGEST_EVENTS:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"at most {MAX_INGEST_EVENTS} events per call")
        environment = request.rasa_environment or self._default_environment
        events = []
        for index, raw in enumerate(request.events):
            try:
                if len(raw.encode()) > self._max_event_bytes:
                    raise InvalidEvent(f"larger than the limit of {self._max_event_bytes} bytes")
                event = parse_event(raw)
            except InvalidEvent as error:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"events[{index}]: {error}; nothing was stored")
            events.append(storage_pb2.Event(sender_id=event.sender_id, json=event.json, rasa_environment=environment))
        self._metrics.record_consumed(len(events))
        try:
            response = self._storage.AppendEvents(
                storage_pb2.AppendEventsRequest(events=events), timeout=INGEST_TIMEOUT_S
            )
        except grpc.RpcError as error:
            self._metrics.record_error(f"storage: {error.code().name}: {error.details()}")
            context.abort(error.code(), f"storage_service: {error.details()}")
        self._metrics.record_stored(response.stored, response.duplicates)
        return events_pb2.IngestResponse(stored=response.stored, duplicates=response.duplicates)

    def GetStatus(
        self, request: events_pb2.GetStatusRequest, context: grpc.ServicerContext
    ) -> events_pb2.GetStatusResponse:
        m = self._metrics
        return events_pb2.GetStatusResponse(
            sources=m.sources,
            consumed=m.consumed,
            stored=m.stored,
            duplicates=m.duplicates,
            dead_lettered=m.dead_lettered,
            last_error=m.last_error,
            queue_depth=m.queue_depth,
            batches=m.batches,
            last_batch_size=m.last_batch_size,
        )
