"""A conversation exported as a Rasa 3.x story: the steps Rasa's own story format would have."""

from __future__ import annotations

from typing import Any

import yaml

from gateway.story import story_yaml


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
