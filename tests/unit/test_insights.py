"""Cross-validation results summarised: per-intent scores, confusions, and the insights drawn from them."""

from __future__ import annotations

import math
from typing import Any

from gateway.insights import confusions, cross_validation_summary, insights, intent_scores


def scores(precision: float, recall: float, f1: float, support: int, **confused_with: int) -> dict[str, Any]:
    return {
        "precision": precision,
        "recall": recall,
        "f1-score": f1,
        "support": support,
        "confused_with": confused_with,
    }


# Shaped as Rasa 3.6's `_get_evaluation_results` posts it (`f1_score` is null: Rasa reads the key "1-score").
RESULTS: dict[str, Any] = {
    "intent_evaluation": {
        "report": {
            "greet": scores(0.9, 0.95, 0.92, 20, goodbye=1),
            "goodbye": scores(0.8, 0.9, 0.85, 20, greet=1),
            "mood_great": scores(0.6, 0.5, 0.55, 12, mood_unhappy=5, affirm=1),
            "mood_unhappy": scores(0.7, 0.8, 0.75, 14),
            "affirm": scores(0.95, 1.0, 0.97, 30, deny=2),
            "deny": scores(1.0, 1.0, 1.0, 10),
            "bot_challenge": scores(1.0, 0.75, 0.86, 4),
            "accuracy": 0.84,
            "macro avg": {"precision": 0.85, "recall": 0.84, "f1-score": 0.84, "support": 110},
            "weighted avg": {"precision": 0.86, "recall": 0.84, "f1-score": 0.83, "support": 110},
        },
        "precision": 0.86,
        "f1_score": None,
        "errors": [{"text": "great", "intent": "mood_great", "intent_prediction": {"name": "mood_unhappy"}}],
    },
    "entity_evaluation": {"report": {}, "precision": None, "f1_score": None, "errors": []},
    "response_selection_evaluation": {"report": {}, "precision": None, "f1_score": None, "errors": []},
}


def test_each_intent_gets_its_scores_and_the_averages_are_not_taken_for_intents() -> None:
    found = intent_scores(RESULTS["intent_evaluation"]["report"])

    assert [score["intent"] for score in found] == sorted(
        ["greet", "goodbye", "mood_great", "mood_unhappy", "affirm", "deny", "bot_challenge"]
    )
    assert found[0] == {"intent": "affirm", "precision": 0.95, "recall": 1.0, "f1_score": 0.97, "support": 30}


def test_confusions_are_listed_most_frequent_first() -> None:
    found = confusions(RESULTS["intent_evaluation"]["report"])

    assert found[0] == {"intent": "mood_great", "confused_with": "mood_unhappy", "count": 5}
    assert found[1] == {"intent": "affirm", "confused_with": "deny", "count": 2}
    assert [c["count"] for c in found] == sorted((c["count"] for c in found), reverse=True)
    assert len(found) == 5


def test_summary_takes_accuracy_and_the_weighted_f1_from_the_report() -> None:
    summary = cross_validation_summary(RESULTS)

    assert summary["accuracy"] == 0.84
    assert summary["weighted_f1"] == 0.83  # not Rasa's `f1_score`, which is always null
    assert len(summary["intents"]) == 7


def test_often_confused_pairs_are_those_over_a_tenth_of_the_examples_or_twice_or_more() -> None:
    found = [i for i in cross_validation_summary(RESULTS)["insights"] if i["kind"] == "often_confused"]

    pairs = [(i["intent"], i["confused_with"], i["count"]) for i in found]
    # 5 of 12 and 2 of 30 qualify; 1 of 20 (5 %) and 1 of 12 (8 %) do not.
    assert pairs == [("mood_great", "mood_unhappy", 5), ("affirm", "deny", 2)]
    assert found[0]["examples"] == 12
    assert "'mood_great'" in found[0]["suggestion"] and "'mood_unhappy'" in found[0]["suggestion"]


def test_one_confusion_is_often_when_the_intent_has_few_examples() -> None:
    report = {"greet": scores(1, 1, 1, 8, goodbye=1), "goodbye": scores(1, 1, 1, 10, greet=1)}
    found = [i for i in insights(intent_scores(report), confusions(report)) if i["kind"] == "often_confused"]

    assert [(i["intent"], i["confused_with"]) for i in found] == [("greet", "goodbye")]  # 1 of 8 > 10 %, 1 of 10 not


def test_intents_with_a_low_f1_score_are_named_lowest_first() -> None:
    found = [i for i in cross_validation_summary(RESULTS)["insights"] if i["kind"] == "low_f1"]

    assert [(i["intent"], i["f1_score"]) for i in found] == [("mood_great", 0.55)]


def test_intents_with_fewer_than_five_examples_get_a_suggestion_to_add_some() -> None:
    found = [i for i in cross_validation_summary(RESULTS)["insights"] if i["kind"] == "too_few_examples"]

    assert [(i["intent"], i["examples"]) for i in found] == [("bot_challenge", 4)]
    assert "add at least 1 more" in found[0]["suggestion"]


def test_insights_come_most_pressing_first_and_all_have_one_shape() -> None:
    found = cross_validation_summary(RESULTS)["insights"]

    assert [i["kind"] for i in found] == ["often_confused", "often_confused", "low_f1", "too_few_examples"]
    assert all(
        set(i) == {"kind", "intent", "confused_with", "count", "examples", "f1_score", "suggestion"} for i in found
    )


def test_a_healthy_evaluation_has_no_insights() -> None:
    report = {name: scores(0.95, 0.95, 0.95, 20) for name in ("greet", "goodbye", "affirm")}

    assert cross_validation_summary({"intent_evaluation": {"report": report}})["insights"] == []


def test_numbers_that_are_not_finite_and_malformed_results_give_nulls_not_errors() -> None:
    report = {"greet": scores(math.nan, 1.0, math.inf, 3), "accuracy": "n/a", "weighted avg": None, "odd": [1]}
    summary = cross_validation_summary({"intent_evaluation": {"report": report}})

    assert summary["intents"] == [{"intent": "greet", "precision": None, "recall": 1.0, "f1_score": None, "support": 3}]
    assert summary["accuracy"] is None and summary["weighted_f1"] is None
    assert [i["kind"] for i in summary["insights"]] == ["too_few_examples"]
    assert cross_validation_summary({})["intents"] == []
