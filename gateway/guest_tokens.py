"""Share your bot: the installation's chat token, and the guest access tokens it is exchanged for.

Whoever holds the chat token (a link an admin shares) gets, from `POST /api/auth/jwt`, a guest access token for a
conversation of their own. The guest token names the chat token only by its digest and stops working as soon as the
chat token is replaced or expires (gateway/auth.py checks it against the current one), so replacing the chat token
shuts every guest out.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
import uuid
from collections.abc import Iterable

import grpc

from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.clients import CALL_TIMEOUT_S
from gateway.tokens import SigningKey, token_scopes

GUEST_ROLE = "guest"
# Binds a guest token to the chat token it was exchanged for (a digest: the token itself would let anyone who
# reads a guest token mint more).
CHAT_TOKEN_CLAIM = "chat_token_sha256"
CHAT_TOKEN_LIFETIME_S = 30 * 24 * 3600
GUEST_TOKEN_MAX_LIFETIME_S = 24 * 3600
DEFAULT_BOT_NAME = "Conversely bot"
MAX_BOT_NAME_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 10_000


class ChatTokenRefused(Exception):
    """A chat token that is not the current one, or that has expired."""


def chat_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_chat_token(
    bot_name: str = DEFAULT_BOT_NAME, description: str = "", expires: float | None = None
) -> users_pb2.ChatToken:
    """A fresh random chat token, valid until `expires` (Unix seconds; default: 30 days from now)."""
    return users_pb2.ChatToken(
        token=secrets.token_hex(32),
        bot_name=bot_name,
        description=description,
        expires=time.time() + CHAT_TOKEN_LIFETIME_S if expires is None else expires,
    )


def chat_token_item(chat_token: users_pb2.ChatToken) -> dict[str, object]:
    """Rasa X's chat token object: `{chat_token, bot_name, description, expires}` (expires in Unix seconds)."""
    return {
        "chat_token": chat_token.token,
        "bot_name": chat_token.bot_name,
        "description": chat_token.description,
        "expires": math.floor(chat_token.expires),
    }


async def stored_chat_token(users: users_pb2_grpc.UserServiceStub) -> users_pb2.ChatToken | None:
    """The installation's chat token, or None when none was made yet."""
    try:
        response = await users.GetChatToken(users_pb2.GetChatTokenRequest(), timeout=CALL_TIMEOUT_S)
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise
    return response.chat_token


async def put_chat_token(users: users_pb2_grpc.UserServiceStub, chat_token: users_pb2.ChatToken) -> users_pb2.ChatToken:
    """Store `chat_token` in place of the current one, which stops working."""
    response = await users.PutChatToken(users_pb2.PutChatTokenRequest(chat_token=chat_token), timeout=CALL_TIMEOUT_S)
    return response.chat_token


def is_current(chat_token: users_pb2.ChatToken | None, digest: str, now: float | None = None) -> bool:
    """Whether a token with chat-token digest `digest` was issued for `chat_token` and that has not expired."""
    if chat_token is None or not chat_token.token:
        return False
    unexpired = chat_token.expires > (time.time() if now is None else now)
    return unexpired and secrets.compare_digest(chat_token_digest(chat_token.token), digest)


def issue_guest_token(
    key: SigningKey,
    presented: str,
    current: users_pb2.ChatToken | None,
    guest_permissions: Iterable[str],
    now: float | None = None,
) -> tuple[str, str]:
    """(guest access token, its fresh conversation id) for the chat token `presented`; ChatTokenRefused unless it
    is the `current` one and has not expired. The guest token lasts at most a day and never beyond the chat token."""
    now = time.time() if now is None else now
    if not is_current(current, chat_token_digest(presented), now):
        raise ChatTokenRefused("the chat token is not valid: it was replaced, has expired, or never existed")
    assert current is not None
    conversation_id = uuid.uuid4().hex
    lifetime = int(min(GUEST_TOKEN_MAX_LIFETIME_S, current.expires - now))
    claims = {
        "username": conversation_id,
        "scopes": token_scopes(guest_permissions),
        "user": {"username": conversation_id, "roles": [GUEST_ROLE]},
        CHAT_TOKEN_CLAIM: chat_token_digest(current.token),
    }
    return key.issue(claims, max(lifetime, 1), now), conversation_id
