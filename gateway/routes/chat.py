"""Talk to your bot and share your bot: chat messages to Rasa's `rasa` channel, the chat token, guest tokens."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.settings import Settings
from gateway.auth import PUBLIC, auth_state, principal, requires
from gateway.body import json_object, string_field
from gateway.clients import clients
from gateway.conversation_access import checked_sender_id, conversation_to_talk_in, sender_id
from gateway.errors import ApiError, too_many_attempts
from gateway.guest_tokens import (
    MAX_BOT_NAME_LENGTH,
    MAX_DESCRIPTION_LENGTH,
    ChatTokenRefused,
    chat_token_item,
    issue_guest_token,
    new_chat_token,
    put_chat_token,
    stored_chat_token,
)
from gateway.params import bool_param
from gateway.permissions import CHAT_TOKEN_GET, CHAT_TOKEN_UPDATE, CLIENT_EVENTS_CREATE, MESSAGES_CREATE
from gateway.push import push_hub
from gateway.rasa_client import RasaRefused, rasa_servers, served_environment
from gateway.reply_watcher import ReplyWatcher, last_event_id, run_in_background
from gateway.tokens import chat_channel_token

MAX_EXPIRES = 253402300799  # 9999-12-31T23:59:59Z: later times are no dates JWT libraries or browsers handle


@requires(MESSAGES_CREATE)
async def chat(request: Request) -> JSONResponse:
    """`{message, conversation_id?}` to the bot; without a conversation_id, in the caller's own conversation."""
    body = await json_object(request)
    conversation_id = string_field(body, "conversation_id", required=False)
    sender = checked_sender_id(conversation_id, "conversation_id") if conversation_id else principal(request).username
    return await _talk(request, sender, _message(body))


@requires(MESSAGES_CREATE)
async def conversation_message(request: Request) -> JSONResponse:
    """`{message}` to the bot, in the conversation the path names."""
    body = await json_object(request)
    return await _talk(request, checked_sender_id(sender_id(request), "the path's conversation id"), _message(body))


async def _talk(request: Request, sender: str, message: str) -> JSONResponse:
    """Forward `message` to Rasa's `rasa` channel as the caller, then watch for the bot's answer (with `?wait=true`:
    wait for it and include what arrived)."""
    caller, servers = principal(request), rasa_servers(request)
    wait = bool_param(request, "wait", default=False)
    environment = served_environment(request)  # 409 before anything is stored when no Rasa server is configured
    if sender != caller.username and CLIENT_EVENTS_CREATE not in caller.permissions:
        raise ApiError(
            403,
            "NotAuthorized",
            f"{caller.username} may only talk in their own conversation ({CLIENT_EVENTS_CREATE} is needed for others)",
        )
    await conversation_to_talk_in(request, sender)
    services = clients(request)
    after_id = await last_event_id(services.storage, sender)
    token = chat_channel_token(auth_state(request).signing_key, caller.username, caller.roles, caller.permissions)
    try:
        messages = await servers.send_chat_message(environment, token, message, sender)
    except RasaRefused as error:
        raise _explained(error, environment, request) from None
    settings: Settings = request.app.state.settings
    watcher = ReplyWatcher(
        services.storage,
        services.channels["events"],
        push_hub(request),
        sender,
        after_id,
        messages,
        settings.chat_reply_timeout_s,
    )
    answer: dict[str, Any] = {"conversation_id": sender, "messages": messages}
    if wait:
        outcome = await watcher.watch()
        answer["events"] = outcome.events
        if outcome.no_reply is not None:
            answer["no_reply"] = outcome.no_reply
    else:
        run_in_background(request, watcher.watch())
    return JSONResponse(answer)


def _explained(error: RasaRefused, environment: str, request: Request) -> RasaRefused:
    """Rasa's refusal, with the usual cause of a 401 or 500 from its `rasa` channel added: it verifies our token
    with the key it fetches from `<credentials.yml rasa.url>/version`, and fails when that is not this gateway."""
    if error.rasa_status not in {401, 500}:
        return error
    settings: Settings = request.app.state.settings
    hint = (
        "if Rasa's log shows a JWT or public-key error, the `rasa` channel in Rasa's credentials.yml needs "
        f"`url: {settings.effective_public_url}/api` (GET /api/config serves it)"
    )
    return RasaRefused(environment, error.rasa_status, f"{error.rasa_message} ({hint})")


def _message(body: dict[str, Any]) -> str:
    return string_field(body, "message")


@requires(CHAT_TOKEN_GET, rasa_token=True)
async def get_chat_token(request: Request) -> JSONResponse:
    """The share-your-bot chat token; the first call makes one (30 days, bot name "Conversely bot")."""
    users = clients(request).users
    current = await stored_chat_token(users)
    if current is None:
        current = await put_chat_token(users, new_chat_token())
        auth_state(request).forget_lookups()
    return JSONResponse(chat_token_item(current))


@requires(CHAT_TOKEN_UPDATE)
async def replace_chat_token(request: Request) -> JSONResponse:
    """A new chat token with `{bot_name, description?, expires?}`; the old one, and its guests' tokens, stop working."""
    body = await json_object(request)
    bot_name = string_field(body, "bot_name")
    if len(bot_name) > MAX_BOT_NAME_LENGTH:
        raise ApiError(400, "InvalidBody", f"bot_name may have at most {MAX_BOT_NAME_LENGTH} characters")
    description = string_field(body, "description", required=False)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ApiError(400, "InvalidBody", f"description may have at most {MAX_DESCRIPTION_LENGTH} characters")
    stored = await put_chat_token(clients(request).users, new_chat_token(bot_name, description, _expires(body)))
    auth_state(request).forget_lookups()
    return JSONResponse(chat_token_item(stored))


def _expires(body: dict[str, Any]) -> float | None:
    """The body's `expires` (Unix seconds, in the future), or None for the default lifetime."""
    value = body.get("expires")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not time.time() < value <= MAX_EXPIRES:
        raise ApiError(400, "InvalidBody", "expires must be a time in the future, in Unix seconds")
    return float(value)


@requires(PUBLIC)
async def guest_token(request: Request) -> Response:
    """`{chat_token}` in, `{access_token, conversation_id}` out: a guest's token for a conversation of their own."""
    body = await json_object(request)
    presented = string_field(body, "chat_token")
    state, users = auth_state(request), clients(request).users
    attempts = [f"chat_token_address:{request.client.host if request.client else ''}"]
    retry_after = state.limiter.retry_after(attempts)
    if retry_after is not None:
        return too_many_attempts("invalid chat tokens", retry_after)
    try:
        access_token, conversation_id = issue_guest_token(
            state.signing_key, presented, await state.current_chat_token(users), await state.guest_permissions(users)
        )
    except ChatTokenRefused as error:
        state.limiter.record_failure(attempts)
        raise ApiError(401, "InvalidChatToken", str(error)) from None
    return JSONResponse({"access_token": access_token, "conversation_id": conversation_id})


routes = [
    Route("/api/chat", chat, methods=["POST"]),
    Route("/api/conversations/{sender_id:path}/messages", conversation_message, methods=["POST"]),
    Route("/api/chatToken", get_chat_token, methods=["GET"]),
    Route("/api/chatToken", replace_chat_token, methods=["PUT"]),
    Route("/api/auth/jwt", guest_token, methods=["POST"]),
]
