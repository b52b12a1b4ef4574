"""UserService's share-your-bot chat token over real gRPC on real SQLite and PostgreSQL: one per installation,
replaced whole, refused when incomplete."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import users_pb2, users_pb2_grpc
from storage_service.models import ChatToken
from tests.storage_server import rejected

Stub = users_pb2_grpc.UserServiceStub
EXPIRES = 1_795_478_705.25


@pytest.fixture
def users(storage_channel: grpc.Channel) -> Stub:
    return Stub(storage_channel)


def put(users: Stub, **fields: Any) -> users_pb2.ChatToken:
    token = users_pb2.ChatToken(
        **{"token": "tok-1", "bot_name": "Sara", "description": "our bot", "expires": EXPIRES, **fields}
    )
    return users.PutChatToken(users_pb2.PutChatTokenRequest(chat_token=token)).chat_token


def get(users: Stub) -> users_pb2.ChatToken:
    return users.GetChatToken(users_pb2.GetChatTokenRequest()).chat_token


def stored_rows(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ChatToken)) or 0


def test_no_chat_token_until_one_is_put(users: Stub) -> None:
    rejected(users.GetChatToken, users_pb2.GetChatTokenRequest(), grpc.StatusCode.NOT_FOUND)


def test_put_chat_token_comes_back_exactly(users: Stub) -> None:
    stored = put(users)
    assert stored == users_pb2.ChatToken(token="tok-1", bot_name="Sara", description="our bot", expires=EXPIRES)
    assert get(users) == stored


def test_new_chat_token_replaces_the_old_one_whole(users: Stub, sessions: sessionmaker[Session]) -> None:
    put(users, token="tok-1", bot_name="Sara", description="our bot")
    replacement = put(users, token="tok-2", bot_name="", description="", expires=EXPIRES + 3600)
    assert replacement == users_pb2.ChatToken(token="tok-2", expires=EXPIRES + 3600)
    assert get(users) == replacement
    assert stored_rows(sessions) == 1


def test_bot_name_of_255_characters_is_kept(users: Stub) -> None:
    assert put(users, bot_name="é" * 255).bot_name == "é" * 255


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"token": ""}, "token"),
        ({"bot_name": "x" * 256}, "bot_name"),
        ({"expires": 0}, "expires"),
        ({"expires": -1}, "expires"),
        ({"expires": math.nan}, "expires"),
        ({"expires": math.inf}, "expires"),
    ],
)
def test_incomplete_chat_token_is_refused_and_the_old_one_kept(users: Stub, fields: dict[str, Any], named: str) -> None:
    kept = put(users)
    token = users_pb2.ChatToken(
        **{"token": "tok-2", "bot_name": "Other", "description": "", "expires": EXPIRES, **fields}
    )
    assert named in rejected(users.PutChatToken, users_pb2.PutChatTokenRequest(chat_token=token))
    assert get(users) == kept


def test_concurrent_puts_leave_one_complete_token(users: Stub, sessions: sessionmaker[Session]) -> None:
    with ThreadPoolExecutor(4) as pool:
        written = list(
            pool.map(lambda n: put(users, token=f"tok-{n}", bot_name=f"bot-{n}", expires=EXPIRES + n), range(40))
        )
    final = get(users)
    assert final in written
    assert final.bot_name == "bot-" + final.token.removeprefix("tok-")
    assert stored_rows(sessions) == 1
