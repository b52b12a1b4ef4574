"""The share-your-bot chat token: one per installation, kept in the single row of `chat_token` (id 1)."""

from __future__ import annotations

import math

from sqlalchemy.orm import Session

from storage_service.models import ChatToken
from storage_service.queries.errors import InvalidRequest, NotFound
from storage_service.queries.upsert import insert_for

CHAT_TOKEN_ID = 1
MAX_BOT_NAME_LENGTH = 255


def get_chat_token(session: Session) -> ChatToken:
    row = session.get(ChatToken, CHAT_TOKEN_ID)
    if row is None:
        raise NotFound("no chat token was made yet")
    return row


def put_chat_token(session: Session, token: str, bot_name: str, description: str, expires: float) -> ChatToken:
    """Replace the chat token whole (the old one stops working); concurrent puts leave one of them, complete."""
    if not token:
        raise InvalidRequest("token must not be empty")
    if len(bot_name) > MAX_BOT_NAME_LENGTH:
        raise InvalidRequest(f"bot_name must not be longer than {MAX_BOT_NAME_LENGTH} characters")
    if not (math.isfinite(expires) and expires > 0):
        raise InvalidRequest("expires must be a time (Unix seconds) after 0")
    values = {"token": token, "bot_name": bot_name, "description": description, "expires": expires}
    session.connection().execute(
        insert_for(session, ChatToken)
        .values(id=CHAT_TOKEN_ID, **values)
        .on_conflict_do_update(index_elements=["id"], set_=values)
    )
    return get_chat_token(session)
