"""Conversations: the filtered list, one conversation's tracker and messages, exports, deletion, statistics."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from conversely.storage.v1 import storage_pb2
from gateway.auth import principal, requires
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.conversation_access import readable_conversation
from gateway.conversation_events import rasa_event, stored_events
from gateway.conversation_filter import REVIEW_STATUS_NAMES, conversation_query
from gateway.errors import ApiError
from gateway.params import YAML_MEDIA_TYPE, float_param, int_param, wants_yaml
from gateway.permissions import CONVERSATIONS_EXPORT, METADATA_DELETE, METADATA_GET, STATISTICS_GET
from gateway.story import story_yaml
from gateway.tracker import tracker_state

# Rasa X returned every conversation when no limit was given; we cap a page and say the total in X-Total-Count.
MAX_PAGE = 1000
# An export can take long; each call to storage still has a deadline, the stream as a whole has none.
EXPORT_CALL_TIMEOUT_S = 3600.0
MESSAGE_EVENTS = {"user", "bot", "agent"}


@requires(METADATA_GET)
async def list_conversations(request: Request) -> JSONResponse:
    """Conversations matching Rasa X's filters (RASA_X_API.md §3), one page, the total in X-Total-Count."""
    query = conversation_query(request, principal(request))
    limit = int_param(request, "limit", default=MAX_PAGE, maximum=MAX_PAGE)
    offset = int_param(request, "offset", default=0)
    response = await clients(request).storage.ListConversations(
        storage_pb2.ListConversationsRequest(
            limit=max(limit, 1), offset=offset, filter=query.filter, order=query.order
        ),
        timeout=CALL_TIMEOUT_S,
    )
    items = [conversation_item(c) for c in response.conversations][:limit]
    return JSONResponse(items, headers={"X-Total-Count": str(response.total_count)})


@requires(CONVERSATIONS_EXPORT)
async def export_conversations(request: Request) -> StreamingResponse:
    """Every conversation matching the filters, streamed as JSON lines: {sender_id, conversation, events}."""
    query = conversation_query(request, principal(request))
    chunks = clients(request).storage.ExportConversations(
        storage_pb2.ExportConversationsRequest(filter=query.filter), timeout=EXPORT_CALL_TIMEOUT_S
    )

    async def lines() -> AsyncIterator[bytes]:
        current: dict[str, Any] | None = None
        async for chunk in chunks:
            if current is not None and chunk.sender_id != current["sender_id"]:
                yield _json_line(current)
                current = None
            if current is None:
                current = {"sender_id": chunk.sender_id, "conversation": conversation_item(chunk.conversation)}
                current["events"] = []
            current["events"].extend(_annotated(event) for event in chunk.events)
        if current is not None:
            yield _json_line(current)

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="conversations.jsonl"'},
    )


@requires(METADATA_GET)
async def conversation_tracker(request: Request) -> Response:
    """The tracker (Rasa's current_state plus Rasa X's per-event flags); by Accept, a JSON dump or a story."""
    window = _time_window(request)
    conversation = await readable_conversation(request)
    events = await _events(request, conversation.sender_id, window)
    accept = request.headers.get("accept", "")
    if wants_yaml(request):
        corrections = {c.message_timestamp: c.intent for c in conversation.corrected_messages}
        return PlainTextResponse(
            story_yaml(conversation.sender_id, events, corrections),
            media_type=YAML_MEDIA_TYPE,
            headers=_attachment(f"{conversation.sender_id}-story.yml"),
        )
    if "text/markdown" in accept:
        raise ApiError(406, "NotAcceptable", "Rasa 3 reads stories as YAML: ask for Accept: application/x-yaml")
    headers = _attachment(f"{conversation.sender_id}-dump.json") if "application/json" in accept else None
    return JSONResponse(tracker_state(conversation.sender_id, events), headers=headers)


@requires(METADATA_GET)
async def conversation_messages(request: Request) -> JSONResponse:
    """The tracker plus `messages`: each user, bot and agent event with Rasa X's `type` and `data`."""
    window = _time_window(request)
    conversation = await readable_conversation(request)
    events = await _events(request, conversation.sender_id, window)
    state = tracker_state(conversation.sender_id, events)
    state["messages"] = [
        {**event, "type": event["event"], "data": event.get("data") or event.get("parse_data")}
        for event in events
        if event.get("event") in MESSAGE_EVENTS
    ]
    return JSONResponse(state)


@requires(METADATA_GET)
async def get_conversation(request: Request) -> JSONResponse:
    """One conversation as the list shows it: review status, tags, flags, corrections and counts."""
    return JSONResponse(conversation_item(await readable_conversation(request)))


@requires(METADATA_DELETE)
async def delete_conversation(request: Request) -> Response:
    conversation = await readable_conversation(request)
    await clients(request).storage.DeleteConversation(
        storage_pb2.DeleteConversationRequest(sender_id=conversation.sender_id), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(STATISTICS_GET)
async def statistics(request: Request) -> JSONResponse:
    """Message counts and the intents, actions, entities and policies found in the most conversations."""
    top = int_param(request, "top", default=10, minimum=1, maximum=100)
    found = await clients(request).storage.GetStatistics(
        storage_pb2.GetStatisticsRequest(top=top), timeout=CALL_TIMEOUT_S
    )

    def ranked(counts: Any, key: str) -> list[dict[str, Any]]:
        return [{key: item.value, "count": item.count} for item in counts]

    return JSONResponse(
        {
            "conversations": found.conversations,
            "events": found.events,
            "user_messages": found.user_messages,
            "bot_messages": found.bot_messages,
            "top_intents": ranked(found.top_intents, "intent"),
            "top_actions": ranked(found.top_actions, "action"),
            "top_entities": ranked(found.top_entities, "entity"),
            "top_policies": ranked(found.top_policies, "policy"),
        }
    )


def _time_window(request: Request) -> tuple[float | None, float | None]:
    return float_param(request, "since"), float_param(request, "until")


async def _events(request: Request, sender: str, window: tuple[float | None, float | None]) -> list[dict[str, Any]]:
    """The conversation's events within the (since, until) window, each with Rasa X's flag annotations."""
    since, until = window
    return [
        _annotated(event)
        for event in await stored_events(request, sender)
        if (since is None or event.timestamp >= since) and (until is None or event.timestamp <= until)
    ]


def _json_line(value: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(value) + b"\n"
    except orjson.JSONEncodeError:  # an integer beyond 64 bits
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _annotated(stored: storage_pb2.StoredEvent) -> dict[str, Any]:
    """The event as Rasa sent it, plus what Rasa X added: `is_flagged` and metadata rasa_x_flagged/rasa_x_id."""
    event = rasa_event(stored)
    metadata = event.get("metadata")
    event["metadata"] = {
        **(metadata if isinstance(metadata, dict) else {}),
        "rasa_x_flagged": stored.flagged,
        "rasa_x_id": stored.id,
    }
    event["is_flagged"] = stored.flagged
    return event


def _attachment(filename: str) -> dict[str, str]:
    """Content-Disposition for any sender id: an ASCII fallback name, and the real one as RFC 6266 filename*."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"/\\' else "_" for c in filename)
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"}


def conversation_item(conversation: storage_pb2.Conversation) -> dict[str, Any]:
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
        "in_training_data": conversation.in_training_data,
        "review_status": REVIEW_STATUS_NAMES.get(conversation.review_status, "unread"),
        "n_user_messages": conversation.number_user_messages,
        "n_bot_messages": conversation.number_bot_messages,
        "number_of_events": conversation.number_events,
        "has_flagged_messages": conversation.has_flagged_messages,
        "corrected_messages": [
            {"message_timestamp": c.message_timestamp, "intent": c.intent} for c in conversation.corrected_messages
        ],
        "interactive": conversation.interactive,
        "tags": list(conversation.tag_ids),
        "created_by": conversation.created_by or None,
    }


routes = [
    Route("/api/conversations", list_conversations, methods=["GET", "HEAD"]),
    Route("/api/conversations/export", export_conversations, methods=["GET"]),
    Route("/api/statistics", statistics, methods=["GET"]),
    # `:path` because Rasa sender ids may contain "/" (clients send it percent-encoded as %2F).
    Route("/api/conversations/{sender_id:path}/tracker", conversation_tracker, methods=["GET"]),
    Route("/api/conversations/{sender_id:path}/messages", conversation_messages, methods=["GET"]),
    Route("/api/conversations/{sender_id:path}", get_conversation, methods=["GET"]),
    Route("/api/conversations/{sender_id:path}", delete_conversation, methods=["DELETE"]),
]
