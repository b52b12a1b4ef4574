"""Consumes Rasa's events from RabbitMQ exactly as Rasa's PikaEventBroker publishes them.

pika's BlockingConnection is not thread-safe, so one thread owns it: it consumes, checks each message, fills
batches and acknowledges. Writer threads store the batches concurrently; a stored batch is acknowledged through
`add_callback_threadsafe`, in order (AckWindow). A message that can never be stored is published to
`<queue>.dead-letter` with the reason (publisher confirms on) and only then acknowledged.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pika
import pika.exceptions
import structlog
from pika.adapters.blocking_connection import BlockingChannel

from conversely.rasa_events import InvalidEvent, parse_event
from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2
from event_service.acks import AckWindow
from event_service.batcher import Batch
from event_service.metrics import IngestMetrics
from event_service.source import EventSource
from event_service.storage_writer import StorageStopped, StorageWriter

log = structlog.get_logger()

QUEUE_DEPTH_EVERY_S = 5.0
REASON_HEADER = "x-conversely-reason"


def dead_letter_queue(queue: str) -> str:
    return f"{queue}.dead-letter"


def declare_rasa_topology(channel: BlockingChannel, exchange: str, queue: str) -> None:
    """Declare exchange, queue and binding exactly as Rasa 3.6 does, or RabbitMQ refuses one of the two."""
    channel.exchange_declare(exchange, exchange_type="fanout", durable=False)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, exchange, routing_key="")


class RabbitMQConsumer(EventSource):
    @property
    def source_name(self) -> str:
        return f"rabbitmq:{self._settings.rabbitmq_queue}"

    def _run_once(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self._settings.rabbitmq_url))
        session = _ConsumerSession(connection, self._settings, self._writer, self._metrics, self._stop)
        try:
            session.consume()
        finally:
            session.close()


class _ConsumerSession:
    """One connection's worth of consuming: its channel, batches in flight and their acknowledgements."""

    def __init__(
        self,
        connection: pika.BlockingConnection,
        settings: Settings,
        writer: StorageWriter,
        metrics: IngestMetrics,
        stop: threading.Event,
    ) -> None:
        self._connection = connection
        self._settings = settings
        self._writer = writer
        self._metrics = metrics
        self._stop = stop
        self._queue = settings.rabbitmq_queue
        self._acks = AckWindow()
        self._writers = ThreadPoolExecutor(settings.store_concurrency, thread_name_prefix="store")
        # Set when this connection ends: its delivery tags are void, so writers stop retrying for it.
        self._ended = threading.Event()
        self._channel: BlockingChannel | None = None

    def consume(self) -> None:
        channel = self._connection.channel()
        self._channel = channel
        declare_rasa_topology(channel, self._settings.rabbitmq_exchange, self._queue)
        channel.queue_declare(dead_letter_queue(self._queue), durable=True)
        channel.confirm_delivery()
        channel.basic_qos(prefetch_count=self._settings.batch_size * (self._settings.store_concurrency + 2))
        log.info("consuming", queue=self._queue, exchange=self._settings.rabbitmq_exchange)
        batch = Batch(self._settings.batch_size, self._settings.batch_wait_ms / 1000)
        depth_checked = 0.0
        for method, properties, body in channel.consume(
            self._queue, inactivity_timeout=self._settings.batch_wait_ms / 1000
        ):
            if method is not None:
                self._metrics.record_consumed(1)
                event = self._to_storage_event(channel, method.delivery_tag, properties, body)
                if event is not None:
                    batch.add(event, method.delivery_tag)
            if batch.is_due or (self._stop.is_set() and len(batch) > 0):
                self._dispatch(batch)
            if time.monotonic() - depth_checked > QUEUE_DEPTH_EVERY_S:
                depth_checked = time.monotonic()
                self._metrics.set_queue_depth(channel.queue_declare(self._queue, passive=True).method.message_count)
            if self._stop.is_set() or self._ended.is_set():
                break
        # Unbatched prefetched messages go back to the queue; batches in flight finish and are acknowledged.
        channel.cancel()
        self._drain()

    def close(self) -> None:
        self._ended.set()
        self._writers.shutdown(wait=True)
        if self._connection.is_open:
            with contextlib.suppress(pika.exceptions.AMQPError):  # closing a broken connection may fail too
                self._connection.close()

    def _dispatch(self, batch: Batch) -> None:
        """Hand the batch to a writer, first waiting (while serving the connection) for a free one."""
        while self._acks.in_flight >= self._settings.store_concurrency:
            if self._ended.is_set():
                return  # a write failed: the consume loop ends and the batch is delivered again
            self._connection.process_data_events(time_limit=0.005)
        ticket = self._acks.dispatch(batch.last_delivery_tag)
        self._metrics.record_batch(len(batch))
        future = self._writers.submit(self._writer.store, list(batch.events), cancel=self._ended)
        future.add_done_callback(functools.partial(self._on_stored, ticket))
        batch.clear()

    def _on_stored(self, ticket: int, future: Future[storage_pb2.AppendEventsResponse]) -> None:
        error = future.exception()
        if error is not None:
            # Not stored, so never acknowledged: ending this connection makes RabbitMQ deliver it again.
            if not isinstance(error, StorageStopped):
                log.error("batch_not_stored", error=repr(error))
                self._metrics.record_error(f"storage: {error!r}")
            self._ended.set()
            return
        # If the connection is gone, the messages come back and are recognised as stored.
        with contextlib.suppress(pika.exceptions.AMQPError):
            self._connection.add_callback_threadsafe(functools.partial(self._acknowledge, ticket))

    def _acknowledge(self, ticket: int) -> None:
        tag = self._acks.complete(ticket)
        if tag is not None and self._channel is not None and self._channel.is_open:
            self._channel.basic_ack(tag, multiple=True)

    def _drain(self) -> None:
        while self._acks.in_flight and not self._ended.is_set():
            self._connection.process_data_events(time_limit=0.01)

    def _to_storage_event(
        self, channel: BlockingChannel, delivery_tag: int, properties: pika.BasicProperties, body: bytes
    ) -> storage_pb2.Event | None:
        try:
            if len(body) > self._settings.max_event_bytes:
                raise InvalidEvent(f"{len(body)} bytes, more than the limit of {self._settings.max_event_bytes}")
            event = parse_event(body)
        except InvalidEvent as error:
            self._dead_letter(channel, delivery_tag, properties, body, str(error))
            return None
        environment = properties.app_id or self._settings.rasa_environment
        return storage_pb2.Event(sender_id=event.sender_id, json=event.json, rasa_environment=environment)

    def _dead_letter(
        self,
        channel: BlockingChannel,
        delivery_tag: int,
        properties: pika.BasicProperties,
        body: bytes,
        reason: str,
    ) -> None:
        headers = dict(properties.headers or {})
        headers[REASON_HEADER] = reason
        headers["x-conversely-source-queue"] = self._queue
        channel.basic_publish(
            exchange="",
            routing_key=dead_letter_queue(self._queue),
            body=body,
            properties=pika.BasicProperties(
                delivery_mode=pika.DeliveryMode.Persistent,
                headers=headers,
                message_id=properties.message_id,
                app_id=properties.app_id,
                content_type=properties.content_type,
            ),
            mandatory=True,
        )
        channel.basic_ack(delivery_tag)
        self._metrics.record_dead_letter(reason)
        log.warning("dead_lettered", reason=reason, message_id=properties.message_id, queue=self._queue)
