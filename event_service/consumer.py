"""Consumes Rasa's events from RabbitMQ exactly as Rasa's PikaEventBroker publishes them.

Runs in its own thread (pika's BlockingConnection is not thread-safe: only this thread touches it). Messages
are acknowledged only after storage has committed their batch; a message that can never be stored is
published to `<queue>.dead-letter` with the reason (publisher confirms on) and only then acknowledged.
"""

from __future__ import annotations

import threading
import uuid

import pika
import pika.exceptions
import structlog
from pika.adapters.blocking_connection import BlockingChannel

from conversely.rasa_events import InvalidEvent, parse_event
from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2
from event_service.batcher import Batch
from event_service.metrics import IngestMetrics
from event_service.storage_writer import StorageStopped, StorageWriter

log = structlog.get_logger()

RECONNECT_MAX_DELAY_S = 10.0
REASON_HEADER = "x-conversely-reason"


def dead_letter_queue(queue: str) -> str:
    return f"{queue}.dead-letter"


def declare_rasa_topology(channel: BlockingChannel, exchange: str, queue: str) -> None:
    """Declare exchange, queue and binding exactly as Rasa 3.6 does, or RabbitMQ refuses one of the two."""
    channel.exchange_declare(exchange, exchange_type="fanout", durable=False)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, exchange, routing_key="")


class RabbitMQConsumer:
    def __init__(
        self, settings: Settings, writer: StorageWriter, metrics: IngestMetrics, stop: threading.Event
    ) -> None:
        self._settings = settings
        self._writer = writer
        self._metrics = metrics
        self._stop = stop
        self._queue = settings.rabbitmq_queue

    @property
    def source_name(self) -> str:
        return f"rabbitmq:{self._queue}"

    def run(self) -> None:
        """Consume until stopped, reconnecting with backoff whenever the connection is lost."""
        if not self._writer.wait_until_serving():
            return
        delay = 0.5
        while not self._stop.is_set():
            try:
                self._consume_one_connection()
                delay = 0.5
            except pika.exceptions.AMQPError as error:
                self._metrics.record_error(f"rabbitmq: {error!r}")
                log.warning("rabbitmq_unavailable", error=repr(error), retry_in_s=delay)
                self._stop.wait(delay)
                delay = min(delay * 2, RECONNECT_MAX_DELAY_S)

    def _consume_one_connection(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self._settings.rabbitmq_url))
        try:
            channel = connection.channel()
            declare_rasa_topology(channel, self._settings.rabbitmq_exchange, self._queue)
            channel.queue_declare(dead_letter_queue(self._queue), durable=True)
            channel.confirm_delivery()
            channel.basic_qos(prefetch_count=self._settings.batch_size * 2)
            log.info("consuming", queue=self._queue, exchange=self._settings.rabbitmq_exchange)
            self._consume(connection, channel)
        finally:
            if connection.is_open:
                connection.close()

    def _consume(self, connection: pika.BlockingConnection, channel: BlockingChannel) -> None:
        batch = Batch(self._settings.batch_size, self._settings.batch_wait_ms / 1000)
        for method, properties, body in channel.consume(
            self._queue, inactivity_timeout=self._settings.batch_wait_ms / 1000
        ):
            if method is not None:
                self._metrics.record_consumed(1)
                event = self._to_storage_event(channel, method.delivery_tag, properties, body)
                if event is not None:
                    batch.add(event, method.delivery_tag)
            flush_now = batch.is_due or (self._stop.is_set() and len(batch) > 0)
            if (flush_now and not self._flush(connection, channel, batch)) or self._stop.is_set():
                break
        # Prefetched but unbatched messages go back to the queue when the channel closes.
        channel.cancel()

    def _flush(self, connection: pika.BlockingConnection, channel: BlockingChannel, batch: Batch) -> bool:
        """Store the batch, then acknowledge it; False when stopping left it unstored (and so unacknowledged)."""
        batch_id = uuid.uuid4().hex[:12]
        try:
            response = self._writer.store(batch.events, sleep=connection.sleep)
        except StorageStopped:
            return False
        channel.basic_ack(batch.last_delivery_tag, multiple=True)
        log.debug("batch_stored", batch=batch_id, events=len(batch), stored=response.stored)
        batch.clear()
        return True

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
