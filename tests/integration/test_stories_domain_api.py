"""Stories, rules, test stories, responses, the domain, actions, config and project import/export over HTTP."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from tests.gateway_app import Headers, gateway_client, user_with_role
from tests.storage import append, event, user

PROJECT = Path("/work/shared/fixtures/rasa-3.6.21/project")
KINDS = [("stories", "story", "stories"), ("rules", "rule", "rules"), ("test_stories", "story", "stories")]
YAML = {"Content-Type": "application/x-yaml"}


def conversation_events() -> list[dict[str, Any]]:
    """ana greets, then asks for the weather in Berlin (a located entity); the bot answers each."""
    weather = user("ana", 102.0, intent="weather", text="weather in Berlin?")
    weather["parse_data"]["entities"] = [{"entity": "city", "value": "Berlin", "start": 11, "end": 17}]
    return [
        user("ana", 100.0, intent="greet", text="Hello there"),
        event("ana", "action", 101.0, name="utter_greet"),
        event("ana", "action", 101.5, name="action_listen"),
        weather,
        event("ana", "slot", 102.5, name="city", value="Berlin"),
        event("ana", "action", 103.0, name="utter_weather"),
    ]


@pytest.fixture
def api(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    append(sqlite_sessions, conversation_events())
    with gateway_client(sqlite_sessions, tmp_path) as client:
        yield client


def blocks(key: str, *names: str) -> str:
    """A Rasa 3 file with one block per name, each greeting once."""
    body = "".join(f"- {key}: {name}\n  steps:\n  - intent: greet\n  - action: utter_greet\n" for name in names)
    return f'version: "3.1"\n{"stories" if key == "story" else "rules"}:\n{body}'


def names(api: TestClient, headers: Headers, plural: str) -> list[str]:
    response = api.get(f"/api/{plural}", headers=headers)
    assert response.status_code == 200, response.text
    assert int(response.headers["X-Total-Count"]) == len(response.json())
    return [item["name"] for item in response.json()]


@pytest.mark.parametrize(("plural", "key", "file_key"), KINDS)
def test_each_kind_is_created_read_updated_and_deleted(
    api: TestClient, as_admin: Headers, plural: str, key: str, file_key: str
) -> None:
    block_key = "rule" if plural == "rules" else "story"
    created = api.post(f"/api/{plural}", content=blocks(block_key, "first", "second"), headers={**as_admin, **YAML})
    assert created.status_code == 201, created.text
    first, second = created.json()
    assert (first["name"], second["name"]) == ("first", "second")
    assert first["is_rule"] == (plural == "rules")
    assert first["annotation"]["user"] == "admin"
    assert yaml.safe_load(first["story"])[0][block_key] == "first"

    fetched = api.get(f"/api/{plural}/{first['id']}", headers=as_admin)
    assert fetched.status_code == 200, fetched.text
    assert fetched.json() == first

    changed = f"- {block_key}: renamed\n  steps:\n  - intent: goodbye\n  - action: utter_goodbye\n"
    updated = api.put(f"/api/{plural}/{first['id']}", content=changed, headers={**as_admin, **YAML})
    assert updated.status_code == 200, updated.text
    assert updated.json()["name"] == "renamed"
    assert names(api, as_admin, plural) == ["renamed", "second"]

    deleted = api.delete(f"/api/{plural}/{first['id']}", headers=as_admin)
    assert deleted.status_code == 204, deleted.text
    assert api.get(f"/api/{plural}/{first['id']}", headers=as_admin).status_code == 404
    assert names(api, as_admin, plural) == ["second"]


def test_a_story_is_not_found_among_rules_nor_deleted_through_them(api: TestClient, as_admin: Headers) -> None:
    [story] = api.post("/api/stories", content=blocks("story", "only"), headers={**as_admin, **YAML}).json()

    assert api.get(f"/api/rules/{story['id']}", headers=as_admin).status_code == 404
    assert api.delete(f"/api/rules/{story['id']}", headers=as_admin).status_code == 404
    bulk = api.request("DELETE", "/api/rules", json={"ids": [story["id"]]}, headers=as_admin)
    assert bulk.json() == {"deleted_count": 0}
    assert names(api, as_admin, "stories") == ["only"]


def test_a_json_body_carries_the_yaml_as_story(api: TestClient, as_admin: Headers) -> None:
    created = api.post("/api/rules", json={"story": blocks("rule", "json rule")}, headers=as_admin)

    assert created.status_code == 201, created.text
    assert [rule["name"] for rule in created.json()] == ["json rule"]


def test_yaml_accept_answers_a_whole_rasa_file_of_the_kind(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/rules", content=blocks("rule", "one", "two"), headers={**as_admin, **YAML})

    response = api.get("/api/rules", headers={**as_admin, "Accept": "application/x-yaml"})
    empty = api.get("/api/stories", headers={**as_admin, "Accept": "text/yaml"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-yaml")
    assert response.headers["X-Total-Count"] == "2"
    document = yaml.safe_load(response.text)
    assert document["version"] == "3.1"
    assert [rule["rule"] for rule in document["rules"]] == ["one", "two"]
    assert yaml.safe_load(empty.text) == {"version": "3.1", "stories": []}


def test_listing_filters_by_text_and_ids_and_pages(api: TestClient, as_admin: Headers) -> None:
    created = api.post("/api/stories", content=blocks("story", "alpha", "beta", "gamma"), headers={**as_admin, **YAML})
    ids = [story["id"] for story in created.json()]

    by_text = api.get("/api/stories?q=BET", headers=as_admin).json()
    by_ids = api.get(f"/api/stories?id={ids[0]},{ids[2]}", headers=as_admin).json()
    page = api.get("/api/stories?limit=1&offset=1", headers=as_admin)

    assert [story["name"] for story in by_text] == ["beta"]
    assert [story["name"] for story in by_ids] == ["alpha", "gamma"]
    assert [story["name"] for story in page.json()] == ["beta"]
    assert page.headers["X-Total-Count"] == "3"
    assert api.get("/api/stories?id=abc", headers=as_admin).status_code == 400


def test_bulk_replace_keeps_only_the_new_blocks_and_bulk_delete_counts(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/stories", content=blocks("story", "old"), headers={**as_admin, **YAML})

    replaced = api.put("/api/stories", content=blocks("story", "new 1", "new 2"), headers={**as_admin, **YAML})
    assert replaced.status_code == 200, replaced.text
    assert names(api, as_admin, "stories") == ["new 1", "new 2"]

    ids = [story["id"] for story in replaced.json()]
    deleted = api.request("DELETE", "/api/stories", json={"ids": [*ids, 999_999]}, headers=as_admin)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"deleted_count": 2}
    assert names(api, as_admin, "stories") == []
    assert api.request("DELETE", "/api/stories", json={"ids": ["x"]}, headers=as_admin).status_code == 400


def test_bad_yaml_is_a_400_naming_the_line_and_stores_nothing(api: TestClient, as_admin: Headers) -> None:
    broken = 'version: "3.1"\nstories:\n- story: broken\n  steps:\n  - intent: greet\n   - action: utter_greet\n'

    response = api.post("/api/stories", content=broken, headers={**as_admin, **YAML})

    assert response.status_code == 400, response.text
    assert "line 6" in response.json()["message"]
    assert names(api, as_admin, "stories") == []
    assert api.post("/api/stories", content=b"", headers={**as_admin, **YAML}).status_code == 400


def test_a_conversation_is_saved_as_a_story_with_the_reviewers_correction(api: TestClient, as_admin: Headers) -> None:
    corrected = api.put("/api/conversations/ana/messages/100.0/intent", json={"intent": "hello"}, headers=as_admin)
    assert corrected.status_code == 204, corrected.text

    response = api.post("/api/conversations/ana/stories", json={"name": "ana's weather"}, headers=as_admin)

    assert response.status_code == 201, response.text
    story = response.json()
    assert story["name"] == "ana's weather"
    assert yaml.safe_load(story["story"])[0]["steps"] == [
        {"intent": "hello"},
        {"action": "utter_greet"},
        {"intent": "weather", "entities": [{"city": "Berlin"}]},
        {"slot_was_set": [{"city": "Berlin"}]},
        {"action": "utter_weather"},
    ]
    assert names(api, as_admin, "stories") == ["ana's weather"]


def test_a_conversation_is_saved_as_an_end_to_end_test_story_named_by_its_sender(
    api: TestClient, as_admin: Headers
) -> None:
    response = api.post("/api/conversations/ana/test_stories", headers=as_admin)

    assert response.status_code == 201, response.text
    story = response.json()
    assert story["name"] == "ana"
    steps = yaml.safe_load(story["story"])[0]["steps"]
    assert steps[0] == {"user": "Hello there", "intent": "greet"}
    assert steps[2] == {"user": "weather in [Berlin](city)?", "intent": "weather"}
    assert names(api, as_admin, "test_stories") == ["ana"]
    assert names(api, as_admin, "stories") == []


def test_saving_a_conversation_needs_access_to_it_and_it_must_exist(api: TestClient, as_admin: Headers) -> None:
    annotator = user_with_role(api, "annotator")

    assert api.post("/api/conversations/ana/stories", headers=annotator).status_code == 403
    assert api.post("/api/conversations/nobody/stories", headers=as_admin).status_code == 404
    assert api.post("/api/conversations/ana/stories", json={"name": " "}, headers=as_admin).status_code == 400


def test_an_annotator_edits_stories_and_responses_but_not_the_domain(api: TestClient) -> None:
    annotator = user_with_role(api, "annotator")

    story = api.post("/api/stories", content=blocks("story", "by annotator"), headers={**annotator, **YAML})
    response = api.post("/api/responses", json={"response_name": "utter_hi", "text": "Hi"}, headers=annotator)
    domain = api.put("/api/domain", content="intents:\n- greet\n", headers={**annotator, **YAML})

    assert story.status_code == 201, story.text
    assert story.json()[0]["annotation"]["user"] == "annotator-user"
    assert response.status_code == 201, response.text
    assert domain.status_code == 403


def test_responses_keep_buttons_images_custom_payloads_and_channels(api: TestClient, as_admin: Headers) -> None:
    variations = [
        {
            "response_name": "utter_ask",
            "text": "Pick one",
            "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
        },
        {"response_name": "utter_ask", "text": "Pick one (web)", "channel": "socketio"},
        {"response_name": "utter_cat", "image": "https://example.org/cat.png"},
        {"response_name": "utter_card", "custom": {"card": {"title": "t"}}},
    ]
    created = [api.post("/api/responses", json=variation, headers=as_admin) for variation in variations]
    assert [answer.status_code for answer in created] == [201] * 4, [answer.text for answer in created]

    listed = api.get("/api/responses?response_name=utter_ask", headers=as_admin)

    assert listed.headers["X-Total-Count"] == "2"
    first, web = listed.json()
    assert first["buttons"] == variations[0]["buttons"]
    assert web["channel"] == "socketio"
    assert first["annotation"]["user"] == "admin"
    items = {item["response_name"]: item for item in api.get("/api/responses", headers=as_admin).json()}
    assert items["utter_cat"]["image"] == "https://example.org/cat.png"
    assert items["utter_card"]["custom"] == {"card": {"title": "t"}}
    assert [item["id"] for item in api.get("/api/responses?q=web", headers=as_admin).json()] == [web["id"]]


@pytest.mark.parametrize(
    "variation",
    [
        {"response_name": "utter_x", "channel": "socketio"},
        {"response_name": "utter_x", "buttons": [{"title": "Yes"}]},
        {"response_name": "utter_x", "text": 3},
        {"response_name": "utter_x", "text": "hi", "channel": ["a"]},
        {"response_name": "", "text": "hi"},
        {"text": "hi"},
    ],
)
def test_a_variation_rasa_cannot_send_is_a_400(api: TestClient, as_admin: Headers, variation: dict) -> None:
    response = api.post("/api/responses", json=variation, headers=as_admin)

    assert response.status_code == 400, response.text
    assert api.get("/api/responses", headers=as_admin).json() == []


def test_one_response_is_replaced_and_deleted_by_id(api: TestClient, as_admin: Headers) -> None:
    created = api.post("/api/responses", json={"response_name": "utter_hi", "text": "Hi"}, headers=as_admin).json()

    updated = api.put(
        f"/api/responses/{created['id']}", json={"response_name": "utter_hi", "text": "Hello!"}, headers=as_admin
    )
    assert updated.status_code == 200, updated.text
    assert (updated.json()["id"], updated.json()["text"]) == (created["id"], "Hello!")

    assert api.delete(f"/api/responses/{created['id']}", headers=as_admin).status_code == 204
    assert api.delete(f"/api/responses/{created['id']}", headers=as_admin).status_code == 404
    assert api.get("/api/responses", headers=as_admin).json() == []


def test_responses_are_replaced_in_bulk_and_deleted_in_bulk(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/responses", json={"response_name": "utter_old", "text": "old"}, headers=as_admin)
    replacement = [
        {"response_name": "utter_a", "text": "a"},
        {"response_name": "utter_b", "text": "b 1"},
        {"response_name": "utter_b", "text": "b 2"},
    ]

    replaced = api.put("/api/responses", json=replacement, headers=as_admin)

    assert replaced.status_code == 200, replaced.text
    assert replaced.json() == {"response_count": 3}
    listed = api.get("/api/responses", headers=as_admin).json()
    assert sorted(item["text"] for item in listed) == ["a", "b 1", "b 2"]
    ids = [item["id"] for item in listed if item["response_name"] == "utter_b"]
    deleted = api.request("DELETE", "/api/responses", json={"ids": ids}, headers=as_admin)
    assert deleted.json() == {"deleted_count": 2}
    assert [item["response_name"] for item in api.get("/api/responses", headers=as_admin).json()] == ["utter_a"]


def test_a_response_group_is_listed_and_renamed(api: TestClient, as_admin: Headers) -> None:
    for text in ("Hi", "Hello"):
        api.post("/api/responses", json={"response_name": "utter_greet", "text": text}, headers=as_admin)
    api.post("/api/responses", json={"response_name": "utter_bye", "text": "Bye"}, headers=as_admin)

    groups = api.get("/api/responseGroups?q=greet", headers=as_admin)
    renamed = api.put("/api/responseGroups/utter_greet", json={"name": "utter_hello"}, headers=as_admin)

    assert groups.json() == [{"name": "utter_greet", "variation_count": 2}]
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {"name": "utter_hello", "variation_count": 2}
    names_now = {item["response_name"] for item in api.get("/api/responses", headers=as_admin).json()}
    assert names_now == {"utter_hello", "utter_bye"}
    missing = api.put("/api/responseGroups/utter_nothing", json={"name": "utter_x"}, headers=as_admin)
    assert missing.status_code == 404


def test_the_domain_round_trips_as_yaml_and_reads_as_json(api: TestClient, as_admin: Headers) -> None:
    domain = (PROJECT / "domain.yml").read_text()

    stored = api.put("/api/domain?store_responses=true", content=domain, headers={**as_admin, **YAML})
    as_yaml = api.get("/api/domain", headers=as_admin)
    as_json = api.get("/api/domain", headers={**as_admin, "Accept": "application/json"})

    assert stored.status_code == 200, stored.text
    assert stored.headers["content-type"].startswith("application/x-yaml")
    expected = yaml.safe_load(domain)
    assert yaml.safe_load(as_yaml.text)["intents"] == expected["intents"]
    assert as_json.json()["intents"] == expected["intents"]
    assert as_json.json()["responses"]["utter_greet"] == expected["responses"]["utter_greet"]
    names_stored = {item["response_name"] for item in api.get("/api/responses", headers=as_admin).json()}
    assert names_stored == set(expected["responses"])


def test_the_domain_is_replaced_from_a_json_body_and_bad_yaml_is_a_400_naming_the_line(
    api: TestClient, as_admin: Headers
) -> None:
    stored = api.put("/api/domain", json={"domain": "intents:\n- greet\n- goodbye\n"}, headers=as_admin)
    assert stored.status_code == 200, stored.text

    broken = api.put("/api/domain", content="intents:\n- greet\n  bad: [\n", headers={**as_admin, **YAML})

    assert broken.status_code == 400, broken.text
    assert "line" in broken.json()["message"]
    assert yaml.safe_load(api.get("/api/domain", headers=as_admin).text)["intents"] == ["greet", "goodbye"]


def test_custom_actions_are_added_listed_renamed_and_removed(api: TestClient, as_admin: Headers) -> None:
    actions = "/api/projects/default/actions"

    created = api.post(actions, json={"name": "action_check_weather"}, headers=as_admin)
    assert created.status_code == 201, created.text
    action = created.json()
    assert (action["name"], action["is_form"]) == ("action_check_weather", False)
    assert api.post(actions, json={"name": "action_check_weather"}, headers=as_admin).status_code == 409

    renamed = api.put(f"{actions}/{action['id']}", json={"name": "action_weather"}, headers=as_admin)
    assert renamed.status_code == 200, renamed.text
    assert [item["name"] for item in api.get(actions, headers=as_admin).json()] == ["action_weather"]

    assert api.delete(f"{actions}/{action['id']}", headers=as_admin).status_code == 204
    assert api.get(actions, headers=as_admin).json() == []
    assert api.get("/api/projects/other/actions", headers=as_admin).status_code == 404


def test_the_model_configuration_round_trips_with_its_comments(api: TestClient, as_admin: Headers) -> None:
    config = "# tuned for speed\n" + (PROJECT / "config.yml").read_text()
    settings = "/api/projects/default/settings"

    stored = api.put(settings, json={"config": config}, headers=as_admin)
    as_yaml = api.get(settings, headers={**as_admin, "Accept": "application/x-yaml"})
    from_yaml = api.put(settings, content=config.replace("en", "de"), headers={**as_admin, **YAML})

    assert stored.status_code == 200, stored.text
    assert stored.json() == {"config": config}
    assert as_yaml.text == config
    assert from_yaml.json()["config"].startswith("# tuned for speed\n")
    assert yaml.safe_load(from_yaml.json()["config"])["language"] == "de"
    assert api.put(settings, content="pipeline: [\n", headers={**as_admin, **YAML}).status_code == 400


def project_files() -> list[tuple[str, tuple[str, bytes, str]]]:
    """The fixture project as multipart file parts, each named by its path in the project."""
    return [
        ("files", (str(file.relative_to(PROJECT)), file.read_bytes(), "application/x-yaml"))
        for file in sorted(PROJECT.rglob("*.yml"))
    ]


def test_a_rasa_project_is_merged_then_replaced(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/stories", content=blocks("story", "my own"), headers={**as_admin, **YAML})
    rules = yaml.safe_load((PROJECT / "data" / "rules.yml").read_text())["rules"]

    merged = api.post("/api/projects/default/import", files=project_files(), headers=as_admin)

    assert merged.status_code == 200, merged.text
    assert merged.json()["mode"] == "merge"
    summary = merged.json()["summary"]
    assert (summary["stories"], summary["rules"], summary["domain"], summary["config"]) == (3, len(rules), True, True)
    assert summary["examples"] > 0
    assert summary["responses"] > 0
    assert len(names(api, as_admin, "stories")) == 4

    replaced = api.post("/api/projects/default/import?mode=replace", files=project_files(), headers=as_admin)

    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["mode"] == "replace"
    assert sorted(names(api, as_admin, "stories")) == ["happy path", "sad path 1", "sad path 2"]
    assert len(names(api, as_admin, "rules")) == len(rules)


def test_the_export_zips_every_project_file_with_the_fingerprint_as_etag(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/projects/default/import", files=project_files(), headers=as_admin)

    exported = api.get("/api/projects/default/export", headers=as_admin)
    listed = api.get("/api/projects/default/export", headers={**as_admin, "Accept": "application/json"})

    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == "application/zip"
    assert 'filename="project.zip"' in exported.headers["content-disposition"]
    assert exported.headers["ETag"] == f'"{listed.json()["fingerprint"]}"'
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        zipped = {name: archive.read(name).decode() for name in archive.namelist()}
    assert zipped == {file["path"]: file["content"] for file in listed.json()["files"]}
    assert {"config.yml", "domain.yml"} <= set(zipped)
    everything = yaml.safe_load(zipped["domain.yml"])
    assert "utter_greet" in everything["responses"]
    assert any("happy path" in content for content in zipped.values())


def test_one_yaml_file_is_imported_from_the_body_with_its_path(api: TestClient, as_admin: Headers) -> None:
    stories = (PROJECT / "data" / "stories.yml").read_bytes()

    response = api.post("/api/projects/default/import?path=data/stories.yml", content=stories, headers=as_admin)

    assert response.status_code == 200, response.text
    assert response.json()["summary"]["stories"] == 3
    assert api.post("/api/projects/default/import", content=stories, headers=as_admin).status_code == 400


def test_an_import_with_an_unreadable_file_names_it_and_changes_nothing(api: TestClient, as_admin: Headers) -> None:
    api.post("/api/projects/default/import", files=project_files(), headers=as_admin)
    before = api.get("/api/projects/default/export", headers=as_admin).headers["ETag"]
    broken = ("files", ("data/more.yml", b'version: "3.1"\nstories:\n- story: x\n  steps: [\n', "application/x-yaml"))

    response = api.post("/api/projects/default/import?mode=replace", files=[*project_files(), broken], headers=as_admin)

    assert response.status_code == 400, response.text
    assert "data/more.yml" in response.json()["message"]
    assert "line" in response.json()["message"]
    assert api.get("/api/projects/default/export", headers=as_admin).headers["ETag"] == before


@pytest.mark.parametrize("filename", ["/etc/passwd", "../outside.yml", "data/../../x.yml", "C:\\data\\nlu.yml"])
def test_an_import_path_outside_the_project_is_a_400(api: TestClient, as_admin: Headers, filename: str) -> None:
    files = [("files", (filename, b"version: '3.1'\n", "application/x-yaml"))]

    response = api.post("/api/projects/default/import", files=files, headers=as_admin)

    assert response.status_code == 400, response.text
    assert "not a path inside the project" in response.json()["message"]


def test_an_import_of_too_many_or_too_large_files_is_refused(api: TestClient, as_admin: Headers) -> None:
    many = [("files", (f"data/nlu_{n}.yml", b"version: '3.1'\n", "application/x-yaml")) for n in range(201)]
    too_many = api.post("/api/projects/default/import", files=many, headers=as_admin)

    assert too_many.status_code == 400, too_many.text
    assert "200 files" in too_many.json()["message"]
    # Over the limit, and under it but over what one message to storage holds.
    for size in (20_000_001, 17_000_000):
        large = [("files", ("data/nlu.yml", b"#" * size, "application/x-yaml"))]
        too_large = api.post("/api/projects/default/import", files=large, headers=as_admin)
        assert too_large.status_code == 413, too_large.text
        assert too_large.json()["reason"] == "ImportTooLarge"
