"""Cross-validation results summarised for people: each intent's scores, which intents are mistaken for which, and
insights — what to change in the training data.

The input is what Rasa posts for `POST /model/test/intents?cross_validation_folds=N` (`_get_evaluation_results` in
rasa/server.py): `intent_evaluation.report` is scikit-learn's classification report as a dict, one entry per intent
(`precision`, `recall`, `f1-score`, `support`, and Rasa's `confused_with` `{other intent: count}`) besides the
averages (`accuracy`, `macro avg`, `weighted avg`, `micro avg`). Rasa 3.6 reads the weighted F1 from a key that does
not exist ("1-score"), so its `f1_score` is always null: the weighted F1 here comes from the report itself.
"""

from __future__ import annotations

import math
from typing import Any

# The report's entries that are not intents.
AVERAGES = frozenset({"accuracy", "macro avg", "weighted avg", "micro avg"})
# An intent with fewer examples than this gives the model too little to learn from (Rasa X warned below 5 too).
MIN_EXAMPLES = 5
# A confusion worth a look: this share of an intent's examples, or this many, predicted as one other intent.
CONFUSED_SHARE = 0.1
CONFUSED_COUNT = 2
# An intent whose F1 score is below this is recognised poorly.
LOW_F1 = 0.7


def number(value: Any) -> float | None:
    """A finite number, else None (scikit-learn may leave NaN where nothing could be computed)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def count(value: Any) -> int:
    found = number(value)
    return int(found) if found is not None and found >= 0 else 0


def intent_scores(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each intent's precision, recall, F1 score and support (its number of examples), by intent name."""
    return [
        {
            "intent": intent,
            "precision": number(scores.get("precision")),
            "recall": number(scores.get("recall")),
            "f1_score": number(scores.get("f1-score")),
            "support": count(scores.get("support")),
        }
        for intent, scores in sorted(report.items())
        if intent not in AVERAGES and isinstance(scores, dict)
    ]


def confusions(report: dict[str, Any]) -> list[dict[str, Any]]:
    """How often each intent's examples were predicted as another intent: most often first."""
    found = [
        {"intent": intent, "confused_with": other, "count": count(times)}
        for intent, scores in report.items()
        if intent not in AVERAGES and isinstance(scores, dict) and isinstance(scores.get("confused_with"), dict)
        for other, times in scores["confused_with"].items()
        if count(times) > 0
    ]
    return sorted(found, key=lambda confusion: (-confusion["count"], confusion["intent"], confusion["confused_with"]))


def insights(scores: list[dict[str, Any]], confused: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What to fix, most pressing first: intents often confused with another (most confusions first), intents with
    a low F1 score (lowest first), intents with too few examples (fewest first)."""
    support = {score["intent"]: score["support"] for score in scores}
    found = []
    for confusion in confused:
        intent, other, times = confusion["intent"], confusion["confused_with"], confusion["count"]
        examples = support.get(intent, 0)
        if times >= CONFUSED_COUNT or times > CONFUSED_SHARE * examples:
            found.append(
                _insight(
                    "often_confused",
                    intent,
                    f"{times} of the {examples} examples of {intent!r} were taken for {other!r}: make the two intents' "
                    "examples more distinct, move examples that belong to the other one, or merge the two.",
                    confused_with=other,
                    count=times,
                    examples=examples,
                )
            )
    for score in sorted(scores, key=lambda s: s["f1_score"] if s["f1_score"] is not None else -1.0):
        if score["f1_score"] is not None and score["f1_score"] < LOW_F1:
            found.append(
                _insight(
                    "low_f1",
                    score["intent"],
                    f"{score['intent']!r} is recognised poorly (F1 {score['f1_score']:.2f}): add varied examples and "
                    "check the ones it is confused with.",
                    f1_score=score["f1_score"],
                    examples=score["support"],
                )
            )
    for score in sorted(scores, key=lambda s: (s["support"], s["intent"])):
        if score["support"] < MIN_EXAMPLES:
            found.append(
                _insight(
                    "too_few_examples",
                    score["intent"],
                    f"{score['intent']!r} has {score['support']} examples: add at least "
                    f"{MIN_EXAMPLES - score['support']} more, so that the model has enough to learn it from.",
                    examples=score["support"],
                )
            )
    return found


def _insight(kind: str, intent: str, suggestion: str, **details: Any) -> dict[str, Any]:
    insight: dict[str, Any] = {
        "kind": kind,
        "intent": intent,
        "confused_with": None,
        "count": None,
        "examples": None,
        "f1_score": None,
    }
    insight.update(details)
    insight["suggestion"] = suggestion
    return insight


def cross_validation_summary(results: dict[str, Any]) -> dict[str, Any]:
    """`intents`, `confusions`, `accuracy`, `weighted_f1` and `insights` of Rasa's cross-validation results."""
    evaluation = results.get("intent_evaluation")
    report = evaluation.get("report") if isinstance(evaluation, dict) else None
    report = report if isinstance(report, dict) else {}
    weighted = report.get("weighted avg")
    scores = intent_scores(report)
    confused = confusions(report)
    return {
        "intents": scores,
        "confusions": confused,
        "accuracy": number(report.get("accuracy")),
        "weighted_f1": number(weighted.get("f1-score")) if isinstance(weighted, dict) else None,
        "insights": insights(scores, confused),
    }
