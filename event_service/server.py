"""Wiring of event_service: the configured sources, each in its own thread, and the gRPC API."""

from __future__ import annotations

import threading

import structlog
from prometheus_client import CONTENT_TYPE_LATEST

from conversely.events.v1 import events_pb2, events_pb2_grpc
from conversely.grpc_runtime import GrpcService, bind_address, channel
from conversely.http_status import status_http_server
from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2_grpc
from event_service.consumer import RabbitMQConsumer
from event_service.metrics import IngestMetrics
from event_service.service import EventService
from event_service.sql_broker import SqlBrokerPoller
from event_service.storage_writer import StorageWriter

log = structlog.get_logger()


def serve(settings: Settings) -> None:
    stop = threading.Event()
    metrics = IngestMetrics(sources=["grpc"])
    storage_channel = channel(settings.storage_address)
    writer = StorageWriter(storage_channel, metrics, stop)
    sources: list[RabbitMQConsumer | SqlBrokerPoller] = []
    if settings.rabbitmq_url:
        sources.append(RabbitMQConsumer(settings, writer, metrics, stop))
    if settings.effective_sql_broker_url:
        sources.append(SqlBrokerPoller(settings, writer, metrics, stop))
    metrics.sources.extend(source.source_name for source in sources)

    grpc_service = GrpcService(
        bind_address(settings.bind_host, settings.events_address),
        [events_pb2.DESCRIPTOR.services_by_name["EventService"].full_name],
    )
    events_pb2_grpc.add_EventServiceServicer_to_server(
        EventService(
            storage_pb2_grpc.StorageServiceStub(storage_channel),
            metrics,
            settings.max_event_bytes,
            settings.rasa_environment,
        ),
        grpc_service.server,
    )
    http = status_http_server(
        settings.bind_host,
        settings.events_http_port,
        {
            "/health": lambda: (200, "application/json", b'{"status": "ok"}'),
            "/metrics": lambda: (200, CONTENT_TYPE_LATEST, metrics.prometheus_text()),
        },
    )
    threading.Thread(target=http.serve_forever, name="status-http", daemon=True).start()
    threads = [threading.Thread(target=source.run, name=source.source_name) for source in sources]
    for thread in threads:
        thread.start()
    grpc_service.set_serving()
    log.info("event_service_started", sources=metrics.sources)

    def on_stop() -> None:
        stop.set()
        http.shutdown()
        for thread in threads:
            thread.join(settings.shutdown_grace_s)
            if thread.is_alive():
                log.warning("source_did_not_stop_in_time", source=thread.name)

    grpc_service.run(settings.shutdown_grace_s, on_stop=on_stop)
    storage_channel.close()
