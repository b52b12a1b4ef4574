"""Publishing to RabbitMQ exactly as Rasa 3.6's PikaEventBroker does (see ../shared/fixtures/rasa-3.6.21)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pika

from event_service.consumer import declare_rasa_topology


def publish_like_rasa(
    url: str, queue: str, messages: Iterable[dict[str, Any]], exchange: str = "rasa-exchange"
) -> None:
    """Publish recorded broker messages with Rasa's exchange, queue declaration and message properties."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        declare_rasa_topology(channel, exchange, queue)
        channel.confirm_delivery()
        for message in messages:
            properties = message.get("properties", {})
            channel.basic_publish(
                exchange,
                "",
                message["raw"] if "raw" in message else json.dumps(message["body"]).encode(),
                pika.BasicProperties(
                    delivery_mode=properties.get("delivery_mode", 2),
                    headers=properties.get("headers", {}),
                    message_id=properties.get("message_id"),
                    app_id=properties.get("app_id"),
                ),
            )
    finally:
        connection.close()


def drain(url: str, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    """Take every message now in `queue`."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    taken = []
    try:
        channel = connection.channel()
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return taken
            taken.append((properties, body))
    finally:
        connection.close()


def delete_queues(url: str, *queues: str) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        for queue in queues:
            channel.queue_delete(queue)
    finally:
        connection.close()
