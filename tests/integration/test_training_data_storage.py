"""TrainingDataService through real gRPC, on SQLite and on PostgreSQL: examples, intents, user goals, entities,
synonyms, regexes and lookup tables; the annotation flow through the NLU inbox and reviewers' corrections; and the
whole NLU data imported and exported as the ProjectService does."""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import (
    inbox_pb2,
    inbox_pb2_grpc,
    review_pb2,
    review_pb2_grpc,
    storage_pb2,
    training_data_pb2_grpc,
)
from conversely.storage.v1 import training_data_pb2 as pb
from storage_service.models import DomainIntent, ProjectDocument, Story
from storage_service.queries.nlu_project import export_nlu, import_nlu
from storage_service.rasa_yaml.nlu import Example, NluData, parse_nlu
from storage_service.rasa_yaml.reading import load_yaml
from tests.storage import append, event
from tests.storage_server import rejected

RASA_NLU = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rasa-3.6.21" / "project" / "data" / "nlu.yml"
Stub = training_data_pb2_grpc.TrainingDataServiceStub


@pytest.fixture
def data(storage_channel: grpc.Channel) -> Stub:
    return training_data_pb2_grpc.TrainingDataServiceStub(storage_channel)


@pytest.fixture
def inbox(storage_channel: grpc.Channel) -> inbox_pb2_grpc.InboxServiceStub:
    return inbox_pb2_grpc.InboxServiceStub(storage_channel)


def entity(start: int, end: int, name: str, value: str = "", **fields: str) -> pb.ExampleEntity:
    return pb.ExampleEntity(start=start, end=end, entity=name, value=value, **fields)


def example(text: str, intent: str, *entities: pb.ExampleEntity, **fields: Any) -> pb.TrainingExample:
    return pb.TrainingExample(text=text, intent=intent, entities=list(entities), **fields)


def save(data: Stub, text: str, intent: str, *entities: pb.ExampleEntity, **fields: Any) -> pb.TrainingExample:
    return data.SaveExample(pb.SaveExampleRequest(example=example(text, intent, *entities, **fields))).example


def texts(data: Stub, **fields: Any) -> list[str]:
    return [e.text for e in data.ListExamples(pb.ListExamplesRequest(**fields)).examples]


def intent_rows(data: Stub) -> list[tuple[str, int, bool, str]]:
    return [
        (i.name, i.example_count, i.in_domain, i.user_goal) for i in data.ListIntents(pb.ListIntentsRequest()).intents
    ]


def synonyms(data: Stub, mapped_value: str = "") -> dict[str, list[tuple[str, int]]]:
    listed = data.ListSynonyms(pb.ListSynonymsRequest(mapped_value=mapped_value)).synonyms
    return {s.reference: [(v.value, v.example_count) for v in s.values] for s in listed}


def add_story(sessions: sessionmaker[Session], kind: str, content: dict[str, Any]) -> int:
    with sessions.begin() as session:
        story = Story(kind=kind, name=content.get("story") or content.get("rule") or "", content=json.dumps(content))
        session.add(story)
        session.flush()
        return story.id


def story_content(sessions: sessionmaker[Session], story_id: int) -> dict[str, Any]:
    with sessions() as session:
        content: dict[str, Any] = json.loads(session.scalars(select(Story.content).where(Story.id == story_id)).one())
        return content


def test_saved_example_is_found_by_id_and_hash_with_its_entities_metadata_and_annotation(data: Stub) -> None:
    before = time.time()
    saved = data.SaveExample(
        pb.SaveExampleRequest(
            example=example(
                "fly from LA to Berlin",
                "book",
                entity(15, 21, "city"),
                entity(9, 11, "city", "Los Angeles", role="from"),
                metadata_json='{"source": "test"}',
                annotation=pb.Annotation(user="ann"),
                id=999,
                hash="ignored",
            )
        )
    )

    stored = saved.example
    assert saved.created and saved.inbox_messages_removed == 0
    assert stored.hash == hashlib.md5(b"fly from LA to Berlin").hexdigest() and stored.id != 999
    assert list(stored.entities) == [  # in text order
        entity(9, 11, "city", "Los Angeles", role="from"),
        entity(15, 21, "city", "Berlin"),  # the value defaults to the span
    ]
    assert json.loads(stored.metadata_json) == {"source": "test"}
    assert stored.annotation.user == "ann" and before <= stored.annotation.time <= time.time()
    assert data.GetExample(pb.GetExampleRequest(id=stored.id)).example == stored
    assert data.GetExample(pb.GetExampleRequest(hash=stored.hash)).example == stored


def test_get_needs_an_id_or_a_hash_that_exists(data: Stub) -> None:
    rejected(data.GetExample, pb.GetExampleRequest(), grpc.StatusCode.INVALID_ARGUMENT)
    rejected(data.GetExample, pb.GetExampleRequest(id=5), grpc.StatusCode.NOT_FOUND)
    rejected(data.GetExample, pb.GetExampleRequest(hash=hashlib.md5(b"x").hexdigest()), grpc.StatusCode.NOT_FOUND)


def test_saving_the_same_text_again_replaces_the_example(data: Stub) -> None:
    first = save(data, "book a table in Rome", "book", entity(15, 19, "city"))
    response = data.SaveExample(pb.SaveExampleRequest(example=example("book a table in Rome", "reserve")))

    assert not response.created
    assert (response.example.id, response.example.intent, list(response.example.entities)) == (first.id, "reserve", [])
    assert texts(data) == ["book a table in Rome"]
    assert texts(data, entities=["city"]) == []


def test_saving_an_example_takes_its_text_out_of_the_inbox(data: Stub, inbox: inbox_pb2_grpc.InboxServiceStub) -> None:
    for text in ("hello there", "something else"):
        inbox.AddInboxMessage(inbox_pb2.AddInboxMessageRequest(text=text, user_input_json="{}"))

    response = data.SaveExample(pb.SaveExampleRequest(example=example("hello there", "greet")))

    assert response.inbox_messages_removed == 1
    listed = inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest()).messages
    assert [m.text for m in listed] == ["something else"]


def test_examples_are_listed_by_intent_then_text_and_filtered(data: Stub) -> None:
    save(data, "to Paris please", "travel", entity(3, 8, "city"))
    save(data, "100% sure", "affirm")
    save(data, "yes", "affirm")
    save(data, "a table for 2 in Rome", "book", entity(12, 13, "people"), entity(17, 21, "city"))
    save(data, "cancel it", "cancel")

    assert texts(data) == ["100% sure", "yes", "a table for 2 in Rome", "cancel it", "to Paris please"]
    response = data.ListExamples(pb.ListExamplesRequest(limit=2, offset=1))
    assert ([e.text for e in response.examples], response.total_count) == (["yes", "a table for 2 in Rome"], 5)
    assert texts(data, query="PARIS") == ["to Paris please"]
    assert texts(data, query="%") == ["100% sure"]
    assert texts(data, intents=["affirm", "cancel"]) == ["100% sure", "yes", "cancel it"]
    assert texts(data, entities=["city"]) == ["a table for 2 in Rome", "to Paris please"]
    assert texts(data, entities=["people"]) == ["a table for 2 in Rome"]
    assert texts(data, has_entities=True) == ["a table for 2 in Rome", "to Paris please"]
    assert texts(data, has_entities=False) == ["100% sure", "yes", "cancel it"]
    filtered = data.ListExamples(pb.ListExamplesRequest(query="e", has_entities=False, limit=1))
    assert ([e.text for e in filtered.examples], filtered.total_count) == (["100% sure"], 3)
    for bound in ("limit", "offset"):
        negative: dict[str, Any] = {bound: -1}
        rejected(data.ListExamples, pb.ListExamplesRequest(**negative), grpc.StatusCode.INVALID_ARGUMENT)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (example("  ", "greet"), "text must not be blank"),
        (example("hi", " "), "intent must not be blank"),
        (example("hi", "greet", entity(1, 3, "x")), "0 <= start < end <= 2"),
        (example("hi", "greet", entity(1, 1, "x")), "0 <= start < end <= 2"),
        (example("hi", "greet", entity(0, 1, " ")), "entity name must not be blank"),
        (example("abcd", "greet", entity(0, 2, "x"), entity(1, 3, "y")), "overlap"),
        (example("a]c", "greet", entity(0, 3, "x")), "contains ']'"),
        (example("see [x](y)", "greet"), "reads as entity annotations"),
        (example("hi", "greet", metadata_json="[1]"), "JSON object"),
        (example("hi", "greet", metadata_json="{nope"), "not JSON"),
    ],
)
def test_an_example_rasa_cannot_hold_is_refused_and_not_stored(
    data: Stub, given: pb.TrainingExample, reason: str
) -> None:
    assert reason in rejected(data.SaveExample, pb.SaveExampleRequest(example=given), grpc.StatusCode.INVALID_ARGUMENT)
    replace = pb.ReplaceExamplesRequest(examples=[example("fine", "greet"), given])
    assert reason in rejected(data.ReplaceExamples, replace, grpc.StatusCode.INVALID_ARGUMENT)
    assert texts(data) == []


def test_update_changes_one_example_but_not_into_another_examples_text(data: Stub) -> None:
    hi = save(data, "hi", "greet")
    hello = save(data, "hello", "greet")

    changed = example("hi there Bob", "greet", entity(9, 12, "name"), id=hi.id)
    updated = data.UpdateExample(pb.UpdateExampleRequest(example=changed)).example

    assert (updated.id, updated.text, updated.hash) == (hi.id, "hi there Bob", hashlib.md5(b"hi there Bob").hexdigest())
    assert texts(data, entities=["name"]) == ["hi there Bob"]
    clash = pb.UpdateExampleRequest(example=example("hello", "greet", id=hi.id))
    assert str(hello.id) in rejected(data.UpdateExample, clash, grpc.StatusCode.ALREADY_EXISTS)
    missing = pb.UpdateExampleRequest(example=example("new", "greet", id=hello.id + 100))
    rejected(data.UpdateExample, missing, grpc.StatusCode.NOT_FOUND)
    assert sorted(texts(data)) == ["hello", "hi there Bob"]


def test_bulk_delete_deletes_the_named_examples_and_counts_them(data: Stub) -> None:
    ids = [save(data, f"example {n}", "x", entity(0, 7, "word")).id for n in range(4)]

    response = data.DeleteExamples(pb.DeleteExamplesRequest(ids=[ids[0], ids[2], 12345]))

    assert response.deleted_count == 2
    assert texts(data) == ["example 1", "example 3"]
    assert texts(data, entities=["word"]) == ["example 1", "example 3"]
    assert data.DeleteExamples(pb.DeleteExamplesRequest(ids=[ids[0]])).deleted_count == 0


def test_bulk_replace_replaces_every_example_and_a_repeated_text_keeps_the_later(data: Stub) -> None:
    save(data, "old one", "old", entity(0, 3, "age"))
    replacement = [
        example("in Rome", "travel", entity(3, 7, "city")),
        example("hi", "greet"),
        example("in Rome", "visit", entity(3, 7, "place")),
    ]

    response = data.ReplaceExamples(pb.ReplaceExamplesRequest(examples=replacement))

    assert response.example_count == 2
    listed = data.ListExamples(pb.ListExamplesRequest()).examples
    assert [(e.text, e.intent) for e in listed] == [("hi", "greet"), ("in Rome", "visit")]
    assert texts(data, entities=["place"]) == ["in Rome"]
    assert texts(data, entities=["age"]) == texts(data, entities=["city"]) == []


def test_intents_are_those_of_the_domain_and_the_examples_with_counts_and_goals(data: Stub) -> None:
    save(data, "hi", "greet")
    save(data, "hello", "greet")
    save(data, "bye", "goodbye")

    created = data.CreateIntent(pb.CreateIntentRequest(name="affirm")).intent
    also_in_domain = data.CreateIntent(pb.CreateIntentRequest(name="greet")).intent
    data.SetUserGoal(pb.SetUserGoalRequest(user_goal=pb.UserGoal(name="small talk", intents=["greet", "goodbye"])))

    assert (created.name, created.example_count, created.in_domain) == ("affirm", 0, True)
    assert (also_in_domain.example_count, also_in_domain.in_domain) == (2, True)
    assert intent_rows(data) == [
        ("affirm", 0, True, ""),
        ("goodbye", 1, False, "small talk"),
        ("greet", 2, True, "small talk"),
    ]
    rejected(data.CreateIntent, pb.CreateIntentRequest(name="affirm"), grpc.StatusCode.ALREADY_EXISTS)
    rejected(data.CreateIntent, pb.CreateIntentRequest(name=" "), grpc.StatusCode.INVALID_ARGUMENT)


def test_rename_reaches_examples_domain_user_goal_stories_rules_and_test_stories(
    data: Stub, sessions: sessionmaker[Session]
) -> None:
    save(data, "hi", "greet")
    save(data, "hello", "greet")
    save(data, "bye", "goodbye")
    data.CreateIntent(pb.CreateIntentRequest(name="greet"))
    data.SetUserGoal(pb.SetUserGoalRequest(user_goal=pb.UserGoal(name="talk", intents=["greet"])))
    story = add_story(
        sessions,
        "story",
        {
            "story": "happy",
            "steps": [
                {"intent": "greet", "entities": [{"name": "Bob"}]},
                {"action": "utter_greet"},
                {"or": [{"intent": "goodbye"}, {"intent": "greet"}]},
            ],
        },
    )
    rule = add_story(
        sessions,
        "rule",
        {"rule": "say hi", "condition": [{"active_loop": "form"}, {"intent": "greet"}], "steps": [{"action": "x"}]},
    )
    test_story = add_story(sessions, "test", {"story": "t", "steps": [{"user": "hi", "intent": "greet"}]})
    untouched = add_story(sessions, "story", {"story": "greetings_story", "steps": [{"intent": "goodbye"}]})

    renamed = data.RenameIntent(pb.RenameIntentRequest(name="greet", new_name="hello"))

    assert (renamed.examples_renamed, renamed.stories_renamed) == (2, 3)
    assert (renamed.intent.name, renamed.intent.example_count, renamed.intent.in_domain) == ("hello", 2, True)
    assert intent_rows(data) == [("goodbye", 1, False, ""), ("hello", 2, True, "talk")]
    assert texts(data, intents=["hello"]) == ["hello", "hi"]
    assert story_content(sessions, story)["steps"][0] == {"intent": "hello", "entities": [{"name": "Bob"}]}
    assert story_content(sessions, story)["steps"][2]["or"] == [{"intent": "goodbye"}, {"intent": "hello"}]
    assert story_content(sessions, rule)["condition"][1] == {"intent": "hello"}
    assert story_content(sessions, test_story)["steps"] == [{"user": "hi", "intent": "hello"}]
    assert story_content(sessions, untouched)["steps"] == [{"intent": "goodbye"}]
    with sessions() as session:
        assert list(session.scalars(select(DomainIntent.name))) == ["hello"]
    goals = data.ListUserGoals(pb.ListUserGoalsRequest()).user_goals
    assert [(g.name, list(g.intents)) for g in goals] == [("talk", ["hello"])]

    taken = pb.RenameIntentRequest(name="hello", new_name="goodbye")
    rejected(data.RenameIntent, taken, grpc.StatusCode.ALREADY_EXISTS)
    rejected(data.RenameIntent, pb.RenameIntentRequest(name="greet", new_name="x"), grpc.StatusCode.NOT_FOUND)
    rejected(data.RenameIntent, pb.RenameIntentRequest(name="hello", new_name=""), grpc.StatusCode.INVALID_ARGUMENT)


def test_deleting_an_intent_its_examples_use_fails_unless_they_go_with_it(data: Stub) -> None:
    save(data, "hi", "greet")
    save(data, "hello", "greet", entity(0, 5, "word"))
    save(data, "bye", "goodbye")
    data.CreateIntent(pb.CreateIntentRequest(name="greet"))
    data.CreateIntent(pb.CreateIntentRequest(name="unused"))
    data.SetUserGoal(pb.SetUserGoalRequest(user_goal=pb.UserGoal(name="talk", intents=["greet", "unused"])))

    in_use = pb.DeleteIntentRequest(name="greet")
    assert "2 training examples" in rejected(data.DeleteIntent, in_use, grpc.StatusCode.FAILED_PRECONDITION)
    assert intent_rows(data)[1] == ("greet", 2, True, "talk")

    deleted = data.DeleteIntent(pb.DeleteIntentRequest(name="greet", delete_examples=True))
    assert deleted.examples_deleted == 2
    assert data.DeleteIntent(pb.DeleteIntentRequest(name="unused")).examples_deleted == 0
    assert intent_rows(data) == [("goodbye", 1, False, "")]
    assert texts(data) == ["bye"] and texts(data, entities=["word"]) == []
    goals = data.ListUserGoals(pb.ListUserGoalsRequest()).user_goals
    assert [(g.name, list(g.intents)) for g in goals] == [("talk", [])]
    rejected(data.DeleteIntent, pb.DeleteIntentRequest(name="greet"), grpc.StatusCode.NOT_FOUND)


def test_user_goals_group_intents_each_in_one_goal_at_most(data: Stub) -> None:
    for intent in ("greet", "goodbye", "affirm"):
        data.CreateIntent(pb.CreateIntentRequest(name=intent))

    def set_goal(name: str, *intents: str) -> list[str]:
        goal = pb.UserGoal(name=name, intents=list(intents))
        return list(data.SetUserGoal(pb.SetUserGoalRequest(user_goal=goal)).user_goal.intents)

    assert set_goal("talk", "greet", "goodbye", "greet") == ["goodbye", "greet"]
    assert set_goal("agree", "affirm", "greet") == ["affirm", "greet"]  # greet moves from "talk"
    goals = data.ListUserGoals(pb.ListUserGoalsRequest()).user_goals
    assert [(g.name, list(g.intents)) for g in goals] == [("agree", ["affirm", "greet"]), ("talk", ["goodbye"])]
    assert set_goal("talk") == []

    data.DeleteUserGoal(pb.DeleteUserGoalRequest(name="agree"))

    goals = data.ListUserGoals(pb.ListUserGoalsRequest()).user_goals
    assert [(g.name, list(g.intents)) for g in goals] == [("talk", [])]
    assert [row[0] for row in intent_rows(data)] == ["affirm", "goodbye", "greet"]
    rejected(data.DeleteUserGoal, pb.DeleteUserGoalRequest(name="agree"), grpc.StatusCode.NOT_FOUND)
    unknown = pb.SetUserGoalRequest(user_goal=pb.UserGoal(name="x", intents=["nope"]))
    assert "nope" in rejected(data.SetUserGoal, unknown, grpc.StatusCode.INVALID_ARGUMENT)
    nameless = pb.SetUserGoalRequest(user_goal=pb.UserGoal(name="", intents=["greet"]))
    rejected(data.SetUserGoal, nameless, grpc.StatusCode.INVALID_ARGUMENT)


def test_entities_are_those_of_the_domain_and_the_examples_with_example_counts(
    data: Stub, sessions: sessionmaker[Session]
) -> None:
    domain = {"version": "3.1", "entities": ["city", {"person": {"roles": ["host", "guest"]}}, "date"]}
    with sessions.begin() as session:
        session.add(ProjectDocument(name="domain", content=json.dumps(domain)))
    save(data, "from Rome to Oslo", "travel", entity(5, 9, "city"), entity(13, 17, "city"))
    save(data, "to Rome", "travel", entity(3, 7, "city"))
    save(data, "I need 2", "order", entity(7, 8, "number"))

    listed = data.ListEntities(pb.ListEntitiesRequest()).entities

    assert [(e.name, e.example_count, e.in_domain) for e in listed] == [
        ("city", 2, True),
        ("date", 0, True),
        ("number", 1, False),
        ("person", 0, True),
    ]


def test_synonyms_map_values_with_their_example_counts(data: Stub) -> None:
    save(data, "I live in NYC", "inform", entity(10, 13, "city", "NYC"))
    save(data, "NYC it is", "inform", entity(0, 3, "city"))
    created = data.CreateSynonym(pb.CreateSynonymRequest(reference="New York", values=["NYC", "big apple"])).synonym
    other = data.CreateSynonym(pb.CreateSynonymRequest(reference="Los Angeles", values=["LA"])).synonym

    assert synonyms(data) == {"Los Angeles": [("LA", 0)], "New York": [("NYC", 2), ("big apple", 0)]}
    assert synonyms(data, "big apple") == {"New York": [("NYC", 2), ("big apple", 0)]}
    assert data.GetSynonym(pb.GetSynonymRequest(id=created.id)).synonym == created

    renamed = data.RenameSynonym(pb.RenameSynonymRequest(id=created.id, reference="New York City")).synonym
    assert renamed.reference == "New York City"
    added = data.AddSynonymValues(pb.AddSynonymValuesRequest(id=created.id, values=["NY", "NYC"])).synonym
    assert [v.value for v in added.values] == ["NYC", "big apple", "NY"]
    apple = added.values[1]
    request = pb.UpdateSynonymValueRequest(id=created.id, value_id=apple.id, value="the big apple")
    updated = data.UpdateSynonymValue(request).synonym
    assert [v.value for v in updated.values] == ["NYC", "the big apple", "NY"]
    data.DeleteSynonymValue(pb.DeleteSynonymValueRequest(id=created.id, value_id=apple.id))
    assert synonyms(data)["New York City"] == [("NYC", 2), ("NY", 0)]

    data.DeleteSynonym(pb.DeleteSynonymRequest(id=other.id))
    assert list(synonyms(data)) == ["New York City"]
    rejected(data.GetSynonym, pb.GetSynonymRequest(id=other.id), grpc.StatusCode.NOT_FOUND)


def test_synonym_references_and_values_are_taken_once(data: Stub) -> None:
    ny = data.CreateSynonym(pb.CreateSynonymRequest(reference="New York", values=["NYC"])).synonym
    la = data.CreateSynonym(pb.CreateSynonymRequest(reference="Los Angeles", values=["LA"])).synonym

    taken_reference = pb.CreateSynonymRequest(reference="New York", values=["ny"])
    rejected(data.CreateSynonym, taken_reference, grpc.StatusCode.ALREADY_EXISTS)
    taken_value = pb.CreateSynonymRequest(reference="Big Apple", values=["apple", "NYC"])
    assert "NYC" in rejected(data.CreateSynonym, taken_value, grpc.StatusCode.ALREADY_EXISTS)
    rename = pb.RenameSynonymRequest(id=la.id, reference="New York")
    rejected(data.RenameSynonym, rename, grpc.StatusCode.ALREADY_EXISTS)
    add = pb.AddSynonymValuesRequest(id=la.id, values=["NYC"])
    rejected(data.AddSynonymValues, add, grpc.StatusCode.ALREADY_EXISTS)
    update = pb.UpdateSynonymValueRequest(id=la.id, value_id=la.values[0].id, value="NYC")
    rejected(data.UpdateSynonymValue, update, grpc.StatusCode.ALREADY_EXISTS)
    foreign_value = pb.DeleteSynonymValueRequest(id=la.id, value_id=ny.values[0].id)
    rejected(data.DeleteSynonymValue, foreign_value, grpc.StatusCode.NOT_FOUND)
    blank = pb.CreateSynonymRequest(reference="x", values=[" "])
    rejected(data.CreateSynonym, blank, grpc.StatusCode.INVALID_ARGUMENT)
    assert synonyms(data) == {"Los Angeles": [("LA", 0)], "New York": [("NYC", 0)]}


def test_regexes_are_listed_by_name_and_a_pattern_must_compile(data: Stub) -> None:
    zipcode = data.CreateRegex(pb.CreateRegexRequest(name="zipcode", pattern=r"\d{5}")).regex
    account = data.CreateRegex(pb.CreateRegexRequest(name="account", pattern=r"[a-z]{2}\d+")).regex
    long_zip = data.CreateRegex(pb.CreateRegexRequest(name="zipcode", pattern=r"\d{5}-\d{4}")).regex

    listed = data.ListRegexes(pb.ListRegexesRequest())
    assert (list(listed.regexes), listed.total_count) == ([account, zipcode, long_zip], 3)
    page = data.ListRegexes(pb.ListRegexesRequest(limit=1, offset=1))
    assert (list(page.regexes), page.total_count) == ([zipcode], 3)
    assert data.GetRegex(pb.GetRegexRequest(id=zipcode.id)).regex == zipcode

    bad = pb.CreateRegexRequest(name="broken", pattern="([a-z")
    assert "does not compile" in rejected(data.CreateRegex, bad, grpc.StatusCode.INVALID_ARGUMENT)
    too_big = pb.CreateRegexRequest(name="broken", pattern="a{99999999999}")
    assert "does not compile" in rejected(data.CreateRegex, too_big, grpc.StatusCode.INVALID_ARGUMENT)
    bad_update = pb.UpdateRegexRequest(regex=pb.Regex(id=zipcode.id, name="zipcode", pattern="*"))
    assert "does not compile" in rejected(data.UpdateRegex, bad_update, grpc.StatusCode.INVALID_ARGUMENT)
    twin = pb.CreateRegexRequest(name="zipcode", pattern=r"\d{5}")
    rejected(data.CreateRegex, twin, grpc.StatusCode.ALREADY_EXISTS)

    changed = pb.Regex(id=zipcode.id, name="postcode", pattern=r"\d{4}")
    assert data.UpdateRegex(pb.UpdateRegexRequest(regex=changed)).regex == changed
    data.DeleteRegex(pb.DeleteRegexRequest(id=account.id))
    assert list(data.ListRegexes(pb.ListRegexesRequest()).regexes) == [changed, long_zip]
    rejected(data.DeleteRegex, pb.DeleteRegexRequest(id=account.id), grpc.StatusCode.NOT_FOUND)
    missing = pb.UpdateRegexRequest(regex=pb.Regex(id=account.id, name="a", pattern="b"))
    rejected(data.UpdateRegex, missing, grpc.StatusCode.NOT_FOUND)


def test_lookup_tables_are_created_listed_and_deleted_and_a_name_is_taken_once(data: Stub) -> None:
    cities = data.CreateLookupTable(
        pb.CreateLookupTableRequest(name="cities", elements=["berlin", "paris", "berlin"])
    ).lookup_table
    data.CreateLookupTable(pb.CreateLookupTableRequest(name="banks", elements=["JPMC"]))

    assert list(cities.elements) == ["berlin", "paris"]
    summaries = data.ListLookupTables(pb.ListLookupTablesRequest()).lookup_tables
    assert [(s.name, s.element_count) for s in summaries] == [("banks", 1), ("cities", 2)]
    assert data.GetLookupTable(pb.GetLookupTableRequest(id=cities.id)).lookup_table == cities
    taken = pb.CreateLookupTableRequest(name="cities", elements=["rome"])
    assert "cities" in rejected(data.CreateLookupTable, taken, grpc.StatusCode.ALREADY_EXISTS)
    blank = pb.CreateLookupTableRequest(name="names", elements=["ann", ""])
    rejected(data.CreateLookupTable, blank, grpc.StatusCode.INVALID_ARGUMENT)

    data.DeleteLookupTable(pb.DeleteLookupTableRequest(id=cities.id))

    assert [s.name for s in data.ListLookupTables(pb.ListLookupTablesRequest()).lookup_tables] == ["banks"]
    rejected(data.GetLookupTable, pb.GetLookupTableRequest(id=cities.id), grpc.StatusCode.NOT_FOUND)
    rejected(data.DeleteLookupTable, pb.DeleteLookupTableRequest(id=cities.id), grpc.StatusCode.NOT_FOUND)


def test_a_corrected_message_becomes_an_example_with_its_parsed_entities_and_leaves_the_inbox(
    data: Stub, inbox: inbox_pb2_grpc.InboxServiceStub, storage_channel: grpc.Channel, sessions: sessionmaker[Session]
) -> None:
    parse_data = {
        "intent": {"name": "greet", "confidence": 0.4},
        "entities": [
            {"start": 11, "end": 17, "entity": "city", "value": "Berlin", "extractor": "DIETClassifier"},
            {"start": 11, "end": 17, "entity": "city", "value": "Berlin", "extractor": "RegexEntityExtractor"},
            {"start": 11, "end": 13, "entity": "partial", "value": "Be"},
            {"start": 18, "end": 21, "entity": "number", "value": 2, "role": "count"},
            {"entity": "mood", "value": "happy"},
        ],
    }
    text = "a table in Berlin two"
    append(sessions, [event("c", "user", 5.0, text=text, parse_data=parse_data), event("c", "user", 6.0, text="x")])
    assert len(inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest()).messages) == 2

    review = review_pb2_grpc.ReviewServiceStub(storage_channel)
    correction = storage_pb2.MessageCorrection(message_timestamp=5.0, intent="book")
    review.SetMessageCorrection(review_pb2.SetMessageCorrectionRequest(sender_id="c", correction=correction))

    stored = data.GetExample(pb.GetExampleRequest(hash=hashlib.md5(text.encode()).hexdigest())).example
    assert (stored.text, stored.intent) == (text, "book")
    assert list(stored.entities) == [entity(11, 17, "city", "Berlin"), entity(18, 21, "number", "2", role="count")]
    assert [m.text for m in inbox.ListInboxMessages(inbox_pb2.ListInboxMessagesRequest()).messages] == ["x"]


def test_a_corrected_button_payload_is_not_made_an_example(
    data: Stub, storage_channel: grpc.Channel, sessions: sessionmaker[Session]
) -> None:
    parse_data = {"intent": {"name": "affirm", "confidence": 1.0}, "entities": []}
    append(sessions, [event("c", "user", 5.0, text="/affirm", parse_data=parse_data)])

    review = review_pb2_grpc.ReviewServiceStub(storage_channel)
    correction = storage_pb2.MessageCorrection(message_timestamp=5.0, intent="deny")
    review.SetMessageCorrection(review_pb2.SetMessageCorrectionRequest(sender_id="c", correction=correction))

    assert data.ListExamples(pb.ListExamplesRequest()).total_count == 0


def test_excluding_training_data_leaves_out_inbox_messages_whose_text_is_an_example(
    data: Stub, inbox: inbox_pb2_grpc.InboxServiceStub, sessions: sessionmaker[Session]
) -> None:
    # The examples' texts arrive in the inbox again after they were saved: only the filter keeps them out.
    save(data, "hi", "greet")
    bye = save(data, "bye", "goodbye")
    parse_data = {"intent": {"name": "greet", "confidence": 0.9}, "entities": []}
    messages = [
        event("a", "user", float(t), text=text, parse_data=parse_data) for t, text in enumerate(["hi", "new", "bye"])
    ]
    append(sessions, messages)

    def inbox_texts(exclude_training_data: bool) -> list[str]:
        request = inbox_pb2.ListInboxMessagesRequest(
            exclude_training_data=exclude_training_data, order=inbox_pb2.INBOX_ORDER_TIME, ascending=True
        )
        response = inbox.ListInboxMessages(request)
        assert response.total_count == len(response.messages)
        return [m.text for m in response.messages]

    assert inbox_texts(exclude_training_data=False) == ["hi", "new", "bye"]
    assert inbox_texts(exclude_training_data=True) == ["new"]
    data.DeleteExamples(pb.DeleteExamplesRequest(ids=[bye.id]))
    assert inbox_texts(exclude_training_data=True) == ["new", "bye"]


def rasa_nlu() -> NluData:
    return parse_nlu(load_yaml(RASA_NLU.read_text(), "data/nlu.yml")["nlu"], "data/nlu.yml")


def test_the_rasa_project_nlu_data_is_imported_and_exported_whole(data: Stub, sessions: sessionmaker[Session]) -> None:
    nlu = rasa_nlu()
    nlu.synonyms = {"berlin": ["berlinn", "BER"]}
    nlu.regexes = [("zipcode", r"\d{5}")]
    with sessions.begin() as session:
        session.add(DomainIntent(name="weather", position=0))
    with sessions.begin() as session:
        import_nlu(session, nlu, replace=True, annotator="importer", at=123.0)
    with sessions() as session:
        exported = export_nlu(session)

    assert data.ListExamples(pb.ListExamplesRequest()).total_count == 71
    some = data.ListExamples(pb.ListExamplesRequest(limit=1)).examples[0]
    assert (some.annotation.user, some.annotation.time) == ("importer", 123.0)
    file_intents = list(dict.fromkeys(e.intent for e in nlu.examples))
    # The domain listed "weather" first; the others were appended in the order the file has them.
    assert list(dict.fromkeys(e.intent for e in exported.examples)) == ["weather", *file_intents[:-1]]
    assert sorted(exported.examples, key=lambda e: e.text) == sorted(nlu.examples, key=lambda e: e.text)
    greet = [e.text for e in exported.examples if e.intent == "greet"]
    assert greet == sorted(greet)
    assert (exported.synonyms, exported.regexes, exported.lookups) == (nlu.synonyms, nlu.regexes, nlu.lookups)
    assert all(row[2] for row in intent_rows(data))  # every intent is in the domain now


def test_importing_with_replace_empties_what_the_data_has_none_of(data: Stub, sessions: sessionmaker[Session]) -> None:
    save(data, "old", "old")
    data.CreateSynonym(pb.CreateSynonymRequest(reference="New York", values=["NYC"]))
    data.CreateRegex(pb.CreateRegexRequest(name="zip", pattern=r"\d+"))
    data.CreateLookupTable(pb.CreateLookupTableRequest(name="cities", elements=["rome"]))

    with sessions.begin() as session:
        import_nlu(session, NluData([Example("new", "fresh", [])], {}, [], {}), replace=True, annotator=None, at=1.0)

    assert texts(data) == ["new"]
    assert synonyms(data) == {}
    assert data.ListRegexes(pb.ListRegexesRequest()).total_count == 0
    assert list(data.ListLookupTables(pb.ListLookupTablesRequest()).lookup_tables) == []


def test_merging_replaces_same_texts_moves_synonym_values_and_keeps_the_rest(
    data: Stub, sessions: sessionmaker[Session]
) -> None:
    save(data, "in Rome", "travel", entity(3, 7, "city"))
    save(data, "kept", "other")
    data.CreateSynonym(pb.CreateSynonymRequest(reference="New York", values=["NYC", "big apple"]))
    data.CreateRegex(pb.CreateRegexRequest(name="zip", pattern=r"\d{5}"))
    data.CreateLookupTable(pb.CreateLookupTableRequest(name="cities", elements=["rome"]))
    data.CreateLookupTable(pb.CreateLookupTableRequest(name="banks", elements=["JPMC"]))
    incoming = NluData(
        examples=[Example("in Rome", "visit", []), Example("fresh", "other", [], {"source": "merge"})],
        synonyms={"Big Apple": ["big apple", "the apple"], "New York": ["NY"]},
        regexes=[("zip", r"\d{5}"), ("zip", r"\d{4}")],
        lookups={"cities": ["paris"]},
    )

    with sessions.begin() as session:
        import_nlu(session, incoming, replace=False, annotator="merger", at=5.0)

    listed = data.ListExamples(pb.ListExamplesRequest()).examples
    assert [(e.text, e.intent, len(e.entities)) for e in listed] == [
        ("fresh", "other", 0),
        ("kept", "other", 0),
        ("in Rome", "visit", 0),
    ]
    assert json.loads(listed[0].metadata_json) == {"source": "merge"}
    assert synonyms(data) == {"Big Apple": [("big apple", 0), ("the apple", 0)], "New York": [("NYC", 0), ("NY", 0)]}
    assert [(r.name, r.pattern) for r in data.ListRegexes(pb.ListRegexesRequest()).regexes] == [
        ("zip", r"\d{5}"),
        ("zip", r"\d{4}"),
    ]
    lookups = {s.name: s.id for s in data.ListLookupTables(pb.ListLookupTablesRequest()).lookup_tables}
    assert list(data.GetLookupTable(pb.GetLookupTableRequest(id=lookups["cities"])).lookup_table.elements) == ["paris"]
    assert sorted(lookups) == ["banks", "cities"]
    assert [row[0] for row in intent_rows(data) if row[2]] == ["other", "visit"]


def test_an_import_with_an_example_that_cannot_be_stored_is_refused(sessions: sessionmaker[Session]) -> None:
    from storage_service.queries.errors import InvalidRequest

    bad = NluData([Example("hi", "greet", [{"start": 0, "end": 9, "entity": "x", "value": "x"}])], {}, [], {})
    with sessions.begin() as session, pytest.raises(InvalidRequest, match="start < end"):
        import_nlu(session, bad, replace=True, annotator=None, at=1.0)


def test_concurrent_saves_of_one_new_text_store_one_example_and_all_succeed(data: Stub) -> None:
    # Each save looks for the text, finds none and inserts: all but the first commit meet the unique hash, and are
    # run again by storage, now replacing the example instead of failing.
    texts = [f"book a table for {number}" for number in range(10)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for text in texts:
            saved = list(pool.map(save, [data] * 8, [text] * 8, ["book", "order"] * 4))
            assert {example.text for example in saved} == {text}
    response = data.ListExamples(pb.ListExamplesRequest(limit=100))
    assert sorted(example.text for example in response.examples) == sorted(texts)
