"""Conversations: the list and one conversation's tracker (Rasa X `GET /api/conversations[...]`)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely.storage.v1 import storage_pb2
from gateway.auth import requires
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.params import float_param, int_param
from gateway.tracker import tracker_state

# Rasa X returned every conversation when no limit was given; we cap a page and say the total in X-Total-Count.
MAX_PAGE = 1000
EVENTS_PAGE = 5000


@requires("metadata.get")
async def list_conversations(request: Request) -> JSONResponse:
    limit = int_param(request, "limit", default=MAX_PAGE, maximum=MAX_PAGE)
    offset = int_param(request, "offset", default=0)
    if limit == 0:
        return JSONResponse([], headers={"X-Total-Count": str(await _count(request))})
    response = await clients(request).storage.ListConversations(
        storage_pb2.ListConversationsRequest(limit=limit, offset=offset), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(
        [_conversation_item(c) for c in response.conversations],
        headers={"X-Total-Count": str(response.total_count)},
    )


@requires("metadata.get")
async def conversation_tracker(request: Request) -> JSONResponse:
    sender_id = request.path_params["sender_id"]
    since, until = float_param(request, "since"), float_param(request, "until")
    events = [
        event
        for event in await _all_events(request, sender_id)
        if (since is None or event["timestamp"] >= since) and (until is None or event["timestamp"] <= until)
    ]
    return JSONResponse(tracker_state(sender_id, events))


async def _all_events(request: Request, sender_id: str) -> list[dict[str, Any]]:
    storage = clients(request).storage
    events: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = await storage.ListConversationEvents(
            storage_pb2.ListConversationEventsRequest(sender_id=sender_id, page_size=EVENTS_PAGE, offset=offset),
            timeout=CALL_TIMEOUT_S,
        )
        events.extend(json.loads(event.json) for event in page.events)
        if not page.next_offset:
            return events
        offset = page.next_offset


async def _count(request: Request) -> int:
    response = await clients(request).storage.ListConversations(
        storage_pb2.ListConversationsRequest(limit=1), timeout=CALL_TIMEOUT_S
    )
    return response.total_count


def _conversation_item(conversation: storage_pb2.Conversation) -> dict[str, Any]:
    """Rasa X's conversation list item (RASA_X_API.md §4.1) from what storage aggregated."""

    def optional(name: str) -> float | None:
        return getattr(conversation, name) if conversation.HasField(name) else None

    return {
        "sender_id": conversation.sender_id,
        "sender_name": conversation.sender_id,
        "latest_event_time": conversation.latest_event_time,
        "latest_input_channel": conversation.latest_input_channel or None,
        "intents": list(conversation.intents),
        "actions": list(conversation.actions),
        "entities": list(conversation.entities),
        "policies": list(conversation.policies),
        "slots": list(conversation.slots),
        "rasa_environments": list(conversation.rasa_environments),
        "minimum_action_confidence": optional("minimum_action_confidence"),
        "maximum_action_confidence": optional("maximum_action_confidence"),
        "minimum_intent_confidence": optional("minimum_intent_confidence"),
        "maximum_intent_confidence": optional("maximum_intent_confidence"),
        "n_user_messages": conversation.number_user_messages,
        "number_of_events": conversation.number_events,
        "has_flagged_messages": conversation.has_flagged_messages,
        "interactive": conversation.interactive,
    }


routes = [
    Route("/api/conversations", list_conversations, methods=["GET", "HEAD"]),
    # `:path` because Rasa sender ids may contain "/" (clients send it percent-encoded as %2F).
    Route("/api/conversations/{sender_id:path}/tracker", conversation_tracker, methods=["GET"]),
]
