"""A conversation's events as storage keeps them: read page by page, each parsed back into the event Rasa sent."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from starlette.requests import Request

from conversely.storage.v1 import storage_pb2
from gateway.clients import CALL_TIMEOUT_S, clients

EVENTS_PAGE = 5000
_LONG_INTEGER = re.compile(r"\d{20}")


async def stored_events(request: Request, sender_id: str) -> list[storage_pb2.StoredEvent]:
    """Every stored event of the conversation, in order."""
    storage = clients(request).storage
    events: list[storage_pb2.StoredEvent] = []
    offset = 0
    while True:
        page = await storage.ListConversationEvents(
            storage_pb2.ListConversationEventsRequest(sender_id=sender_id, page_size=EVENTS_PAGE, offset=offset),
            timeout=CALL_TIMEOUT_S,
        )
        events.extend(page.events)
        if not page.next_offset:
            return events
        offset = page.next_offset


def rasa_event(stored: storage_pb2.StoredEvent) -> dict[str, Any]:
    """The event as Rasa sent it."""
    # orjson turns integers beyond 64 bits (which Rasa events may carry in custom data) into floats.
    return json.loads(stored.json) if _LONG_INTEGER.search(stored.json) else orjson.loads(stored.json)  # type: ignore[no-any-return]
