"""The NLU training-data API over HTTP: examples, intents, user goals, entities, synonyms, regexes, lookup tables and
the whole NLU data as one file, on a real storage server."""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from starlette.testclient import TestClient

from tests.gateway_app import Headers, user_with_role
from tests.stack import TEST_ADMIN

PROJECT = "/api/projects/default"
EXAMPLES = f"{PROJECT}/training_examples"


def add_example(
    api: TestClient, headers: Headers, text: str, intent: str, entities: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    response = api.post(EXAMPLES, json={"text": text, "intent": intent, "entities": entities or []}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def city(start: int, end: int, **fields: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "entity": "city", **fields}


def get_json(api: TestClient, headers: Headers, path: str) -> Any:
    response = api.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def texts(api: TestClient, headers: Headers, query: str = "") -> list[str]:
    response = api.get(f"{EXAMPLES}{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [example["text"] for example in response.json()]


@pytest.fixture
def weather_examples(api: TestClient, as_admin: Headers) -> list[dict[str, Any]]:
    """Four examples of three intents; two annotate a city."""
    return [
        add_example(api, as_admin, "hello there", "greet"),
        add_example(api, as_admin, "hi", "greet"),
        add_example(api, as_admin, "weather in Berlin", "weather", [city(11, 17)]),
        add_example(api, as_admin, "is it raining in Paris", "rain", [city(17, 22, value="paris", role="target")]),
    ]


def test_an_example_is_created_read_by_id_and_hash_changed_and_deleted(api: TestClient, as_admin: Headers) -> None:
    created = add_example(api, as_admin, "weather in Berlin", "weather", [city(11, 17)])
    assert created["text"] == "weather in Berlin"
    assert created["intent"] == "weather"
    assert created["entities"] == [{"start": 11, "end": 17, "entity": "city", "value": "Berlin"}]
    assert created["hash"] == hashlib.md5(b"weather in Berlin").hexdigest()
    assert "metadata" not in created

    by_id = api.get(f"{EXAMPLES}/{created['id']}", headers=as_admin)
    by_hash = api.get(f"{EXAMPLES}/{created['hash']}", headers=as_admin)
    assert by_id.status_code == by_hash.status_code == 200
    assert by_id.json() == by_hash.json() == created

    changed = api.put(
        f"{EXAMPLES}/{created['id']}",
        json={"text": "weather in Rome", "intent": "weather", "entities": [city(11, 15)], "metadata": {"x": 1}},
        headers=as_admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["id"] == created["id"]
    assert changed.json()["entities"][0]["value"] == "Rome"
    assert changed.json()["hash"] == hashlib.md5(b"weather in Rome").hexdigest()
    assert changed.json()["metadata"] == {"x": 1}
    assert texts(api, as_admin) == ["weather in Rome"]

    assert api.delete(f"{EXAMPLES}/{created['id']}", headers=as_admin).status_code == 204
    assert api.get(f"{EXAMPLES}/{created['id']}", headers=as_admin).status_code == 404
    assert api.delete(f"{EXAMPLES}/{created['id']}", headers=as_admin).status_code == 404
    assert texts(api, as_admin) == []


def test_posting_an_existing_text_replaces_that_example_with_a_200(api: TestClient, as_admin: Headers) -> None:
    first = add_example(api, as_admin, "hi", "greet")
    again = api.post(EXAMPLES, json={"text": "hi", "intent": "hello"}, headers=as_admin)
    assert again.status_code == 200, again.text
    assert again.json()["intent"] == "hello"
    assert again.json()["hash"] == first["hash"]
    listed = api.get(EXAMPLES, headers=as_admin)
    assert [(e["text"], e["intent"]) for e in listed.json()] == [("hi", "hello")]
    assert listed.headers["X-Total-Count"] == "1"


def test_the_annotation_names_the_caller_and_the_time(api: TestClient, as_admin: Headers) -> None:
    annotator = user_with_role(api, "annotator", "anna")
    before = time.time()
    created = add_example(api, annotator, "good morning", "greet")
    assert created["annotation"]["user"] == "anna"
    assert before - 1 <= created["annotation"]["time"] <= time.time() + 1
    changed = api.put(f"{EXAMPLES}/{created['id']}", json={"text": "morning", "intent": "greet"}, headers=as_admin)
    assert changed.json()["annotation"]["user"] == TEST_ADMIN[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["hello there", "hi", "is it raining in Paris", "weather in Berlin"]),
        ("?q=IN", ["is it raining in Paris", "weather in Berlin"]),
        ("?intent=greet,rain", ["hello there", "hi", "is it raining in Paris"]),
        ("?intent=greet&intent=weather", ["hello there", "hi", "weather in Berlin"]),
        ("?entity=city", ["is it raining in Paris", "weather in Berlin"]),
        ("?entity=person", []),
        ("?entities=true", ["is it raining in Paris", "weather in Berlin"]),
        ("?entities=false", ["hello there", "hi"]),
        ("?q=hi&intent=greet&entities=false", ["hi"]),
        ("?sorted=false&distinct=false", ["hello there", "hi", "is it raining in Paris", "weather in Berlin"]),
    ],
)
def test_filters_select_examples_sorted_by_intent_then_text(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]], query: str, expected: list[str]
) -> None:
    response = api.get(f"{EXAMPLES}{query}", headers=as_admin)
    assert response.status_code == 200, response.text
    assert [example["text"] for example in response.json()] == expected
    assert response.headers["X-Total-Count"] == str(len(expected))


def test_a_page_of_examples_says_the_total_in_x_total_count(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    response = api.get(f"{EXAMPLES}?limit=2&offset=1", headers=as_admin)
    assert [example["text"] for example in response.json()] == ["hi", "is it raining in Paris"]
    assert response.headers["X-Total-Count"] == "4"
    rain = response.json()[1]
    assert rain["entities"] == [
        {"start": 17, "end": 22, "entity": "city", "value": "paris", "role": "target"},
    ]


@pytest.mark.parametrize("query", ["?limit=0", "?limit=1001", "?offset=-1", "?entities=maybe", "?sorted=sometimes"])
def test_a_bad_list_parameter_is_a_400_naming_it(api: TestClient, as_admin: Headers, query: str) -> None:
    response = api.get(f"{EXAMPLES}{query}", headers=as_admin)
    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ([], "JSON object"),
        ({"intent": "greet"}, "text"),
        ({"text": "   ", "intent": "greet"}, "text"),
        ({"text": "x" * 10_001, "intent": "greet"}, "text"),
        ({"text": "hi", "intent": ""}, "intent"),
        ({"text": "hi", "intent": 3}, "intent"),
        ({"text": "hi", "intent": "greet", "entities": {"start": 0}}, "entities"),
        ({"text": "hi", "intent": "greet", "entities": ["city"]}, "entities[0]"),
        ({"text": "hi", "intent": "greet", "entities": [city(0, 3)]}, "entities[0]"),
        ({"text": "hi", "intent": "greet", "entities": [city(1, 1)]}, "entities[0]"),
        ({"text": "hi", "intent": "greet", "entities": [city(True, 2)]}, "entities[0]"),
        ({"text": "hi", "intent": "greet", "entities": [{"start": 0, "end": 2}]}, "entities[0].entity"),
        ({"text": "hi", "intent": "greet", "entities": [city(0, 2, value=7)]}, "entities[0].value"),
        ({"text": "hi", "intent": "greet", "entities": [city(0, 2, role=["a"])]}, "entities[0].role"),
        ({"text": "hi", "intent": "greet", "metadata": ["a"]}, "metadata"),
    ],
)
def test_a_bad_example_is_a_400_naming_the_field_and_stores_nothing(
    api: TestClient, as_admin: Headers, body: Any, named: str
) -> None:
    response = api.post(EXAMPLES, json=body, headers=as_admin)
    assert response.status_code == 400, response.text
    assert named in response.json()["message"]
    assert texts(api, as_admin) == []


def test_changing_an_example_to_another_examples_text_is_a_409(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    hi = weather_examples[1]
    response = api.put(f"{EXAMPLES}/{hi['id']}", json={"text": "hello there", "intent": "greet"}, headers=as_admin)
    assert response.status_code == 409, response.text
    bad = api.put(f"{EXAMPLES}/{hi['id']}", json={"text": "hi", "intent": "greet", "entities": 1}, headers=as_admin)
    assert bad.status_code == 400
    assert "entities" in bad.json()["message"]


@pytest.mark.parametrize("example_id", ["999", "abc", "9" * 25, "-1", "0123456789abcdef0123456789abcdef"])
def test_an_unknown_example_is_a_404(api: TestClient, as_admin: Headers, example_id: str) -> None:
    assert api.get(f"{EXAMPLES}/{example_id}", headers=as_admin).status_code == 404
    body = {"text": "hi", "intent": "greet"}
    assert api.put(f"{EXAMPLES}/{example_id}", json=body, headers=as_admin).status_code == 404
    assert api.delete(f"{EXAMPLES}/{example_id}", headers=as_admin).status_code == 404


def test_bulk_replace_leaves_exactly_the_given_examples(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    body = [
        {"text": "bye", "intent": "goodbye", "id": 12, "hash": "ignored"},
        {"text": "fly to Rome", "intent": "travel", "entities": [city(7, 11)]},
    ]
    response = api.put(EXAMPLES, json=body, headers=as_admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"example_count": 2}
    assert texts(api, as_admin) == ["bye", "fly to Rome"]
    assert get_json(api, as_admin, f"{EXAMPLES}?entity=city")[0]["entities"][0]["value"] == "Rome"

    bad = api.put(EXAMPLES, json=[{"text": "a", "intent": "x"}, {"text": "b"}], headers=as_admin)
    assert bad.status_code == 400
    assert "example 1: intent" in bad.json()["message"]
    assert api.put(EXAMPLES, json={"text": "a", "intent": "x"}, headers=as_admin).status_code == 400
    assert texts(api, as_admin) == ["bye", "fly to Rome"]


def test_bulk_delete_deletes_the_listed_examples_and_counts_them(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    ids = [weather_examples[0]["id"], weather_examples[2]["id"], 987654]
    response = api.request("DELETE", EXAMPLES, json={"ids": ids}, headers=as_admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"deleted_count": 2}
    assert texts(api, as_admin) == ["hi", "is it raining in Paris"]


@pytest.mark.parametrize(
    "body", [{}, {"ids": []}, {"ids": "1"}, {"ids": [True]}, {"ids": [-1]}, {"ids": [1.5]}, {"ids": list(range(1001))}]
)
def test_a_bad_bulk_delete_is_a_400_naming_ids(api: TestClient, as_admin: Headers, body: Any) -> None:
    response = api.request("DELETE", EXAMPLES, json=body, headers=as_admin)
    assert response.status_code == 400, response.text
    assert "ids" in response.json()["message"]


def test_saving_an_inbox_message_as_an_example_takes_it_out_of_the_inbox(api: TestClient, as_admin: Headers) -> None:
    logs = f"{PROJECT}/logs"
    assert api.post(f"{logs}?q=hello", headers=as_admin).status_code == 201
    assert api.post(f"{logs}?q=something else", headers=as_admin).status_code == 201

    response = api.post(EXAMPLES, json={"text": "hello", "intent": "greet"}, headers=as_admin)
    assert response.status_code == 201, response.text
    assert response.headers["X-Inbox-Messages-Removed"] == "1"
    inbox = get_json(api, as_admin, f"{logs}?exclude_training_data=false")
    assert [message["text"] for message in inbox] == ["something else"]


def test_intents_are_listed_with_counts_created_and_renamed_in_every_example(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    intents = f"{PROJECT}/intents"
    created = api.post(intents, json={"intent": "goodbye"}, headers=as_admin)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "intent": "goodbye",
        "example_count": 0,
        "is_temporary": False,
        "in_domain": True,
        "user_goal": None,
    }
    assert api.post(intents, json={"intent": "goodbye"}, headers=as_admin).status_code == 409
    listed = {intent["intent"]: intent for intent in get_json(api, as_admin, intents)}
    assert list(listed) == ["goodbye", "greet", "rain", "weather"]
    assert listed["greet"]["example_count"] == 2
    assert get_json(api, as_admin, f"{intents}?is_temporary=true") == []

    renamed = api.put(f"{intents}/greet", json={"intent": "hello"}, headers=as_admin)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["intent"] == "hello"
    assert renamed.json()["examples_renamed"] == 2
    assert renamed.json()["example_count"] == 2
    assert texts(api, as_admin, "?intent=hello") == ["hello there", "hi"]
    assert texts(api, as_admin, "?intent=greet") == []
    assert api.put(f"{intents}/nothing", json={"intent": "x"}, headers=as_admin).status_code == 404
    assert api.put(f"{intents}/hello", json={"name": "x"}, headers=as_admin).status_code == 400


def test_a_retrieval_intent_with_a_slash_is_renamed_by_its_path(api: TestClient, as_admin: Headers) -> None:
    add_example(api, as_admin, "what is your name", "faq/ask_name")
    response = api.put(f"{PROJECT}/intents/faq/ask_name", json={"intent": "faq/name"}, headers=as_admin)
    assert response.status_code == 200, response.text
    assert [e["intent"] for e in get_json(api, as_admin, EXAMPLES)] == ["faq/name"]


def test_deleting_an_intent_examples_use_is_a_409_unless_they_go_too(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    intents = f"{PROJECT}/intents"
    in_use = api.delete(f"{intents}/greet", headers=as_admin)
    assert in_use.status_code == 409, in_use.text
    assert texts(api, as_admin, "?intent=greet") == ["hello there", "hi"]

    deleted = api.delete(f"{intents}/greet?delete_examples=true", headers=as_admin)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"examples_deleted": 2}
    assert texts(api, as_admin, "?intent=greet") == []
    assert "greet" not in [intent["intent"] for intent in get_json(api, as_admin, intents)]

    assert api.post(intents, json={"intent": "unused"}, headers=as_admin).status_code == 201
    assert api.delete(f"{intents}/unused", headers=as_admin).json() == {"examples_deleted": 0}
    assert api.delete(f"{intents}/unused", headers=as_admin).status_code == 404
    assert api.delete(f"{intents}/rain?delete_examples=perhaps", headers=as_admin).status_code == 400


def test_user_goals_group_intents_and_are_deleted_without_them(api: TestClient, as_admin: Headers) -> None:
    goals, intents = f"{PROJECT}/userGoals", f"{PROJECT}/intents"
    for intent in ("greet", "goodbye"):
        assert api.post(intents, json={"intent": intent}, headers=as_admin).status_code == 201
    created = api.post(goals, json={"name": "small talk", "intents": ["greet", "goodbye"]}, headers=as_admin)
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "small talk"
    assert sorted(created.json()["intents"]) == ["goodbye", "greet"]
    empty = api.post(goals, json={"name": "later"}, headers=as_admin)
    assert empty.status_code == 201, empty.text
    assert empty.json() == {"name": "later", "intents": []}

    listed = {goal["name"]: goal for goal in get_json(api, as_admin, goals)}
    assert sorted(listed["small talk"]["intents"]) == ["goodbye", "greet"]
    by_intent = {intent["intent"]: intent["user_goal"] for intent in get_json(api, as_admin, intents)}
    assert by_intent == {"goodbye": "small talk", "greet": "small talk"}

    assert api.delete(f"{goals}/{quote('small talk')}", headers=as_admin).status_code == 204
    assert [goal["name"] for goal in get_json(api, as_admin, goals)] == ["later"]
    assert [i["user_goal"] for i in get_json(api, as_admin, intents)] == [None, None]
    assert api.delete(f"{goals}/{quote('small talk')}", headers=as_admin).status_code == 404
    assert api.post(goals, json={"name": "x", "intents": "greet"}, headers=as_admin).status_code == 400


def test_entities_are_listed_with_how_many_examples_annotate_them(
    api: TestClient, as_admin: Headers, weather_examples: list[dict[str, Any]]
) -> None:
    response = api.get(f"{PROJECT}/entities", headers=as_admin)
    assert response.status_code == 200, response.text
    [entity] = response.json()
    assert (entity["entity"], entity["example_count"]) == ("city", 2)
    assert isinstance(entity["in_domain"], bool)


def test_a_synonym_is_created_found_by_value_renamed_given_values_and_deleted(
    api: TestClient, as_admin: Headers
) -> None:
    synonyms = f"{PROJECT}/synonyms"
    add_example(api, as_admin, "fly to NYC", "travel", [city(7, 10)])
    created = api.post(
        synonyms, json={"synonym_reference": "New York", "mapped_values": ["NYC", "big apple"]}, headers=as_admin
    )
    assert created.status_code == 201, created.text
    synonym = created.json()
    assert synonym["synonym_reference"] == "New York"
    counts = {value["value"]: value["nlu_examples_count"] for value in synonym["mapped_values"]}
    assert counts == {"NYC": 1, "big apple": 0}
    path = f"{synonyms}/{synonym['id']}"

    assert get_json(api, as_admin, synonyms) == [synonym]
    assert get_json(api, as_admin, f"{synonyms}?mapped_value=NYC") == [synonym]
    assert get_json(api, as_admin, f"{synonyms}?mapped_value=LA") == []
    assert get_json(api, as_admin, path) == synonym

    renamed = api.put(path, json={"synonym_reference": "New York City"}, headers=as_admin)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["synonym_reference"] == "New York City"

    added = api.post(path, json={"mapped_values": ["the big apple"]}, headers=as_admin)
    assert added.status_code == 200, added.text
    values = {value["value"]: value["id"] for value in added.json()["mapped_values"]}
    assert set(values) == {"NYC", "big apple", "the big apple"}

    changed = api.put(f"{path}/{values['big apple']}", json={"value": "Big Apple"}, headers=as_admin)
    assert changed.status_code == 200, changed.text
    assert {value["value"] for value in changed.json()["mapped_values"]} == {"NYC", "Big Apple", "the big apple"}
    assert api.delete(f"{path}/{values['the big apple']}", headers=as_admin).status_code == 204
    assert len(get_json(api, as_admin, path)["mapped_values"]) == 2

    assert api.delete(path, headers=as_admin).status_code == 204
    assert api.get(path, headers=as_admin).status_code == 404
    assert get_json(api, as_admin, synonyms) == []


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"mapped_values": ["NYC"]}, "synonym_reference"),
        ({"synonym_reference": "New York"}, "mapped_values"),
        ({"synonym_reference": "New York", "mapped_values": []}, "mapped_values"),
        ({"synonym_reference": "New York", "mapped_values": ["NYC", ""]}, "mapped_values"),
    ],
)
def test_a_bad_synonym_is_a_400_naming_the_field(api: TestClient, as_admin: Headers, body: Any, named: str) -> None:
    response = api.post(f"{PROJECT}/synonyms", json=body, headers=as_admin)
    assert response.status_code == 400
    assert named in response.json()["message"]


def test_regexes_are_created_paged_changed_and_deleted(api: TestClient, as_admin: Headers) -> None:
    regexes = f"{PROJECT}/regexes"
    created = [
        api.post(regexes, json={"name": "zipcode", "pattern": pattern}, headers=as_admin)
        for pattern in ("[0-9]{5}", "\\d{4}")
    ]
    assert [response.status_code for response in created] == [201, 201]
    zipcode = created[0].json()
    assert zipcode == {"id": zipcode["id"], "name": "zipcode", "pattern": "[0-9]{5}"}

    page = api.get(f"{regexes}?limit=1", headers=as_admin)
    assert len(page.json()) == 1
    assert page.headers["X-Total-Count"] == "2"
    path = f"{regexes}/{zipcode['id']}"
    assert get_json(api, as_admin, path) == zipcode

    changed = api.put(path, json={"name": "postcode", "pattern": "[A-Z]{2}[0-9]"}, headers=as_admin)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"id": zipcode["id"], "name": "postcode", "pattern": "[A-Z]{2}[0-9]"}
    assert api.put(path, json={"name": "postcode"}, headers=as_admin).status_code == 400

    assert api.delete(path, headers=as_admin).status_code == 204
    assert api.get(path, headers=as_admin).status_code == 404
    assert api.get(regexes, headers=as_admin).headers["X-Total-Count"] == "1"


def test_a_pattern_that_does_not_compile_is_a_400_saying_why(api: TestClient, as_admin: Headers) -> None:
    response = api.post(f"{PROJECT}/regexes", json={"name": "broken", "pattern": "[0-9"}, headers=as_admin)
    assert response.status_code == 400
    assert "[0-9" in response.json()["message"] or "unterminated" in response.json()["message"]
    assert get_json(api, as_admin, f"{PROJECT}/regexes") == []


def test_lookup_tables_come_from_elements_or_a_file_and_are_deleted(api: TestClient, as_admin: Headers) -> None:
    tables = f"{PROJECT}/lookupTables"
    uploaded = api.post(tables, json={"filename": "cities.txt", "content": "Berlin\n\n  Paris \r\n"}, headers=as_admin)
    assert uploaded.status_code == 201, uploaded.text
    cities = uploaded.json()
    assert cities == {"id": cities["id"], "name": "cities", "elements": ["Berlin", "Paris"], "number_of_elements": 2}
    listed = api.post(tables, json={"name": "fruits", "elements": ["apple", "pear", "plum"]}, headers=as_admin)
    assert listed.status_code == 201, listed.text

    assert get_json(api, as_admin, tables) == [
        {"id": cities["id"], "name": "cities", "number_of_elements": 2},
        {"id": listed.json()["id"], "name": "fruits", "number_of_elements": 3},
    ]
    assert get_json(api, as_admin, f"{tables}/{cities['id']}") == cities
    assert api.post(tables, json={"name": "cities", "elements": ["Rome"]}, headers=as_admin).status_code == 409

    assert api.delete(f"{tables}/{cities['id']}", headers=as_admin).status_code == 204
    assert api.get(f"{tables}/{cities['id']}", headers=as_admin).status_code == 404
    assert api.delete(f"{tables}/{cities['id']}", headers=as_admin).status_code == 404


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"name": "cities"}, "elements"),
        ({"name": "cities", "elements": []}, "elements"),
        ({"elements": ["Rome"]}, "name"),
        ({"filename": "cities.txt"}, "content"),
        ({"filename": "cities.txt", "content": "\n  \n"}, "content"),
        ({"content": "Rome"}, "filename"),
    ],
)
def test_a_bad_lookup_table_is_a_400_naming_the_field(
    api: TestClient, as_admin: Headers, body: Any, named: str
) -> None:
    response = api.post(f"{PROJECT}/lookupTables", json=body, headers=as_admin)
    assert response.status_code == 400
    assert named in response.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "synonyms/abc",
        "synonyms/99999999999999999999",
        "regexes/-3",
        "lookupTables/1.5",
        "synonyms/123",
        "regexes/123",
        "lookupTables/123",
    ],
)
def test_an_unknown_or_malformed_id_is_a_404(api: TestClient, as_admin: Headers, path: str) -> None:
    assert api.get(f"{PROJECT}/{path}", headers=as_admin).status_code == 404
    assert api.delete(f"{PROJECT}/{path}", headers=as_admin).status_code == 404


@pytest.mark.parametrize("mapping", ["x", "123", "1" * 30])
def test_an_unknown_or_malformed_mapped_value_is_a_404(api: TestClient, as_admin: Headers, mapping: str) -> None:
    body = {"synonym_reference": "New York", "mapped_values": ["NYC"]}
    created = api.post(f"{PROJECT}/synonyms", json=body, headers=as_admin)
    assert created.status_code == 201, created.text
    synonym = created.json()
    path = f"{PROJECT}/synonyms/{synonym['id']}/{mapping}"
    assert api.put(path, json={"value": "LA"}, headers=as_admin).status_code == 404
    assert api.delete(path, headers=as_admin).status_code == 404


def populate(api: TestClient, headers: Headers) -> None:
    add_example(api, headers, "hello there", "greet")
    add_example(api, headers, "fly to NYC", "travel", [city(7, 10)])
    body = {"synonym_reference": "New York", "mapped_values": ["NYC"]}
    assert api.post(f"{PROJECT}/synonyms", json=body, headers=headers).status_code == 201
    body = {"name": "zipcode", "pattern": "[0-9]{5}"}
    assert api.post(f"{PROJECT}/regexes", json=body, headers=headers).status_code == 201
    body = {"name": "cities", "elements": ["Berlin", "Paris"]}
    assert api.post(f"{PROJECT}/lookupTables", json=body, headers=headers).status_code == 201


def test_training_data_as_json_is_rasas_nlu_json_format(api: TestClient, as_admin: Headers) -> None:
    populate(api, as_admin)
    response = api.get(f"{PROJECT}/training_data", headers={**as_admin, "Accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "rasa_nlu_data": {
            "common_examples": [
                {"text": "hello there", "intent": "greet", "entities": []},
                {
                    "text": "fly to NYC",
                    "intent": "travel",
                    "entities": [{"start": 7, "end": 10, "entity": "city", "value": "NYC"}],
                },
            ],
            "entity_synonyms": [{"value": "New York", "synonyms": ["NYC"]}],
            "regex_features": [{"name": "zipcode", "pattern": "[0-9]{5}"}],
            "lookup_tables": [{"name": "cities", "elements": ["Berlin", "Paris"]}],
        }
    }


@pytest.mark.parametrize("accept", [None, "application/x-yaml", "text/yaml"])
def test_training_data_is_a_rasa_3_nlu_yaml_file_by_default(api: TestClient, as_admin: Headers, accept: str) -> None:
    populate(api, as_admin)
    headers = as_admin if accept is None else {**as_admin, "Accept": accept}
    response = api.get(f"{PROJECT}/training_data", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-yaml"
    document = yaml.safe_load(response.text)
    assert document["version"] == "3.1"
    blocks = document["nlu"]
    intents = {block["intent"]: block["examples"] for block in blocks if "intent" in block}
    assert set(intents) == {"greet", "travel"}
    assert "hello there" in intents["greet"]
    assert "[NYC](city)" in intents["travel"]
    for kind, name in (("synonym", "New York"), ("regex", "zipcode"), ("lookup", "cities")):
        assert [block[kind] for block in blocks if kind in block] == [name]


def test_training_data_without_any_is_an_empty_nlu_file(api: TestClient, as_admin: Headers) -> None:
    response = api.get(f"{PROJECT}/training_data", headers=as_admin)
    assert response.status_code == 200, response.text
    document = yaml.safe_load(response.text)
    assert document["version"] == "3.1"
    assert not document.get("nlu")
    empty = api.get(f"{PROJECT}/training_data", headers={**as_admin, "Accept": "application/json"}).json()
    assert empty == {
        "rasa_nlu_data": {"common_examples": [], "entity_synonyms": [], "regex_features": [], "lookup_tables": []}
    }


def test_training_data_in_markdown_is_not_acceptable(api: TestClient, as_admin: Headers) -> None:
    response = api.get(f"{PROJECT}/training_data", headers={**as_admin, "Accept": "text/markdown"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "training_examples"),
        ("POST", "training_examples"),
        ("GET", "training_data"),
        ("GET", "intents"),
        ("GET", "userGoals"),
        ("GET", "entities"),
        ("GET", "synonyms"),
        ("GET", "regexes"),
        ("GET", "lookupTables"),
    ],
)
def test_a_project_other_than_default_is_a_404(api: TestClient, as_admin: Headers, method: str, path: str) -> None:
    response = api.request(
        method, f"/api/projects/other/{path}", json={"text": "hi", "intent": "greet"}, headers=as_admin
    )
    assert response.status_code == 404
    assert response.json()["reason"] == "ProjectNotFound"


def test_a_tester_can_neither_read_nor_change_training_data(api: TestClient) -> None:
    tester = user_with_role(api, "tester")
    assert api.get(EXAMPLES, headers=tester).status_code == 403
    assert api.post(EXAMPLES, json={"text": "hi", "intent": "greet"}, headers=tester).status_code == 403
