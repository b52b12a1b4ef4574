"""Share your bot: the chat token, the guest tokens it is exchanged for, and what a guest may do with one."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from tests.gateway_app import Headers
from tests.integration.test_chat_api import ChatStack, chat_stack, following, is_bot_event, pushed_until

THIRTY_DAYS_S = 30 * 24 * 3600


@pytest.fixture
def chat(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[ChatStack]:
    with chat_stack(sqlite_sessions, tmp_path) as stack:
        yield stack


def guest_token(client: TestClient | httpx.Client, chat_token: str) -> tuple[str, str]:
    answer = client.post("/api/auth/jwt", json={"chat_token": chat_token})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"], answer.json()["conversation_id"]


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def claims_of(client: TestClient | httpx.Client, token: str) -> dict[str, Any]:
    key = client.get("/api/version").json()["keys"][0]
    return jwt.decode(token, key["key"], algorithms=[key["alg"]])  # type: ignore[no-any-return]


def test_the_first_get_makes_a_chat_token_and_a_put_replaces_it(api: TestClient, as_admin: Headers) -> None:
    first = api.get("/api/chatToken", headers=as_admin)
    assert first.status_code == 200, first.text
    made = first.json()
    assert set(made) == {"chat_token", "bot_name", "description", "expires"}
    assert len(made["chat_token"]) == 64
    assert made["bot_name"] == "Conversely bot" and made["description"] == ""
    assert abs(made["expires"] - (time.time() + THIRTY_DAYS_S)) < 60
    assert api.get("/api/chatToken", headers=as_admin).json() == made
    # Rasa X let Rasa servers read it with the shared Rasa token.
    rasa_token = api.app.state.auth.rasa_token  # type: ignore[attr-defined]
    assert api.get(f"/api/chatToken?token={rasa_token}").json() == made

    expires = time.time() + 3600
    replaced = api.put(
        "/api/chatToken",
        json={"bot_name": "Helpdesk", "description": "Ask me about orders.", "expires": expires},
        headers=as_admin,
    )
    assert replaced.status_code == 200, replaced.text
    new = replaced.json()
    assert new["chat_token"] != made["chat_token"]
    assert (new["bot_name"], new["description"], new["expires"]) == ("Helpdesk", "Ask me about orders.", int(expires))
    assert api.get("/api/chatToken", headers=as_admin).json() == new
    defaults = api.put("/api/chatToken", json={"bot_name": "Helpdesk"}, headers=as_admin).json()
    assert defaults["description"] == "" and abs(defaults["expires"] - (time.time() + THIRTY_DAYS_S)) < 60


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "bot_name"),
        ({"bot_name": ""}, "bot_name"),
        ({"bot_name": "b" * 256}, "bot_name"),
        ({"bot_name": "Bot", "description": 5}, "description"),
        ({"bot_name": "Bot", "description": "d" * 10_001}, "description"),
        ({"bot_name": "Bot", "expires": time.time() - 1}, "expires"),
        ({"bot_name": "Bot", "expires": "tomorrow"}, "expires"),
        ({"bot_name": "Bot", "expires": True}, "expires"),
    ],
)
def test_a_bad_chat_token_change_is_a_400_naming_the_field(
    api: TestClient, as_admin: Headers, body: dict[str, Any], field: str
) -> None:
    before = api.get("/api/chatToken", headers=as_admin).json()

    answer = api.put("/api/chatToken", json=body, headers=as_admin)

    assert answer.status_code == 400, answer.text
    assert field in answer.json()["message"]
    assert api.get("/api/chatToken", headers=as_admin).json() == before


def test_a_chat_token_gets_a_guest_a_token_for_a_conversation_of_their_own(api: TestClient, as_admin: Headers) -> None:
    expires = time.time() + 3600
    chat_token = api.put("/api/chatToken", json={"bot_name": "Bot", "expires": expires}, headers=as_admin).json()

    token, conversation_id = guest_token(api, chat_token["chat_token"])
    _, other_conversation = guest_token(api, chat_token["chat_token"])

    assert len(conversation_id) == 32 and int(conversation_id, 16) >= 0
    assert other_conversation != conversation_id
    claims = claims_of(api, token)
    assert claims["username"] == conversation_id
    assert claims["user"] == {"username": conversation_id, "roles": ["guest"]}
    assert "clientEvents:create" not in claims["scopes"]
    assert "basic.modify.messages.create" in claims["scopes"]
    assert claims["exp"] <= math.ceil(expires), "never beyond the chat token"
    long_lived = api.put("/api/chatToken", json={"bot_name": "Bot"}, headers=as_admin).json()
    lasting = claims_of(api, guest_token(api, long_lived["chat_token"])[0])
    assert lasting["exp"] - lasting["iat"] == 24 * 3600, "at most a day"


def test_a_guest_may_do_what_the_guest_role_grants_and_no_more(api: TestClient, as_admin: Headers) -> None:
    token, conversation_id = guest_token(api, api.get("/api/chatToken", headers=as_admin).json()["chat_token"])

    assert api.get("/api/statistics", headers=bearer(token)).status_code == 200  # basic
    me = api.get("/api/user", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["username"] == conversation_id and me.json()["roles"] == ["guest"]
    assert "basic.modify.messages.create" in me.json()["permissions"]
    refused = api.get("/api/conversations", headers=bearer(token))
    assert refused.status_code == 403
    assert "conversations.view.metadata.get" in refused.json()["message"]
    assert api.get("/api/chatToken", headers=bearer(token)).status_code == 403


def test_replacing_the_chat_token_shuts_its_guests_out(api: TestClient, as_admin: Headers) -> None:
    old = api.get("/api/chatToken", headers=as_admin).json()["chat_token"]
    token, _ = guest_token(api, old)
    assert api.get("/api/statistics", headers=bearer(token)).status_code == 200

    new = api.put("/api/chatToken", json={"bot_name": "Bot"}, headers=as_admin).json()["chat_token"]

    shut_out = api.get("/api/statistics", headers=bearer(token))
    assert shut_out.status_code == 401
    assert shut_out.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "chat token was replaced" in shut_out.json()["message"]
    refused = api.post("/api/auth/jwt", json={"chat_token": old})
    assert refused.status_code == 401
    assert refused.json()["reason"] == "InvalidChatToken"
    fresh, _ = guest_token(api, new)
    assert api.get("/api/statistics", headers=bearer(fresh)).status_code == 200


def test_an_expired_chat_token_gets_no_guest_token_and_its_guests_are_shut_out(
    api: TestClient, as_admin: Headers
) -> None:
    expires = time.time() + 2
    chat_token = api.put("/api/chatToken", json={"bot_name": "Bot", "expires": expires}, headers=as_admin).json()
    token, _ = guest_token(api, chat_token["chat_token"])
    assert api.get("/api/statistics", headers=bearer(token)).status_code == 200

    time.sleep(max(0.0, expires - time.time()) + 0.2)

    assert api.get("/api/statistics", headers=bearer(token)).status_code == 401
    assert api.post("/api/auth/jwt", json={"chat_token": chat_token["chat_token"]}).status_code == 401


def test_a_made_up_chat_token_is_a_401_and_guessing_is_slowed_down(api: TestClient, as_admin: Headers) -> None:
    real = api.get("/api/chatToken", headers=as_admin).json()["chat_token"]
    answers = [api.post("/api/auth/jwt", json={"chat_token": f"guess-{n}"}) for n in range(10)]
    assert {answer.status_code for answer in answers} == {401}

    limited = api.post("/api/auth/jwt", json={"chat_token": real})

    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert api.post("/api/auth/jwt", json={}).status_code == 400


def test_a_guest_talks_in_their_own_conversation_and_nowhere_else(chat: ChatStack) -> None:
    chat_token = chat.admin.get("/api/chatToken").json()["chat_token"]
    token, conversation_id = guest_token(httpx.Client(base_url=chat.url), chat_token)
    assert chat.admin.post("/api/chat", json={"message": "hi"}).status_code == 200
    guest = httpx.Client(base_url=chat.url, headers=bearer(token), timeout=10)

    with following(chat.url, token, conversation_id) as socket:
        answer = guest.post("/api/chat", json={"message": "hello"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["conversation_id"] == conversation_id
        assert answer.json()["messages"] == [{"recipient_id": conversation_id, "text": "Hey! How are you?"}]
        assert pushed_until(socket, is_bot_event)[-1]["event"]["text"] == "Hey! How are you?"
        socket.send(json.dumps({"subscribe": "conversation:admin"}))
        refused = pushed_until(socket, lambda message: message["type"] == "error")[-1]
        assert refused["topic"] == "conversation:admin"

    sent = chat.rasa.chat_requests[-1]
    claims = jwt.decode(sent.headers["authorization"].removeprefix("Bearer "), options={"verify_signature": False})
    assert claims["username"] == conversation_id and claims["user"]["roles"] == ["guest"]
    assert "clientEvents:create" not in claims["scopes"]
    explicit = guest.post("/api/chat", json={"message": "bye", "conversation_id": conversation_id})
    assert explicit.status_code == 200, explicit.text
    for elsewhere in (
        guest.post("/api/chat", json={"message": "hi", "conversation_id": "admin"}),
        guest.post("/api/chat", json={"message": "hi", "conversation_id": "a-new-one"}),
        guest.post("/api/conversations/admin/messages", json={"message": "hi"}),
    ):
        assert elsewhere.status_code == 403, elsewhere.text
    listed = {c["sender_id"]: c for c in chat.admin.get("/api/conversations").json()}
    assert listed[conversation_id]["created_by"] == conversation_id
    assert "a-new-one" not in listed
