"""Interactive learning: create a conversation, predict the next action, execute one, append events.

Each call goes to the environment's Rasa server (`?environment=`, default production) and answers what Rasa answered;
the events Rasa records reach Conversely through the event broker like any others.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.auth import principal, requires
from gateway.body import json_body, json_object, string_field
from gateway.clients import clients
from gateway.conversation_access import (
    checked_sender_id,
    create_conversation,
    find_conversation,
    readable_conversation,
)
from gateway.errors import ApiError
from gateway.permissions import CLIENT_EVENTS_CREATE
from gateway.rasa_client import rasa_servers, served_environment

MAX_EVENTS = 1000


def session_start() -> list[dict[str, Any]]:
    """The events that open a conversation in Rasa (what its `action_session_start` adds; Rasa stamps the time)."""
    return [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "action", "name": "action_listen"},
    ]


@requires(CLIENT_EVENTS_CREATE)
async def create_interactive_conversation(request: Request) -> JSONResponse:
    """`{sender_id?}`: a new interactive-learning conversation of the caller; 201 with Rasa's tracker of it."""
    body = await json_object(request) if await request.body() else {}
    sender = checked_sender_id(string_field(body, "sender_id", required=False) or uuid.uuid4().hex, "sender_id")
    environment = served_environment(request)
    storage, caller = clients(request).storage, principal(request)
    if await find_conversation(storage, sender) is not None:
        raise ApiError(409, "ConversationExists", f"the conversation {sender!r} exists already")
    await create_conversation(storage, sender, caller.username, interactive=True)
    # Rasa keeps no tracker until something is saved in it, and predict and execute answer 404 without one.
    tracker = await rasa_servers(request).append_events(environment, sender, session_start())
    return JSONResponse(
        {**tracker, "sender_id": sender, "interactive": True, "created_by": caller.username}, status_code=201
    )


@requires(CLIENT_EVENTS_CREATE)
async def predict(request: Request) -> JSONResponse:
    """Rasa's prediction of the conversation's next action (`{scores, policy, confidence, tracker}`)."""
    environment = served_environment(request)
    conversation = await readable_conversation(request)
    return JSONResponse(await rasa_servers(request).predict_action(environment, conversation.sender_id))


@requires(CLIENT_EVENTS_CREATE)
async def execute(request: Request) -> JSONResponse:
    """`{name, policy?, confidence?}`: Rasa runs the action in the conversation; `{tracker, messages}`."""
    action = _action(await json_object(request))
    environment = served_environment(request)
    conversation = await readable_conversation(request)
    return JSONResponse(await rasa_servers(request).execute_action(environment, conversation.sender_id, action))


@requires(CLIENT_EVENTS_CREATE)
async def append_events(request: Request) -> JSONResponse:
    """One Rasa event or a list of them, appended to the conversation's tracker in Rasa; Rasa's tracker after."""
    events = _events(await json_body(request))
    environment = served_environment(request)
    conversation = await readable_conversation(request)
    return JSONResponse(await rasa_servers(request).append_events(environment, conversation.sender_id, events))


def _action(body: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = {"name": string_field(body, "name")}
    policy = body.get("policy")
    if policy is not None:
        if not isinstance(policy, str):
            raise ApiError(400, "InvalidBody", "policy must be a string")
        action["policy"] = policy
    confidence = body.get("confidence")
    if confidence is not None:
        if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            raise ApiError(400, "InvalidBody", "confidence must be a number from 0 to 1")
        action["confidence"] = confidence
    return action


def _events(body: Any) -> list[dict[str, Any]]:
    """The body as a list of 1 to MAX_EVENTS Rasa events, each an object naming its `event` type."""
    events = body if isinstance(body, list) else [body]
    if not 1 <= len(events) <= MAX_EVENTS:
        raise ApiError(400, "InvalidBody", f"send one event or a list of 1 to {MAX_EVENTS} events")
    for index, event in enumerate(events):
        if not isinstance(event, dict) or not isinstance(event.get("event"), str) or not event["event"].strip():
            raise ApiError(400, "InvalidBody", f"event {index} must be an object with the string `event` (its type)")
        timestamp = event.get("timestamp")
        if timestamp is not None and (
            isinstance(timestamp, bool) or not isinstance(timestamp, int | float) or not math.isfinite(timestamp)
        ):
            raise ApiError(400, "InvalidBody", f"event {index}: timestamp must be Unix seconds")
    return events


routes = [
    Route("/api/conversations", create_interactive_conversation, methods=["POST"]),
    Route("/api/conversations/{sender_id:path}/predict", predict, methods=["POST"]),
    Route("/api/conversations/{sender_id:path}/execute", execute, methods=["POST"]),
    Route("/api/conversations/{sender_id:path}/events", append_events, methods=["POST"]),
]
