"""StorageService.CreateConversation and ListConversationEvents' after_id over real gRPC on real SQLite and
PostgreSQL: conversations users start (chat, interactive learning) before their events arrive, and reading only
the events a client has not seen yet."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import pytest

from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from tests.storage import event, user
from tests.storage_server import rejected

Stub = storage_pb2_grpc.StorageServiceStub


@pytest.fixture
def storage(storage_channel: grpc.Channel) -> Stub:
    return Stub(storage_channel)


def create(
    storage: Stub, sender_id: str, created_by: str = "alice", interactive: bool = False
) -> storage_pb2.CreateConversationResponse:
    request = storage_pb2.CreateConversationRequest(sender_id=sender_id, created_by=created_by, interactive=interactive)
    return storage.CreateConversation(request)


def append(storage: Stub, bodies: list[dict[str, Any]]) -> None:
    events = [
        storage_pb2.Event(sender_id=body["sender_id"], json=json.dumps(body), rasa_environment="production")
        for body in bodies
    ]
    assert storage.AppendEvents(storage_pb2.AppendEventsRequest(events=events)).stored == len(bodies)


def get(storage: Stub, sender_id: str) -> storage_pb2.Conversation:
    return storage.GetConversation(storage_pb2.GetConversationRequest(sender_id=sender_id)).conversation


def listed(storage: Stub, **wanted: Any) -> list[str]:
    request = storage_pb2.ListConversationsRequest(limit=100, filter=storage_pb2.ConversationFilter(**wanted))
    return [conversation.sender_id for conversation in storage.ListConversations(request).conversations]


def events(storage: Stub, sender_id: str, **paging: int) -> storage_pb2.ListConversationEventsResponse:
    return storage.ListConversationEvents(storage_pb2.ListConversationEventsRequest(sender_id=sender_id, **paging))


def test_created_conversation_has_its_creator_and_no_events_yet(storage: Stub) -> None:
    before = time.time()
    response = create(storage, "chat-1", created_by="alice", interactive=True)
    assert response.created
    made = response.conversation
    assert (made.sender_id, made.created_by, made.interactive) == ("chat-1", "alice", True)
    assert (made.number_events, made.number_user_messages, made.number_bot_messages) == (0, 0, 0)
    assert made.review_status == storage_pb2.REVIEW_STATUS_UNREAD
    assert before <= made.latest_event_time <= time.time()
    assert get(storage, "chat-1") == made
    assert list(events(storage, "chat-1").events) == []


def test_created_conversation_is_listed_at_once_even_after_a_cached_list(storage: Stub) -> None:
    assert listed(storage) == []
    create(storage, "chat-1", created_by="alice")
    assert listed(storage) == ["chat-1"]
    assert listed(storage, created_by="alice") == ["chat-1"]
    assert listed(storage, exclude_created_by="alice") == []


def test_creating_it_again_returns_it_unchanged(storage: Stub) -> None:
    first = create(storage, "chat-1", created_by="alice").conversation
    again = create(storage, "chat-1", created_by="alice", interactive=True)
    assert not again.created
    assert again.conversation == first
    assert not get(storage, "chat-1").interactive


def test_conversation_another_user_created_already_exists(storage: Stub) -> None:
    create(storage, "chat-1", created_by="alice", interactive=True)
    request = storage_pb2.CreateConversationRequest(sender_id="chat-1", created_by="bob")
    assert "chat-1" in rejected(storage.CreateConversation, request, grpc.StatusCode.ALREADY_EXISTS)
    assert get(storage, "chat-1").created_by == "alice"


@pytest.mark.parametrize("interactive", [False, True])
def test_conversation_from_events_is_given_its_creator(storage: Stub, interactive: bool) -> None:
    append(storage, [user("chat-1", 10.0, intent="greet"), event("chat-1", "bot", 11.0, text="hey")])
    response = create(storage, "chat-1", created_by="alice", interactive=interactive)
    assert not response.created
    found = response.conversation
    assert (found.created_by, found.interactive) == ("alice", interactive)
    assert (found.number_events, found.number_user_messages, found.latest_event_time) == (2, 1, 11.0)
    assert list(found.intents) == ["greet"]
    assert get(storage, "chat-1") == found
    assert listed(storage, created_by="alice") == ["chat-1"]


def test_events_arriving_later_keep_the_creator(storage: Stub) -> None:
    create(storage, "chat-1", created_by="alice", interactive=True)
    now = time.time()
    append(storage, [user("chat-1", now + 1, intent="greet"), event("chat-1", "bot", now + 2, text="hey")])
    found = get(storage, "chat-1")
    assert (found.created_by, found.interactive) == ("alice", True)
    assert (found.number_events, found.number_user_messages, found.number_bot_messages) == (2, 1, 1)
    assert found.latest_event_time == now + 2
    assert listed(storage, exclude_interactive=True) == []


@pytest.mark.parametrize(("fields", "named"), [({"sender_id": ""}, "sender_id"), ({"created_by": ""}, "created_by")])
def test_creation_needs_a_sender_and_a_creator(storage: Stub, fields: dict[str, Any], named: str) -> None:
    request = storage_pb2.CreateConversationRequest(**{"sender_id": "chat-1", "created_by": "alice", **fields})
    assert named in rejected(storage.CreateConversation, request)
    assert listed(storage) == []


def test_concurrent_creations_by_two_users_give_it_to_one(storage: Stub) -> None:
    for round_number in range(10):
        sender = f"chat-{round_number}"

        def attempt(creator: str, sender: str = sender) -> str:
            try:
                return "created" if create(storage, sender, created_by=creator).created else "existed"
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
                return "refused"

        with ThreadPoolExecutor(2) as pool:
            outcomes = dict(zip(["alice", "bob"], pool.map(attempt, ["alice", "bob"]), strict=True))
        assert sorted(outcomes.values()) == ["created", "refused"]
        winner = next(name for name, outcome in outcomes.items() if outcome == "created")
        assert get(storage, sender).created_by == winner


def test_concurrent_creations_by_one_user_create_it_once(storage: Stub) -> None:
    with ThreadPoolExecutor(4) as pool:
        created = list(pool.map(lambda _: create(storage, "chat-1").created, range(8)))
    assert sorted(created) == [False] * 7 + [True]


def test_after_id_gives_the_events_stored_since_in_stored_order(storage: Stub) -> None:
    append(storage, [user("s", 5.0, text="first"), event("s", "bot", 6.0, text="second")])
    append(storage, [event("other", "bot", 1.0, text="elsewhere")])
    append(storage, [event("s", "bot", 3.0, text="late"), event("s", "bot", 7.0, text="last")])
    by_time = list(events(storage, "s").events)
    assert [json.loads(e.json)["text"] for e in by_time] == ["late", "first", "second", "last"]
    by_id = sorted(by_time, key=lambda e: e.id)
    assert [json.loads(e.json)["text"] for e in by_id] == ["first", "second", "late", "last"]
    seen = by_id[1].id
    since = events(storage, "s", after_id=seen)
    assert [e.id for e in since.events] == [e.id for e in by_id[2:]]
    assert [json.loads(e.json)["text"] for e in since.events] == ["late", "last"]
    assert since.next_offset == 0
    assert list(events(storage, "s", after_id=by_id[-1].id).events) == []


def test_after_id_pages_by_page_size_and_ignores_offset(storage: Stub) -> None:
    append(storage, [event("s", "bot", float(10 - n), text=str(n)) for n in range(5)])
    ids = sorted(e.id for e in events(storage, "s").events)
    page = events(storage, "s", after_id=ids[0], page_size=2, offset=3)
    assert [e.id for e in page.events] == ids[1:3]
    assert page.next_offset == 0
    assert [e.id for e in events(storage, "s", after_id=ids[2], page_size=2).events] == ids[3:5]


def test_after_id_of_an_unknown_conversation_is_not_found_and_negative_is_invalid(storage: Stub) -> None:
    rejected(
        storage.ListConversationEvents,
        storage_pb2.ListConversationEventsRequest(sender_id="nobody", after_id=1),
        grpc.StatusCode.NOT_FOUND,
    )
    append(storage, [user("s", 1.0)])
    request = storage_pb2.ListConversationEventsRequest(sender_id="s", after_id=-1)
    assert "after_id" in rejected(storage.ListConversationEvents, request)
