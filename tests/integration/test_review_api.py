"""The review API over HTTP: Rasa X's conversation filters, review status, tags, flags, corrections, exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from tests.gateway_app import Headers, gateway_client, user_with_role
from tests.storage import append, event, user


def action(sender: str, timestamp: float, name: str, confidence: float, policy: str = "policy_0_RulePolicy") -> dict:
    return event(sender, "action", timestamp, name=name, confidence=confidence, policy=policy)


def conversation_events() -> list[dict[str, Any]]:
    """Three conversations that differ in every way a filter can tell apart."""
    ana_greets = user("ana", 100.0, intent="greet", channel="rest", text="Hello there")
    ana_greets["parse_data"]["intent"]["confidence"] = 0.95
    ana_weather = user("ana", 102.0, intent="weather", channel="rest", text="weather in Berlin?")
    ana_weather["parse_data"]["entities"] = [{"entity": "city", "value": "berlin", "start": 11, "end": 17}]
    ana_weather["parse_data"]["intent"]["confidence"] = 0.9
    ben_bye = user("ben", 200.0, intent="goodbye", channel="socketio", text="bye")
    ben_bye["parse_data"]["intent"]["confidence"] = 0.4
    return [
        ana_greets,
        action("ana", 101.0, "utter_greet", 0.99),
        ana_weather,
        event("ana", "slot", 102.5, name="city", value="Berlin"),
        action("ana", 103.0, "utter_weather", 0.8, policy="policy_1_TEDPolicy"),
        event("ana", "bot", 103.5, text="Sunny"),
        ben_bye,
        action("ben", 201.0, "utter_goodbye", 0.3, policy="policy_1_TEDPolicy"),
        user("cy", 300.0, intent="greet", channel="rest", text="hi"),
    ]


@pytest.fixture
def api(sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    append(sessions, conversation_events())
    with gateway_client(sessions, tmp_path) as client:
        yield client


def senders(api: TestClient, headers: Headers, query: str = "") -> list[str]:
    response = api.get(f"/api/conversations{query}", headers=headers)
    assert response.status_code == 200, response.text
    listed = [item["sender_id"] for item in response.json()]
    assert int(response.headers["X-Total-Count"]) == len(listed)
    return listed


def item(api: TestClient, headers: Headers, sender: str) -> dict[str, Any]:
    return next(c for c in api.get("/api/conversations", headers=headers).json() if c["sender_id"] == sender)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["cy", "ben", "ana"]),
        ("?intent=weather,goodbye", ["ben", "ana"]),
        ("?entity=city", ["ana"]),
        ("?action=utter_goodbye", ["ben"]),
        ("?policies=policy_1_TEDPolicy", ["ben", "ana"]),
        ("?slots=city:berl", ["ana"]),
        ("?input_channels=socketio", ["ben"]),
        ("?text=BERLIN", ["ana"]),
        ("?minimumUserMessages=2", ["ana"]),
        ("?maximumConfidence=0.5", ["ben"]),
        ("?minimumConfidence=0.5", ["ana"]),
        ("?minimumNluConfidence=0.5", ["ana"]),
        ("?maximumNluConfidence=0.5", ["ben"]),
        ("?start=150&until=250", ["ben"]),
        ("?start=1970-01-01T00:02:30Z", ["cy", "ben"]),
        ("?review_status=unread", ["cy", "ben", "ana"]),
        ("?is_flagged=true", []),
        ("?rasa_environment=worker", []),
        ("?intent=greet&input_channels=rest&minimumUserMessages=2", ["ana"]),
        ("?sort_by_latest_event_time=false&sort_by_confidence=false", ["ana", "ben", "cy"]),
        ("?limit=1&offset=1", None),
    ],
)
def test_every_rasa_x_filter_parameter_selects_its_conversations(
    api: TestClient, as_admin: Headers, query: str, expected: list[str] | None
) -> None:
    response = api.get(f"/api/conversations{query}", headers=as_admin)
    assert response.status_code == 200, response.text
    listed = [c["sender_id"] for c in response.json()]
    if expected is None:  # paging: one item, the total still counts all
        assert listed == ["ben"]
        assert response.headers["X-Total-Count"] == "3"
    else:
        assert listed == expected
        assert response.headers["X-Total-Count"] == str(len(expected))


@pytest.mark.parametrize(
    "query",
    [
        "?minimumConfidence=2",
        "?review_status=done",
        "?slots=city",
        "?start=yesterday",
        "?tags_any=red",
        "?is_flagged=maybe",
        "?limit=-1",
        "?limit=5000",
    ],
)
def test_a_bad_filter_value_is_a_400_that_names_the_parameter(api: TestClient, as_admin: Headers, query: str) -> None:
    response = api.get(f"/api/conversations{query}", headers=as_admin)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "failure"
    assert query[1:].split("=")[0] in body["message"]


def test_list_items_have_rasa_x_fields(api: TestClient, as_admin: Headers) -> None:
    ana = item(api, as_admin, "ana")
    assert ana["n_user_messages"] == 2
    assert ana["n_bot_messages"] == 1
    assert ana["intents"] == ["greet", "weather"]
    assert ana["minimum_action_confidence"] == 0.8
    assert ana["review_status"] == "unread"
    assert ana["tags"] == []
    assert ana["corrected_messages"] == []
    assert ana["interactive"] is False


def test_one_conversation_is_answered_as_the_list_shows_it(api: TestClient, as_admin: Headers) -> None:
    api.put("/api/conversations/ben/reviewStatus", json={"review_status": "saved_for_later"}, headers=as_admin)
    one = api.get("/api/conversations/ben", headers=as_admin)
    assert one.status_code == 200
    assert one.json() == item(api, as_admin, "ben")
    assert one.json()["review_status"] == "saved_for_later"
    assert api.get("/api/conversations/nobody", headers=as_admin).status_code == 404
    assert api.get("/api/conversations/ben", headers=user_with_role(api, "annotator")).status_code == 403


def test_flagging_a_message_shows_in_tracker_list_and_filter(api: TestClient, as_admin: Headers) -> None:
    assert api.put("/api/conversations/ana/messages/102.0/flag", headers=as_admin).status_code == 201

    events = api.get("/api/conversations/ana/tracker", headers=as_admin).json()["events"]
    flagged = [e for e in events if e["is_flagged"]]
    assert [e["text"] for e in flagged] == ["weather in Berlin?"]
    assert flagged[0]["metadata"]["rasa_x_flagged"] is True
    assert item(api, as_admin, "ana")["has_flagged_messages"] is True
    assert senders(api, as_admin, "?is_flagged=true") == ["ana"]

    assert api.delete("/api/conversations/ana/messages/102.0/flag", headers=as_admin).status_code == 204
    assert senders(api, as_admin, "?is_flagged=true") == []


def test_flagging_a_timestamp_without_a_message_is_a_404(api: TestClient, as_admin: Headers) -> None:
    assert api.put("/api/conversations/ana/messages/999.0/flag", headers=as_admin).status_code == 404
    assert api.put("/api/conversations/ana/messages/noon/flag", headers=as_admin).status_code == 400
    assert api.put("/api/conversations/nobody/messages/1.0/flag", headers=as_admin).status_code == 404


def test_review_status_is_set_and_filtered_on(api: TestClient, as_admin: Headers) -> None:
    response = api.put("/api/conversations/ben/reviewStatus", json={"review_status": "reviewed"}, headers=as_admin)
    assert response.status_code == 204
    assert item(api, as_admin, "ben")["review_status"] == "reviewed"
    assert senders(api, as_admin, "?review_status=reviewed") == ["ben"]
    assert senders(api, as_admin, "?review_status=unread") == ["cy", "ana"]

    bad = api.put("/api/conversations/ben/reviewStatus", json={"review_status": "done"}, headers=as_admin)
    assert bad.status_code == 400
    assert api.put("/api/conversations/ben/reviewStatus", content=b"{", headers=as_admin).status_code == 400
    gone = api.put("/api/conversations/zed/reviewStatus", json={"review_status": "reviewed"}, headers=as_admin)
    assert gone.status_code == 404


def test_tags_are_created_on_assignment_listed_filtered_and_removed(api: TestClient, as_admin: Headers) -> None:
    created = api.post("/api/conversations/ana/tags", json=[{"value": "weather", "color": "00FF00"}], headers=as_admin)
    assert created.status_code == 201, created.text
    [tag] = created.json()
    assert tag["value"] == "weather"
    assert tag["color"] == "00ff00"
    reused = api.post("/api/conversations/ben/tags", json=[{"id": tag["id"]}], headers=as_admin)
    assert reused.json() == [tag]

    assert api.get("/api/conversations/ana/tags", headers=as_admin).json() == [tag]
    [listed] = api.get("/api/conversations/tags", headers=as_admin).json()
    assert sorted(listed["conversations"]) == ["ana", "ben"]
    assert senders(api, as_admin, f"?tags_any={tag['id']}") == ["ben", "ana"]
    assert item(api, as_admin, "ana")["tags"] == [tag["id"]]

    assert api.delete(f"/api/conversations/ana/tags/{tag['id']}", headers=as_admin).status_code == 204
    assert senders(api, as_admin, f"?tags_any={tag['id']}") == ["ben"]
    assert api.delete(f"/api/conversations/tags/{tag['id']}", headers=as_admin).status_code == 204
    assert api.get("/api/conversations/tags", headers=as_admin).json() == []


@pytest.mark.parametrize(
    "body",
    [[], {"value": "x", "color": "ffffff"}, [{"value": "x", "color": "white"}], [{"value": "", "color": "ffffff"}]],
)
def test_a_bad_tag_is_a_400_and_assigns_nothing(api: TestClient, as_admin: Headers, body: Any) -> None:
    response = api.post("/api/conversations/ana/tags", json=body, headers=as_admin)
    assert response.status_code == 400, response.text
    assert api.get("/api/conversations/tags", headers=as_admin).json() == []


def test_an_intent_correction_shows_in_the_list_and_the_story(api: TestClient, as_admin: Headers) -> None:
    response = api.put("/api/conversations/ben/messages/200.0/intent", json={"intent": "farewell"}, headers=as_admin)
    assert response.status_code == 204, response.text
    assert item(api, as_admin, "ben")["corrected_messages"] == [{"message_timestamp": 200.0, "intent": "farewell"}]

    story = api.get("/api/conversations/ben/tracker", headers={**as_admin, "Accept": "application/x-yaml"})
    assert story.status_code == 200
    assert story.headers["content-disposition"].startswith('attachment; filename="ben-story.yml"')
    steps = yaml.safe_load(story.text)["stories"][0]["steps"]
    assert steps == [{"intent": "farewell"}, {"action": "utter_goodbye"}]

    assert api.delete("/api/conversations/ben/messages/200.0/intent", headers=as_admin).status_code == 204
    assert item(api, as_admin, "ben")["corrected_messages"] == []
    assert api.put("/api/conversations/ben/messages/200.0/intent", json={}, headers=as_admin).status_code == 400


def test_json_dump_export_is_the_tracker_as_an_attachment(api: TestClient, as_admin: Headers) -> None:
    response = api.get("/api/conversations/ana/tracker", headers={**as_admin, "Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="ana-dump.json"')
    assert response.json()["slots"] == {"city": "Berlin"}
    markdown = api.get("/api/conversations/ana/tracker", headers={**as_admin, "Accept": "text/markdown"})
    assert markdown.status_code == 406


def test_messages_lists_user_and_bot_messages_with_their_data(api: TestClient, as_admin: Headers) -> None:
    body = api.get("/api/conversations/ana/messages", headers=as_admin).json()
    assert [m.get("text") for m in body["messages"]] == ["Hello there", "weather in Berlin?", "Sunny"]
    assert [m["type"] for m in body["messages"]] == ["user", "user", "bot"]
    assert body["messages"][1]["data"]["entities"][0]["value"] == "berlin"
    assert len(body["events"]) == 6


def test_bulk_export_streams_one_json_line_per_matching_conversation(api: TestClient, as_admin: Headers) -> None:
    response = api.get("/api/conversations/export?intent=greet", headers=as_admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["sender_id"] for line in lines] == ["cy", "ana"]
    assert [len(line["events"]) for line in lines] == [1, 6]
    assert lines[1]["conversation"]["n_user_messages"] == 2


def test_deleting_a_conversation_removes_it_and_its_inbox_messages(api: TestClient, as_admin: Headers) -> None:
    assert api.delete("/api/conversations/ben", headers=as_admin).status_code == 204
    assert senders(api, as_admin) == ["cy", "ana"]
    assert api.get("/api/conversations/ben/tracker", headers=as_admin).status_code == 404
    inbox = api.get("/api/projects/default/logs", headers=as_admin).json()
    assert "bye" not in [message["text"] for message in inbox]
    assert api.delete("/api/conversations/ben", headers=as_admin).status_code == 404


def test_statistics_count_messages_and_rank_what_occurs_in_most_conversations(
    api: TestClient, as_admin: Headers
) -> None:
    stats = api.get("/api/statistics", headers=as_admin).json()
    assert stats["user_messages"] == 4
    assert stats["bot_messages"] == 1
    assert stats["conversations"] == 3
    assert stats["top_intents"][0] == {"intent": "greet", "count": 2}
    assert {"policy": "policy_1_TEDPolicy", "count": 2} in stats["top_policies"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/conversationIntents", ["goodbye", "greet", "weather"]),
        ("/api/conversationActions", ["utter_goodbye", "utter_greet", "utter_weather"]),
        ("/api/conversationEntities", ["city"]),
        ("/api/conversationPolicies", ["policy_0_RulePolicy", "policy_1_TEDPolicy"]),
        ("/api/conversations/slotNames", ["city"]),
        ("/api/conversations/slotValues?slot=city", ["Berlin"]),
        ("/api/conversations/inputChannels", ["rest", "socketio"]),
        ("/api/conversationIntents?q=GR", ["greet"]),
    ],
)
def test_filter_options_list_distinct_values(api: TestClient, as_admin: Headers, path: str, expected: list) -> None:
    response = api.get(path, headers=as_admin)
    assert response.status_code == 200, response.text
    assert response.json() == expected


def test_slot_values_need_the_slot_name(api: TestClient, as_admin: Headers) -> None:
    assert api.get("/api/conversations/slotValues", headers=as_admin).status_code == 400


def test_sender_ids_with_slashes_and_unicode_work_in_every_path(
    sessions: sessionmaker[Session], api: TestClient, as_admin: Headers
) -> None:
    sender = "user with spaces/ünïcode"
    append(sessions, [user(sender, 400.0, text="hola")])
    path = f"/api/conversations/{quote(sender, safe='')}"
    assert api.get(f"{path}/tracker", headers=as_admin).json()["sender_id"] == sender
    assert api.put(f"{path}/messages/400.0/flag", headers=as_admin).status_code == 201
    assert api.put(f"{path}/reviewStatus", json={"review_status": "reviewed"}, headers=as_admin).status_code == 204
    assert api.delete(path, headers=as_admin).status_code == 204


def test_exports_of_conversations_with_any_sender_id_name_the_file_safely(
    sessions: sessionmaker[Session], api: TestClient, as_admin: Headers
) -> None:
    sender = '会話/"quoted"'
    append(sessions, [user(sender, 500.0, text="你好")])
    response = api.get(
        f"/api/conversations/{quote(sender, safe='')}/tracker", headers={**as_admin, "Accept": "application/json"}
    )
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"____quoted_-dump.json\"; filename*=UTF-8''")
    assert disposition.endswith(quote(f"{sender}-dump.json", safe=""))


def test_without_the_list_permission_a_user_sees_only_conversations_they_created(api: TestClient) -> None:
    annotator = user_with_role(api, "annotator")
    assert senders(api, annotator) == []
    response = api.get("/api/conversations/ana/tracker", headers=annotator)
    assert response.status_code == 403
