"""StorageService's conversation queries through real gRPC on SQLite and PostgreSQL: every filter of the
conversation list, its orders, the review fields of a conversation, filter options, statistics, export, deletion."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from storage_service.cache import NoCache
from storage_service.models import (
    Conversation,
    ConversationAttribute,
    ConversationEvent,
    ConversationTag,
    ConversationTagAssignment,
    MessageCorrection,
    MessageLog,
)
from storage_service.queries import export
from storage_service.queries.conversation_filter import ConversationFilter
from tests.statements import recorded_statements
from tests.storage import append, event, user
from tests.storage_server import rejected, storage_server

Filter = storage_pb2.ConversationFilter


@pytest.fixture
def storage(sessions: sessionmaker[Session]) -> Iterator[storage_pb2_grpc.StorageServiceStub]:
    """StorageService without a query cache: the tests change the database directly between queries."""
    with storage_server(sessions, NoCache()) as channel:
        yield storage_pb2_grpc.StorageServiceStub(channel)


def confident_user(sender: str, timestamp: float, intent: str, confidence: float, **fields: Any) -> dict[str, Any]:
    body = user(sender, timestamp, intent=intent, **fields)
    body["parse_data"]["intent"]["confidence"] = confidence
    return body


def action(
    sender: str, timestamp: float, name: str, policy: str | None = None, confidence: float | None = None
) -> dict:
    return event(sender, "action", timestamp, name=name, policy=policy, confidence=confidence)


@pytest.fixture
def three(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """alice (latest 110, rest), bob (latest 210, socketio, worker), carol (latest 310, telegram)."""
    alice_user = confident_user("alice", 100.0, "greet", 0.8, text="Hello there")
    alice_user["parse_data"]["entities"] = [{"entity": "city", "value": "Berlin"}]
    append(
        sessions,
        [
            alice_user,
            action("alice", 101.0, "utter_greet", "RulePolicy", 0.9),
            event("alice", "slot", 102.0, name="city", value="Berlin"),
            event("alice", "bot", 110.0, text="hi"),
        ],
    )
    append(
        sessions,
        [
            confident_user("bob", 200.0, "book", 0.5, channel="socketio", text="a table for 100%"),
            action("bob", 201.0, "action_book", "TEDPolicy", 0.3),
            event("bob", "slot", 202.0, name="people", value=2),
            event("bob", "bot", 210.0, text="Hello from the bot"),
        ],
        environment="worker",
    )
    append(
        sessions,
        [
            confident_user("carol", 300.0, "greet", 0.95, text="hey"),
            confident_user("carol", 305.0, "affirm", 0.6, channel="telegram", text="yes_please"),
            event("carol", "slot", 306.0, name="city", value="Hamburg"),
            event("carol", "slot", 307.0, name="a_b", value="x"),
            action("carol", 310.0, "action_listen"),
        ],
    )
    return sessions


def listed(storage: storage_pb2_grpc.StorageServiceStub, **request: Any) -> list[str]:
    response = storage.ListConversations(storage_pb2.ListConversationsRequest(**request))
    senders = [c.sender_id for c in response.conversations]
    assert response.total_count == len(senders)
    return senders


def matching(storage: storage_pb2_grpc.StorageServiceStub, **fields: Any) -> list[str]:
    return listed(storage, filter=Filter(**fields))


def set_columns(sessions: sessionmaker[Session], sender: str, **values: Any) -> None:
    with sessions.begin() as session:
        session.execute(update(Conversation).where(Conversation.sender_id == sender).values(**values))


def tag(sessions: sessionmaker[Session], value: str, *senders: str) -> int:
    with sessions.begin() as session:
        created = ConversationTag(value=value, color="ff0000")
        session.add(created)
        session.flush()
        session.add_all(ConversationTagAssignment(sender_id=sender, tag_id=created.id) for sender in senders)
        return created.id


def test_without_a_filter_every_conversation_is_listed_newest_first(three: Any, storage: Any) -> None:
    assert listed(storage) == ["carol", "bob", "alice"]
    page = storage.ListConversations(storage_pb2.ListConversationsRequest(limit=1, offset=1))
    assert ([c.sender_id for c in page.conversations], page.total_count) == (["bob"], 3)


def test_time_bounds_apply_to_the_latest_event_time(three: Any, storage: Any) -> None:
    assert matching(storage, start=210.0) == ["carol", "bob"]
    assert matching(storage, until=210.0) == ["bob", "alice"]
    assert matching(storage, start=150.0, until=250.0) == ["bob"]
    assert matching(storage, start=111.0, until=199.0) == []


def test_attribute_filters_match_any_listed_value(three: Any, storage: Any) -> None:
    assert matching(storage, intents=["greet"]) == ["carol", "alice"]
    assert matching(storage, intents=["book", "affirm"]) == ["carol", "bob"]
    assert matching(storage, entities=["city"]) == ["alice"]
    assert matching(storage, actions=["action_book", "action_listen"]) == ["carol", "bob"]
    assert matching(storage, policies=["RulePolicy"]) == ["alice"]
    assert matching(storage, intents=["nothing"]) == []


def test_conditions_on_different_fields_must_all_hold(three: sessionmaker[Session], storage: Any) -> None:
    red = tag(three, "red", "alice", "bob")
    assert matching(storage, intents=["greet"], actions=["action_listen"]) == ["carol"]
    assert matching(storage, intents=["greet"], policies=["TEDPolicy"]) == []
    assert matching(storage, intents=["greet", "affirm"]) == ["carol", "alice"]  # carol counted once
    assert matching(storage, intents=["greet", "affirm"], rasa_environment="production", text="y") == ["carol"]
    assert matching(storage, entities=["city"], tag_ids=[red]) == ["alice"]
    assert matching(storage, rasa_environment="production", slots=[storage_pb2.SlotFilter(name="city")]) == [
        "carol",
        "alice",
    ]
    assert matching(storage, intents=["greet"], minimum_user_messages=2) == ["carol"]


def test_slot_filter_needs_that_exact_name_and_a_value_containing_the_text_ignoring_case(
    three: Any, storage: Any
) -> None:
    slot = storage_pb2.SlotFilter
    assert matching(storage, slots=[slot(name="city", value="burg")]) == ["carol"]
    assert matching(storage, slots=[slot(name="city", value="BERL")]) == ["alice"]
    assert matching(storage, slots=[slot(name="city")]) == ["carol", "alice"]
    assert matching(storage, slots=[slot(name="CITY", value="berlin")]) == []
    assert matching(storage, slots=[slot(name="cit", value="berlin")]) == []
    assert matching(storage, slots=[slot(name="city", value="burg"), slot(name="people", value="2")]) == [
        "carol",
        "bob",
    ]
    # The slot's value is searched, not its name.
    assert matching(storage, slots=[slot(name="city", value="city")]) == []


def test_like_wildcards_in_filters_are_taken_literally(three: Any, storage: Any) -> None:
    slot = storage_pb2.SlotFilter
    assert matching(storage, slots=[slot(name="a_b")]) == ["carol"]
    assert matching(storage, slots=[slot(name="a%")]) == []
    assert matching(storage, slots=[slot(name="city", value="%")]) == []
    assert matching(storage, text="100%") == ["bob"]
    assert matching(storage, text="0%") == ["bob"]
    assert matching(storage, text="%") == ["bob"]
    assert matching(storage, text="s_p") == ["carol"]
    assert matching(storage, text="_") == ["carol"]


def test_input_channel_filter_uses_the_latest_user_messages_channel(three: Any, storage: Any) -> None:
    assert matching(storage, input_channels=["rest"]) == ["alice"]
    assert matching(storage, input_channels=["telegram", "socketio"]) == ["carol", "bob"]


def test_text_filter_finds_user_messages_containing_the_text_ignoring_case(three: Any, storage: Any) -> None:
    assert matching(storage, text="HELLO") == ["alice"]  # bob's "Hello" is the bot's, not the user's
    assert matching(storage, text="e") == ["carol", "bob", "alice"]
    assert matching(storage, text="table for") == ["bob"]
    assert matching(storage, text="nowhere") == []


def test_minimum_user_messages(three: Any, storage: Any) -> None:
    assert matching(storage, minimum_user_messages=2) == ["carol"]
    assert matching(storage, minimum_user_messages=1) == ["carol", "bob", "alice"]


def test_confidence_bounds_apply_to_the_minimum_action_and_intent_confidence(three: Any, storage: Any) -> None:
    assert matching(storage, minimum_action_confidence=0.5) == ["alice"]
    assert matching(storage, maximum_action_confidence=0.5) == ["bob"]  # carol's is unknown: no bound holds
    assert matching(storage, minimum_intent_confidence=0.55) == ["carol", "alice"]
    assert matching(storage, maximum_intent_confidence=0.6) == ["carol", "bob"]
    assert matching(storage, minimum_intent_confidence=0.5, maximum_intent_confidence=0.5) == ["bob"]


def test_rasa_environment_filter(three: Any, storage: Any) -> None:
    assert matching(storage, rasa_environment="worker") == ["bob"]
    assert matching(storage, rasa_environment="production") == ["carol", "alice"]
    assert matching(storage, rasa_environment="") == ["carol", "bob", "alice"]


def test_review_status_training_data_tags_flags_and_creators_filter(three: sessionmaker[Session], storage: Any) -> None:
    set_columns(three, "alice", review_status="reviewed", in_training_data=True, created_by="ann")
    set_columns(three, "bob", review_status="saved_for_later", interactive=True, created_by="ben")
    set_columns(three, "carol", has_flagged_messages=True)
    red, blue = tag(three, "red", "alice", "bob"), tag(three, "blue", "carol")
    unused = tag(three, "unused")
    assert matching(storage, review_status=storage_pb2.REVIEW_STATUS_UNREAD) == ["carol"]
    assert matching(storage, review_status=storage_pb2.REVIEW_STATUS_REVIEWED) == ["alice"]
    assert matching(storage, review_status=storage_pb2.REVIEW_STATUS_SAVED_FOR_LATER) == ["bob"]
    assert matching(storage, in_training_data=True) == ["alice"]
    assert matching(storage, in_training_data=False) == ["carol", "bob"]
    assert matching(storage, tag_ids=[red]) == ["bob", "alice"]
    assert matching(storage, tag_ids=[blue, unused]) == ["carol"]
    assert matching(storage, flagged_only=True) == ["carol"]
    assert matching(storage, exclude_interactive=True) == ["carol", "alice"]
    assert matching(storage, exclude_created_by="ann") == ["carol", "bob"]  # carol has no creator: kept
    assert matching(storage, created_by="ben") == ["bob"]


def test_confidence_order_applies_only_when_filtering_out_training_data(
    three: sessionmaker[Session], storage: Any
) -> None:
    both = storage_pb2.ConversationOrder(by_latest_event_time=True, by_confidence=True)
    assert listed(storage, order=both) == ["carol", "bob", "alice"]
    not_trained = Filter(in_training_data=False)
    # alice 0.9, bob 0.3, carol unknown (last).
    assert listed(storage, filter=not_trained, order=both) == ["alice", "bob", "carol"]
    set_columns(three, "carol", minimum_action_confidence=0.3)
    assert listed(storage, filter=not_trained, order=both) == ["alice", "carol", "bob"]  # tie: newest first
    by_confidence = storage_pb2.ConversationOrder(by_confidence=True)
    assert listed(storage, filter=not_trained, order=by_confidence) == ["alice", "bob", "carol"]  # tie: sender id


def test_without_sort_flags_the_order_is_by_sender_id(three: Any, storage: Any) -> None:
    assert listed(storage, order=storage_pb2.ConversationOrder()) == ["alice", "bob", "carol"]
    assert listed(storage, order=storage_pb2.ConversationOrder(by_confidence=True)) == ["alice", "bob", "carol"]


def test_conversation_carries_review_fields_tags_and_corrections(three: sessionmaker[Session], storage: Any) -> None:
    set_columns(three, "alice", review_status="saved_for_later", in_training_data=True, created_by="ann")
    second, first = tag(three, "second", "alice"), tag(three, "first", "alice")
    with three.begin() as session:
        session.add(MessageCorrection(sender_id="alice", message_timestamp=100.0, intent="affirm", mapped_to="yes"))
    expected = storage_pb2.Conversation(
        sender_id="alice",
        latest_event_time=110.0,
        latest_input_channel="rest",
        number_user_messages=1,
        number_bot_messages=1,
        number_events=4,
        intents=["greet"],
        actions=["utter_greet"],
        entities=["city"],
        policies=["RulePolicy"],
        slots=["city:Berlin"],
        rasa_environments=["production"],
        minimum_action_confidence=0.9,
        maximum_action_confidence=0.9,
        minimum_intent_confidence=0.8,
        maximum_intent_confidence=0.8,
        review_status=storage_pb2.REVIEW_STATUS_SAVED_FOR_LATER,
        in_training_data=True,
        tag_ids=sorted([second, first]),
        corrected_messages=[storage_pb2.MessageCorrection(message_timestamp=100.0, intent="affirm", mapped_to="yes")],
        created_by="ann",
    )
    got = storage.GetConversation(storage_pb2.GetConversationRequest(sender_id="alice")).conversation
    assert got == expected
    listed_alice = storage.ListConversations(storage_pb2.ListConversationsRequest(limit=1, offset=2)).conversations
    assert list(listed_alice) == [expected]
    bob = storage.GetConversation(storage_pb2.GetConversationRequest(sender_id="bob")).conversation
    assert (bob.review_status, bob.created_by, list(bob.tag_ids)) == (storage_pb2.REVIEW_STATUS_UNREAD, "", [])


@pytest.fixture
def statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    with recorded_statements(sessions) as seen:
        yield seen


def test_a_page_is_loaded_in_the_same_number_of_queries_whatever_its_size(
    sessions: sessionmaker[Session], storage: Any, statements: list[str]
) -> None:
    for number in range(30):
        sender = f"s{number:02d}"
        append(sessions, [user(sender, float(number)), action(sender, number + 0.5, "utter_ok", "RulePolicy", 0.5)])
        tag(sessions, f"tag{number}", sender)
    statements.clear()
    storage.ListConversations(storage_pb2.ListConversationsRequest(limit=1, filter=Filter(intents=["greet"])))
    one = len(statements)
    statements.clear()
    response = storage.ListConversations(storage_pb2.ListConversationsRequest(limit=25, filter=Filter(text="hi")))
    assert len(response.conversations) == 25 and all(len(c.tag_ids) == 1 for c in response.conversations)
    assert len(statements) == one


def test_events_carry_their_flag(sessions: sessionmaker[Session], storage: Any) -> None:
    append(sessions, [user("a", 1.0), event("a", "bot", 2.0, text="?", metadata={"rasa_x_flagged": True})])
    found = storage.ListConversationEvents(storage_pb2.ListConversationEventsRequest(sender_id="a")).events
    assert [(e.timestamp, e.flagged) for e in found] == [(1.0, False), (2.0, True)]


def test_malformed_filters_are_invalid_arguments(three: Any, storage: Any) -> None:
    bad_slot = Filter(slots=[storage_pb2.SlotFilter(name="", value="x")])
    assert "slots[0].name" in rejected(storage.ListConversations, storage_pb2.ListConversationsRequest(filter=bad_slot))
    rejected(storage.ListConversations, storage_pb2.ListConversationsRequest(filter=Filter(review_status=9)))  # type: ignore[arg-type]
    rejected(storage.ListConversations, storage_pb2.ListConversationsRequest(limit=-1))


def options(storage: Any, kind: storage_pb2.FilterOptionKind, **request: Any) -> list[str]:
    found = storage.ListConversationFilterOptions(
        storage_pb2.ListConversationFilterOptionsRequest(kind=kind, **request)
    ).values
    return list(found)


def test_filter_options_list_distinct_sorted_values(three: Any, storage: Any) -> None:
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_INTENT) == ["affirm", "book", "greet"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_ENTITY) == ["city"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_ACTION) == ["action_book", "action_listen", "utter_greet"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_POLICY) == ["RulePolicy", "TEDPolicy"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_NAME) == ["a_b", "city", "people"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE, slot_name="city") == ["Berlin", "Hamburg"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_INPUT_CHANNEL) == ["rest", "socketio", "telegram"]


def test_filter_options_match_the_query_ignoring_case_and_respect_the_limit(three: Any, storage: Any) -> None:
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_ACTION, query="ACTION_") == ["action_book", "action_listen"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_ACTION, query="_", limit=1) == ["action_book"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE, slot_name="city", query="ham") == ["Hamburg"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_NAME, query="%") == []
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_INPUT_CHANNEL, query="SOCK") == ["socketio"]


def test_filter_options_need_a_kind_and_slot_values_a_slot_name(three: Any, storage: Any) -> None:
    request = storage_pb2.ListConversationFilterOptionsRequest
    rejected(storage.ListConversationFilterOptions, request())
    assert "slot_name" in rejected(
        storage.ListConversationFilterOptions, request(kind=storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE)
    )


def test_statistics_count_messages_and_rank_values_by_conversations(three: Any, storage: Any) -> None:
    found = storage.GetStatistics(storage_pb2.GetStatisticsRequest())
    assert (found.conversations, found.events, found.user_messages, found.bot_messages) == (3, 13, 4, 2)
    pairs = [(v.value, v.count) for v in found.top_intents]
    assert pairs == [("greet", 2), ("affirm", 1), ("book", 1)]  # most conversations first, ties by value
    assert [(v.value, v.count) for v in found.top_actions] == [
        ("action_book", 1),
        ("action_listen", 1),
        ("utter_greet", 1),
    ]
    assert [v.value for v in found.top_entities] == ["city"]
    assert [v.value for v in found.top_policies] == ["RulePolicy", "TEDPolicy"]
    top_one = storage.GetStatistics(storage_pb2.GetStatisticsRequest(top=1))
    assert [(v.value, v.count) for v in top_one.top_intents] == [("greet", 2)]
    rejected(storage.GetStatistics, storage_pb2.GetStatisticsRequest(top=-1))


def test_statistics_of_an_empty_database_are_zero(sessions: Any, storage: Any) -> None:
    assert storage.GetStatistics(storage_pb2.GetStatisticsRequest()) == storage_pb2.GetStatisticsResponse()


def test_a_long_conversation_is_exported_in_chunks_of_1000_events_in_order(
    sessions: sessionmaker[Session], storage: Any
) -> None:
    append(sessions, [event("long", "bot", float(number), text=str(number)) for number in range(2500)])
    append(sessions, [user("short", 5000.0)])
    chunks = list(storage.ExportConversations(storage_pb2.ExportConversationsRequest()))
    assert [(c.sender_id, len(c.events), c.HasField("conversation")) for c in chunks] == [
        ("short", 1, True),
        ("long", 1000, True),
        ("long", 1000, False),
        ("long", 500, False),
    ]
    assert chunks[1].conversation.number_events == 2500
    assert [e.timestamp for c in chunks[1:] for e in c.events] == [float(number) for number in range(2500)]


def test_export_follows_the_filter_across_pages_of_conversations(sessions: sessionmaker[Session]) -> None:
    # Equal latest event times on page boundaries: the keyset must neither repeat nor skip a conversation.
    append(sessions, [user(f"s{n}", float(n // 3), intent="odd" if n % 2 else "even") for n in range(10)])
    with sessions() as session:

        def read(work: Callable[[Session], Any]) -> Any:
            return work(session)

        everything = list(export.export_conversations(read, ConversationFilter(), conversations_per_page=2))
        even = list(export.export_conversations(read, ConversationFilter(intents=("even",)), conversations_per_page=2))
    expected = sorted((f"s{n}" for n in range(10)), key=lambda s: (-(int(s[1:]) // 3), s))
    assert [chunk.sender_id for chunk in everything] == expected
    assert [chunk.sender_id for chunk in even] == [sender for sender in expected if int(sender[1:]) % 2 == 0]


def test_deleting_a_conversation_deletes_everything_of_it(sessions: sessionmaker[Session], storage: Any) -> None:
    append(sessions, [user("gone", 1.0, text="bye now"), event("gone", "bot", 2.0, text="bye")])
    append(sessions, [user("kept", 3.0, text="hello")])
    tag(sessions, "red", "gone", "kept")
    with sessions.begin() as session:
        session.add(MessageCorrection(sender_id="gone", message_timestamp=1.0, intent="goodbye"))
    assert listed(storage) == ["kept", "gone"]
    deleted = storage.DeleteConversation(storage_pb2.DeleteConversationRequest(sender_id="gone"))
    assert deleted.deleted_events == 2
    assert listed(storage) == ["kept"]
    with sessions() as session:
        for model, column in (
            (ConversationEvent, ConversationEvent.sender_id),
            (ConversationAttribute, ConversationAttribute.sender_id),
            (ConversationTagAssignment, ConversationTagAssignment.sender_id),
            (MessageCorrection, MessageCorrection.sender_id),
            (MessageLog, MessageLog.conversation_id),
        ):
            remaining = session.scalar(select(func.count()).select_from(model).where(column == "gone"))
            assert remaining == 0, model.__tablename__
        assert session.scalar(select(func.count()).select_from(MessageLog)) == 1
    rejected(
        storage.DeleteConversation,
        storage_pb2.DeleteConversationRequest(sender_id="gone"),
        grpc.StatusCode.NOT_FOUND,
    )


def test_slot_names_and_values_are_split_at_the_first_colon(sessions: sessionmaker[Session], storage: Any) -> None:
    slots = [("city", "Oslo"), ("city2", "Rome"), ("city", "Lima"), ("city-code", "x"), ("time", "10:30")]
    append(sessions, [event("a", "slot", float(n), name=name, value=value) for n, (name, value) in enumerate(slots)])
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_NAME) == ["city", "city-code", "city2", "time"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE, slot_name="city") == ["Lima", "Oslo"]
    assert options(storage, storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE, slot_name="time") == ["10:30"]
    assert matching(storage, slots=[storage_pb2.SlotFilter(name="time", value="10:3")]) == ["a"]
    assert matching(storage, slots=[storage_pb2.SlotFilter(name="city", value="rome")]) == []
