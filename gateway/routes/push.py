"""The websocket `/api/ws` that pushes job progress and the bot's replies to the browser.

The protocol (JSON text frames), Rasa X style: the client first sends `{"token": "<access token>"}` (a token in the
URL would end up in access logs), then `{"subscribe": "models"}` (needs MODEL_JOBS_LIST) or
`{"subscribe": "conversation:<sender_id>"}` (needs the right to open that conversation; guests have their own), and
`{"unsubscribe": "<topic>"}`. The server answers `{"type": "authenticated", "username"}`, then
`{"type": "subscribed" | "unsubscribed", "topic"}` or `{"type": "error", "message"}`, and pushes every message
published on a subscribed topic (gateway/push.py); a conversation's topic carries every event stored after
`subscribed` was answered (gateway/conversation_follower.py). A token that proves nobody closes the socket with
4401 after an error message; no token within 10 s closes it with 4408.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import grpc
import orjson
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from gateway.auth import Principal, Unauthenticated, access_token_principal
from gateway.conversation_access import may_follow
from gateway.permissions import MODEL_JOBS_LIST
from gateway.push import MODELS_TOPIC, Subscription, conversation_topic, push_hub

AUTHENTICATION_TIMEOUT_S = 10.0
CLOSE_UNAUTHENTICATED = 4401
CLOSE_AUTHENTICATION_TIMEOUT = 4408
CLOSE_TRY_AGAIN_LATER = 1013  # RFC 6455 registry: the server cannot serve now (storage unreachable)
CONVERSATION_PREFIX = conversation_topic("")


class _Socket:
    """One client's websocket: sends are serialised, as pushes and answers come from two tasks."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self._sending = asyncio.Lock()

    async def send(self, message: dict[str, Any]) -> None:
        async with self._sending:
            await self.websocket.send_text(orjson.dumps(message).decode())

    async def receive(self) -> dict[str, Any] | None:
        """The next JSON object the client sent; None for a frame that is not one."""
        try:
            message = orjson.loads(await self.websocket.receive_text())
        except (orjson.JSONDecodeError, KeyError):  # KeyError: a binary frame has no text
            return None
        return message if isinstance(message, dict) else None


async def push_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    socket = _Socket(websocket)
    with contextlib.suppress(WebSocketDisconnect):
        caller = await _authenticated(socket)
        if caller is None:
            return
        await socket.send({"type": "authenticated", "username": caller.username})
        async with push_hub(websocket).subscribe() as subscription:
            pushing = asyncio.create_task(_push(socket, subscription))
            try:
                await _serve_requests(socket, caller, subscription)
            finally:
                pushing.cancel()
                # The pusher ends cancelled, or failed to send to a client that has gone.
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await pushing


async def _authenticated(socket: _Socket) -> Principal | None:
    """The caller the first message's token proves; None once the socket was closed for want of one."""
    try:
        first = await asyncio.wait_for(socket.receive(), AUTHENTICATION_TIMEOUT_S)
    except TimeoutError:
        await socket.send({"type": "error", "message": f'no {{"token": ...}} within {AUTHENTICATION_TIMEOUT_S:g} s'})
        await socket.websocket.close(CLOSE_AUTHENTICATION_TIMEOUT)
        return None
    token = first.get("token") if first else None
    try:
        if not isinstance(token, str) or not token:
            raise Unauthenticated('the first message must be {"token": "<access token>"}')
        return await access_token_principal(socket.websocket, token)
    except Unauthenticated as error:
        await socket.send({"type": "error", "message": error.message})
        await socket.websocket.close(CLOSE_UNAUTHENTICATED)
        return None
    except grpc.aio.AioRpcError:
        await socket.send({"type": "error", "message": "storage is not reachable, so no token can be checked; retry"})
        await socket.websocket.close(CLOSE_TRY_AGAIN_LATER)
        return None


async def _serve_requests(socket: _Socket, caller: Principal, subscription: Subscription) -> None:
    """Answer subscribe and unsubscribe requests until the client goes away."""
    while True:
        request = await socket.receive()
        if request is not None and isinstance(request.get("subscribe"), str):
            topic = request["subscribe"]
            refusal = await _refusal(socket.websocket, caller, topic)
            if refusal is None:
                subscription.topics.add(topic)
                if topic.startswith(CONVERSATION_PREFIX):
                    await socket.websocket.app.state.conversation_followers.follow(
                        topic.removeprefix(CONVERSATION_PREFIX)
                    )
                await socket.send({"type": "subscribed", "topic": topic})
            else:
                await socket.send({"type": "error", "message": refusal, "topic": topic})
        elif request is not None and isinstance(request.get("unsubscribe"), str):
            subscription.topics.discard(request["unsubscribe"])
            await socket.send({"type": "unsubscribed", "topic": request["unsubscribe"]})
        else:
            await socket.send(
                {"type": "error", "message": 'send {"subscribe": "<topic>"} or {"unsubscribe": "<topic>"}'}
            )


async def _refusal(websocket: WebSocket, caller: Principal, topic: str) -> str | None:
    """Why `caller` may not subscribe to `topic`, or None when they may."""
    if topic == MODELS_TOPIC:
        return None if MODEL_JOBS_LIST in caller.permissions else f"{MODELS_TOPIC!r} needs {MODEL_JOBS_LIST}"
    sender = topic.removeprefix(CONVERSATION_PREFIX)
    if sender == topic or not sender:
        return f"no such topic: {topic!r} (topics: {MODELS_TOPIC!r}, '{CONVERSATION_PREFIX}<sender_id>')"
    try:
        allowed = await may_follow(websocket.app.state.clients.storage, caller, sender)
    except grpc.aio.AioRpcError:
        return "storage is not reachable, so the conversation cannot be checked; retry"
    return None if allowed else f"you may only follow conversations you created or your own ({topic!r})"


async def _push(socket: _Socket, subscription: Subscription) -> None:
    while True:
        await socket.send(await subscription.next())


routes: list[BaseRoute] = [WebSocketRoute("/api/ws", push_socket)]
