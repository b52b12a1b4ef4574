"""Talk to your bot: `POST /api/chat` forwards to Rasa's `rasa` channel and the bot's answer comes back through the
event broker to a websocket subscriber; when it does not, the chat is told why.

The gateway listens on a real port (the Rasa double fetches `{gateway}/api/version` to verify the chat token it gets),
next to an in-process storage server on SQLite; the double's `storage_sink` stands in for Rasa's event broker and
event_service. The last test runs the whole embedded stack, where the events go through Rasa's SQL broker table.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
import jwt
import pytest
import uvicorn
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from sqlalchemy.orm import Session, sessionmaker
from websockets.sync.client import ClientConnection, connect

from conversely.settings import Settings
from gateway.app import create_app
from tests.embedded import Embedded
from tests.gateway_app import admin, gateway_client
from tests.rasa_double import RasaBehaviour, RasaDouble, sql_broker_sink, storage_sink
from tests.stack import TEST_ADMIN, api_client, free_port
from tests.storage_server import storage_server_address

REPLY_TIMEOUT_S = 2.0
PUSH_TIMEOUT_S = 10.0
Message = dict[str, Any]


@contextmanager
def live_gateway(storage_address: str, data_dir: Path, port: int, extra: dict[str, str]) -> Iterator[str]:
    """The gateway app served by uvicorn on `port` (lifespan and all) in a thread; yields its URL."""
    settings = Settings.from_env(
        {
            "CONVERSELY_DATA_DIR": str(data_dir),
            "CONVERSELY_GATEWAY_PORT": str(port),
            "CONVERSELY_STORAGE_ADDRESS": storage_address,
            "CONVERSELY_ADMIN_USERNAME": TEST_ADMIN[0],
            "CONVERSELY_ADMIN_PASSWORD": TEST_ADMIN[1],
            **extra,
        }
    )
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"gateway-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)


@contextmanager
def health_server() -> Iterator[tuple[str, health.HealthServicer]]:
    """A gRPC health service standing in for event_service's (SERVING until the test says otherwise)."""
    servicer = health.HealthServicer()
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", servicer
    finally:
        server.stop(grace=None)


@dataclass
class ChatStack:
    url: str
    rasa: RasaDouble
    events_health: health.HealthServicer
    admin: httpx.Client

    def user(self, role: str, username: str | None = None) -> httpx.Client:
        """A client logged in as a new user having only `role`."""
        name = username or f"{role}-user"
        created = self.admin.post("/api/users", json={"username": name, "password": f"{name}-pw!", "roles": [role]})
        assert created.status_code == 201, created.text
        return api_client(self.url, (name, f"{name}-pw!"))


@contextmanager
def chat_stack(sessions: sessionmaker[Session], data_dir: Path) -> Iterator[ChatStack]:
    """A live gateway on `sessions` whose production Rasa is a double that stores its events straight in storage;
    the reply timeout is REPLY_TIMEOUT_S, and the event service's health is the test's to set."""
    port = free_port()
    with (
        storage_server_address(sessions) as storage,
        health_server() as (events_address, events_health),
        RasaDouble(gateway_url=f"http://127.0.0.1:{port}", sink=storage_sink(storage)) as rasa,
        live_gateway(
            storage,
            data_dir,
            port,
            {
                "CONVERSELY_RASA_ENVIRONMENTS": f"production={rasa.url}",
                "CONVERSELY_EVENTS_ADDRESS": events_address,
                "CONVERSELY_CHAT_REPLY_TIMEOUT_S": str(REPLY_TIMEOUT_S),
            },
        ) as url,
        api_client(url) as admin,
    ):
        yield ChatStack(url, rasa, events_health, admin)


@pytest.fixture
def chat(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[ChatStack]:
    with chat_stack(sqlite_sessions, tmp_path) as stack:
        yield stack


def access_token(client: httpx.Client) -> str:
    return str(client.headers["Authorization"]).removeprefix("Bearer ")


@contextmanager
def following(gateway_url: str, token: str, sender_id: str) -> Iterator[ClientConnection]:
    """A websocket of /api/ws, authenticated with `token` and subscribed to the conversation's topic."""
    with connect(gateway_url.replace("http://", "ws://") + "/api/ws", open_timeout=10) as socket:
        socket.send(json.dumps({"token": token}))
        assert json.loads(socket.recv(timeout=PUSH_TIMEOUT_S))["type"] == "authenticated"
        socket.send(json.dumps({"subscribe": f"conversation:{sender_id}"}))
        answer = json.loads(socket.recv(timeout=PUSH_TIMEOUT_S))
        assert answer == {"type": "subscribed", "topic": f"conversation:{sender_id}"}, answer
        yield socket


def pushed_until(socket: ClientConnection, last: Callable[[Message], bool]) -> list[Message]:
    """What the socket receives up to and including the first message for which `last` holds."""
    received: list[Message] = []
    deadline = time.monotonic() + PUSH_TIMEOUT_S
    while not received or not last(received[-1]):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"nothing matching arrived within {PUSH_TIMEOUT_S} s; got {received}")
        received.append(json.loads(socket.recv(timeout=left)))
    return received


def is_bot_event(message: Message) -> bool:
    return message.get("type") == "event" and message["event"]["event"] == "bot"


def test_the_bots_answer_reaches_a_websocket_subscriber_through_the_broker(chat: ChatStack) -> None:
    with following(chat.url, access_token(chat.admin), "admin") as socket:
        answer = chat.admin.post("/api/chat", json={"message": "hello there"})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {
            "conversation_id": "admin",
            "messages": [{"recipient_id": "admin", "text": "Hey! How are you?"}],
        }
        pushed = pushed_until(socket, is_bot_event)

    assert all(message["topic"] == "conversation:admin" for message in pushed)
    kinds = [message["event"]["event"] for message in pushed]
    assert kinds[:2] == ["action", "session_started"]
    user_event = next(message["event"] for message in pushed if message["event"]["event"] == "user")
    assert user_event["text"] == "hello there"
    assert user_event["parse_data"]["intent"]["name"] == "greet"
    assert pushed[-1]["event"]["text"] == "Hey! How are you?"
    # The conversation is the caller's: created by them, so they (and the admin) can read it.
    conversation = next(c for c in chat.admin.get("/api/conversations").json() if c["sender_id"] == "admin")
    assert conversation["created_by"] == "admin"
    assert conversation["interactive"] is False


def test_wait_answers_with_the_events_that_arrived(chat: ChatStack) -> None:
    answer = chat.admin.post("/api/chat?wait=true", json={"message": "bye"})

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "no_reply" not in body
    kinds = [event["event"] for event in body["events"]]
    assert kinds == ["action", "session_started", "action", "user", "user_featurization", "action", "bot", "action"]
    assert body["events"][-2]["text"] == "Bye"
    assert body["events"][-1]["name"] == "action_listen"


def test_without_an_event_broker_the_chat_is_told_its_events_do_not_reach_conversely(chat: ChatStack) -> None:
    chat.rasa.behaviour = RasaBehaviour(chat_publishes_events=False)
    with following(chat.url, access_token(chat.admin), "admin") as socket:
        started = time.monotonic()
        answer = chat.admin.post("/api/chat", json={"message": "hello"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["messages"], "Rasa still answers over HTTP"
        pushed = pushed_until(socket, lambda message: message["type"] == "no_reply")
    assert time.monotonic() - started >= REPLY_TIMEOUT_S
    assert pushed == [pushed[-1]], "no event arrived before it"
    no_reply = pushed[-1]
    assert no_reply["reason"] == "EventsNotReachingConversely"
    assert "event_broker" in no_reply["message"] and "Pointing Rasa at Conversely" in no_reply["message"]
    assert "/api/config" in no_reply["message"]

    # With the event service down, that is what the message names instead.
    chat.events_health.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
    waited = chat.admin.post("/api/chat?wait=true", json={"message": "hello again"})
    assert waited.status_code == 200, waited.text
    assert waited.json()["events"] == []
    assert waited.json()["no_reply"]["reason"] == "EventsNotReachingConversely"
    assert "event service is not serving" in waited.json()["no_reply"]["message"]


def test_a_bot_that_says_nothing_is_reported_as_not_answering(chat: ChatStack) -> None:
    # An intent the bot has no reply to, on a Rasa whose events reach nobody: nothing comes back at all.
    chat.rasa.behaviour = RasaBehaviour(chat_publishes_events=False)

    answer = chat.admin.post("/api/chat?wait=true", json={"message": "/no_reply_intent"})

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["messages"] == [] and body["events"] == []
    assert body["no_reply"]["reason"] == "BotDidNotAnswer"
    assert f"did not answer within {REPLY_TIMEOUT_S:g} s" in body["no_reply"]["message"]


def test_the_bot_gets_a_short_lived_token_that_the_key_of_api_version_verifies(chat: ChatStack) -> None:
    answer = chat.admin.post("/api/chat", json={"message": "hi"})
    assert answer.status_code == 200, answer.text

    request = chat.rasa.chat_requests[-1]
    token = request.headers["authorization"].removeprefix("Bearer ")
    key = httpx.get(chat.url + "/api/version").json()["keys"][0]
    claims = jwt.decode(token, key["key"], algorithms=[key["alg"]])
    assert claims["username"] == "admin"
    assert claims["user"] == {"username": "admin", "roles": ["admin"]}
    assert "clientEvents:create" in claims["scopes"]
    assert claims["exp"] - claims["iat"] <= 300
    assert json.loads(request.body) == {"message": "hi", "conversation_id": "admin"}
    # That token is for Rasa only: the gateway does not take it.
    assert chat.admin.get("/api/user", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_tester_cannot_talk_in_another_users_conversation_but_an_admin_can(chat: ChatStack) -> None:
    assert chat.admin.post("/api/chat", json={"message": "hi"}).status_code == 200
    tester = chat.user("tester")
    assert tester.post("/api/chat", json={"message": "hi"}).status_code == 200

    for refused in (
        tester.post("/api/chat", json={"message": "hi", "conversation_id": "admin"}),
        tester.post("/api/conversations/admin/messages", json={"message": "hi"}),
    ):
        assert refused.status_code == 403, refused.text
    for allowed in (
        chat.admin.post("/api/chat", json={"message": "hello", "conversation_id": "tester-user"}),
        chat.admin.post("/api/conversations/tester-user/messages", json={"message": "bye"}),
    ):
        assert allowed.status_code == 200, allowed.text
        assert allowed.json()["conversation_id"] == "tester-user"
    senders = [json.loads(r.body).get("conversation_id") for r in chat.rasa.chat_requests]
    assert senders == ["admin", "tester-user", "tester-user", "tester-user"]
    # A new conversation of the tester's own choosing is theirs.
    new = tester.post("/api/chat", json={"message": "hi", "conversation_id": "tester-demo"})
    assert new.status_code == 200, new.text
    assert tester.get("/api/conversations/tester-demo/messages").status_code == 403  # testers read no conversations
    listed = {c["sender_id"]: c for c in chat.admin.get("/api/conversations").json()}
    assert listed["tester-demo"]["created_by"] == "tester-user"


def test_a_user_without_client_events_may_talk_only_in_their_own_conversation(chat: ChatStack) -> None:
    # A user whose role grants only `basic` (like share-your-bot guests).
    basic = chat.user("guest", "basic-user")

    own = basic.post("/api/chat", json={"message": "hi"})
    other = basic.post("/api/chat", json={"message": "hi", "conversation_id": "someone-new"})

    assert own.status_code == 200 and own.json()["conversation_id"] == "basic-user"
    assert other.status_code == 403
    assert "test_conversation.modify.clientEvents.create" in other.json()["message"]
    token = chat.rasa.chat_requests[-1].headers["authorization"].removeprefix("Bearer ")
    assert "clientEvents:create" not in jwt.decode(token, options={"verify_signature": False})["scopes"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": "  "}, "message"),
        ({"message": 3}, "message"),
        ({"message": "hi", "conversation_id": 7}, "conversation_id"),
        ({"message": "hi", "conversation_id": "x" * 256}, "conversation_id"),
        ({"message": "hi", "conversation_id": "tab\there"}, "conversation_id"),
    ],
)
def test_a_bad_chat_body_is_a_400_naming_the_field(chat: ChatStack, body: Message, field: str) -> None:
    answer = chat.admin.post("/api/chat", json=body)

    assert answer.status_code == 400, answer.text
    assert field in answer.json()["message"]
    assert chat.rasa.chat_requests == []


def test_chat_without_a_reachable_rasa_says_what_to_configure(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    silent = f"http://127.0.0.1:{free_port()}"
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_RASA_ENVIRONMENTS": f"worker={silent}"}) as client:
        headers = admin(client)
        no_server = client.post("/api/chat", json={"message": "hi"}, headers=headers)
        unreachable = client.post("/api/chat?environment=worker", json={"message": "hi"}, headers=headers)

    assert no_server.status_code == 409
    assert no_server.json()["reason"] == "NoRasaServer"
    assert "CONVERSELY_RASA_ENVIRONMENTS" in no_server.json()["message"]
    assert unreachable.status_code == 502
    assert unreachable.json()["reason"] == "RasaUnreachable"


def test_a_rasa_that_cannot_verify_the_token_is_a_502_naming_credentials_yml(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    # Rasa's `rasa` channel points at something that is not this gateway: it fetches no key.
    with (
        RasaDouble(gateway_url=f"http://127.0.0.1:{free_port()}") as rasa,
        gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_RASA_ENVIRONMENTS": f"production={rasa.url}"}) as client,
    ):
        answer = client.post("/api/chat", json={"message": "hi"}, headers=admin(client))

    assert answer.status_code == 502, answer.text
    assert answer.json()["reason"] == "RasaRefused"
    assert "credentials.yml" in answer.json()["message"]


def test_in_the_embedded_stack_the_answer_comes_through_rasas_sql_broker_table(embedded: Embedded) -> None:
    with RasaDouble(gateway_url=embedded.url, sink=sql_broker_sink(embedded.database)) as rasa:
        embedded.env["CONVERSELY_RASA_ENVIRONMENTS"] = f"production={rasa.url}"
        embedded.env["CONVERSELY_CHAT_REPLY_TIMEOUT_S"] = "10"
        embedded.up()
        with following(embedded.url, access_token(embedded.api()), "admin") as socket:
            answer = embedded.api().post("/api/chat", json={"message": "hello"})
            assert answer.status_code == 200, answer.text
            pushed = pushed_until(socket, is_bot_event)
        assert pushed[-1]["event"]["text"] == "Hey! How are you?"

        rasa.behaviour = RasaBehaviour(chat_publishes_events=False)
        waited = embedded.api().post("/api/chat?wait=true", json={"message": "hello"}, timeout=30)
        assert waited.status_code == 200, waited.text
        no_reply = waited.json()["no_reply"]
        assert no_reply["reason"] == "EventsNotReachingConversely"
        assert "event_broker" in no_reply["message"], "the embedded event service is up: the broker is the cause"
