"""The push websocket `/api/ws`: authenticated by its first message like HTTP, subscriptions checked like HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient, WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from gateway.push import MODELS_TOPIC, PushHub
from gateway.routes import push
from tests.gateway_app import Headers, admin, gateway_client, user_with_role
from tests.storage import append, user


@pytest.fixture
def api(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    append(sqlite_sessions, [user("ana", 100.0)])
    with gateway_client(sqlite_sessions, tmp_path) as client:
        yield client


def token_of(headers: Headers) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def publish(api: TestClient, topic: str, message: dict[str, Any]) -> None:
    """Publish on the app's hub from its own event loop, as the gateway's publishers do."""
    hub: PushHub = api.app.state.push  # type: ignore[attr-defined]
    assert api.portal is not None
    api.portal.call(hub.publish, topic, message)


def closed_with(socket: WebSocketTestSession) -> tuple[list[dict[str, Any]], int]:
    """The messages received until the server closed the socket, and its close code."""
    received = []
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            received.append(socket.receive_json())
    return received, closed.value.code


@contextmanager
def authenticated(api: TestClient, headers: Headers) -> Iterator[WebSocketTestSession]:
    with api.websocket_connect("/api/ws") as socket:
        socket.send_json({"token": token_of(headers)})
        assert socket.receive_json()["type"] == "authenticated"
        yield socket


def subscribe(socket: WebSocketTestSession, topic: str) -> dict[str, Any]:
    socket.send_json({"subscribe": topic})
    return socket.receive_json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "first", [{"token": "not-a-token"}, {"token": ""}, {"subscribe": MODELS_TOPIC}, "token", ["token"]]
)
def test_a_first_message_without_a_valid_token_closes_the_socket_with_4401(api: TestClient, first: Any) -> None:
    with api.websocket_connect("/api/ws") as socket:
        socket.send_json(first)
        received, code = closed_with(socket)

    assert code == 4401
    assert [message["type"] for message in received] == ["error"]


def test_a_deleted_users_token_closes_the_socket_with_4401(api: TestClient) -> None:
    headers = user_with_role(api, "annotator", "leaver")
    assert api.delete("/api/users/leaver", headers=admin(api)).status_code == 204

    with api.websocket_connect("/api/ws") as socket:
        socket.send_json({"token": token_of(headers)})
        received, code = closed_with(socket)

    assert code == 4401
    assert received == [{"type": "error", "message": "the access token's user no longer exists"}]


def test_a_socket_that_sends_no_token_is_closed_with_4408(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "AUTHENTICATION_TIMEOUT_S", 0.3)

    with api.websocket_connect("/api/ws") as socket:
        received, code = closed_with(socket)

    assert code == 4408
    assert [message["type"] for message in received] == ["error"]


def test_the_models_topic_needs_the_permission_to_list_jobs(api: TestClient) -> None:
    with authenticated(api, user_with_role(api, "guest")) as socket:
        refused = subscribe(socket, MODELS_TOPIC)
        assert refused["type"] == "error"
        assert "models.view.models.jobs.list" in refused["message"]
        assert subscribe(socket, "conversation:guest-user") == {
            "type": "subscribed",
            "topic": "conversation:guest-user",
        }
        publish(api, MODELS_TOPIC, {"type": "job", "state": "running"})
        publish(api, "conversation:guest-user", {"type": "event", "event": {"event": "bot"}})
        assert socket.receive_json()["topic"] == "conversation:guest-user", "no models message came first"


def test_a_subscriber_gets_what_is_published_on_its_topics_until_it_unsubscribes(api: TestClient) -> None:
    with authenticated(api, admin(api)) as socket:
        assert subscribe(socket, MODELS_TOPIC) == {"type": "subscribed", "topic": MODELS_TOPIC}
        assert subscribe(socket, "conversation:ana") == {"type": "subscribed", "topic": "conversation:ana"}
        publish(api, MODELS_TOPIC, {"type": "job", "state": "running"})
        assert socket.receive_json() == {"topic": MODELS_TOPIC, "type": "job", "state": "running"}

        socket.send_json({"unsubscribe": MODELS_TOPIC})
        assert socket.receive_json() == {"type": "unsubscribed", "topic": MODELS_TOPIC}
        publish(api, MODELS_TOPIC, {"type": "job", "state": "succeeded"})
        bot_event = {"type": "event", "event": {"event": "bot", "text": "Hi"}}
        publish(api, "conversation:ana", bot_event)
        assert socket.receive_json() == {"topic": "conversation:ana", **bot_event}


def test_a_followed_conversation_gets_its_new_events_however_they_reach_storage(
    api: TestClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    with authenticated(api, admin(api)) as socket:
        assert subscribe(socket, "conversation:ana")["type"] == "subscribed"
        append(sqlite_sessions, [user("ana", 200.0, text="through the event broker")])
        pushed = socket.receive_json()
        assert pushed["topic"] == "conversation:ana" and pushed["type"] == "event"
        assert pushed["event"]["text"] == "through the event broker"
        append(sqlite_sessions, [user("ana", 201.0, text="and the next one")])
        assert socket.receive_json()["event"]["text"] == "and the next one", "each event once, in order"


def test_a_stored_event_found_by_two_pollers_is_pushed_once() -> None:
    async def run() -> list[dict[str, Any]]:
        hub = PushHub()
        async with hub.subscribe("conversation:ana") as subscription:
            for event_id in (7, 8, 7, 8, 9):
                hub.publish_event("conversation:ana", event_id, {"event": "user", "id": event_id})
            return [subscription.queue.get_nowait() for _ in range(subscription.queue.qsize())]

    assert [message["event"]["id"] for message in asyncio.run(run())] == [7, 8, 9]


def test_a_conversation_is_followed_only_by_those_who_may_open_it(api: TestClient) -> None:
    tester = user_with_role(api, "tester")
    with authenticated(api, tester) as socket:
        refused = subscribe(socket, "conversation:ana")
        assert refused["type"] == "error" and refused["topic"] == "conversation:ana"
        # Their own conversation, even before its first message.
        assert subscribe(socket, "conversation:tester-user")["type"] == "subscribed"
        for nonsense in ({"subscribe": "weather"}, {"subscribe": "conversation:"}, {"hello": 1}, [1, 2]):
            socket.send_json(nonsense)
            assert socket.receive_json()["type"] == "error"
        socket.send_text("not json")
        assert socket.receive_json()["type"] == "error"
        assert subscribe(socket, MODELS_TOPIC)["type"] == "subscribed", "the socket stays usable"
