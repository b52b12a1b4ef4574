"""A conversation exported as a Rasa 3.x story: the steps Rasa's own story format would have."""

from __future__ import annotations

from typing import Any

import yaml

from gateway.story import end_to_end_story_yaml, story_yaml


def test_recorded_conversation_becomes_the_story_a_person_would_write(
    expected_events_by_sender: dict[str, list[dict[str, Any]]],
) -> None:
    document = yaml.safe_load(story_yaml("alice", expected_events_by_sender["alice"]))

    assert document["version"] == "3.1"
    [story] = document["stories"]
    assert story["story"] == "alice"
    assert story["steps"] == [
        {"intent": "greet"},
        {"action": "utter_greet"},
        {"intent": "weather", "entities": [{"city": "berlin"}]},
        {"slot_was_set": [{"city": "berlin"}]},
        {"action": "utter_weather"},
        {"intent": "mood_unhappy"},
        {"action": "utter_cheer_up"},
        {"action": "utter_did_that_help"},
        {"intent": "affirm"},
        {"action": "utter_happy"},
        {"intent": "goodbye"},
        {"action": "utter_goodbye"},
    ]


def test_a_reviewers_intent_correction_wins_over_the_prediction(
    expected_events_by_sender: dict[str, list[dict[str, Any]]],
) -> None:
    events = expected_events_by_sender["alice"]
    greet = next(e for e in events if e["event"] == "user")

    steps = yaml.safe_load(story_yaml("alice", events, {greet["timestamp"]: "hello"}))["stories"][0]["steps"]

    assert steps[0] == {"intent": "hello"}


def test_loops_and_unicode_names_survive(expected_events_by_sender: dict[str, list[dict[str, Any]]]) -> None:
    text = story_yaml("user with spaces/ünïcode", expected_events_by_sender["erin"])
    story = yaml.safe_load(text)["stories"][0]

    assert story["story"] == "user with spaces/ünïcode"
    assert {"active_loop": "restaurant_form"} in story["steps"]
    assert {"active_loop": None} in story["steps"]
    assert "ünïcode" in text  # written as text, not escaped


def test_a_test_story_keeps_each_user_message_with_its_entities_marked_and_its_intent() -> None:
    events = [
        {
            "event": "user",
            "timestamp": 1.0,
            "text": "weather in Berlin?",
            "parse_data": {
                "intent": {"name": "weather"},
                "entities": [{"entity": "city", "value": "Berlin", "start": 11, "end": 17}],
            },
        },
        {"event": "action", "timestamp": 1.5, "name": "action_listen"},
        {"event": "action", "timestamp": 2.0, "name": "utter_weather"},
    ]

    text = end_to_end_story_yaml("weather", events)
    story = yaml.safe_load(text)["stories"][0]

    assert story["story"] == "weather"
    assert story["steps"] == [
        {"user": "weather in [Berlin](city)?", "intent": "weather"},
        {"action": "utter_weather"},
    ]
    assert "- user: |" in text  # the literal block Rasa's own test stories use


def test_a_test_story_marks_a_value_that_differs_from_the_text_and_skips_entities_it_cannot_place() -> None:
    entities = [
        {"entity": "city", "value": "berlin", "start": 8, "end": 14, "role": "destination"},
        {"entity": "overlap", "value": "erli", "start": 9, "end": 13},
        {"entity": "duckling_time", "value": {"from": "x"}, "start": 0, "end": 2},
        {"entity": "no_position", "value": "to"},
    ]
    events = [
        {
            "event": "user",
            "timestamp": 1.0,
            "text": "to go   Berlin",
            "parse_data": {"intent": {"name": "travel"}, "entities": entities},
        }
    ]

    [step] = yaml.safe_load(end_to_end_story_yaml("trip", events))["stories"][0]["steps"]

    assert step["user"] == 'to go   [Berlin]{"entity": "city", "value": "berlin", "role": "destination"}'


def test_a_test_story_uses_the_reviewers_correction_and_keeps_text_without_an_intent(
    expected_events_by_sender: dict[str, list[dict[str, Any]]],
) -> None:
    events = expected_events_by_sender["alice"]
    greet = next(e for e in events if e["event"] == "user")
    unparsed = {"event": "user", "timestamp": 9e9, "text": "no parse here", "parse_data": {}}

    steps = yaml.safe_load(end_to_end_story_yaml("alice", [*events, unparsed], {greet["timestamp"]: "hello"}))[
        "stories"
    ][0]["steps"]

    assert steps[0] == {"user": greet["text"], "intent": "hello"}
    assert steps[-1] == {"user": "no parse here"}
    assert {"action": "utter_greet"} in steps
