"""NLU evaluation results shaped exactly like Rasa 3.6.21's, computed from the posted examples by a fixed rule.

The rule (so that tests can predict every number): intents whose names share the part before the first "_"
(`mood_great`, `mood_unhappy`) form a family; within a family, every second example of an intent (the 2nd,
4th, ... in document order) is predicted as the next intent of the family (alphabetical order, wrapping
around) with confidence CONFUSED_CONFIDENCE. Every other example is predicted right with CORRECT_CONFIDENCE.

The metrics are sklearn's `classification_report(output_dict=True)` as Rasa completes it
(`rasa.model_testing.get_evaluation_metrics`, `rasa.nlu.test._add_confused_labels_to_report`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.rasa_double.errors import RasaError
from tests.rasa_double.training_data import NluExample

CORRECT_CONFIDENCE = 0.9
CONFUSED_CONFIDENCE = 0.55


@dataclass(frozen=True)
class Prediction:
    text: str
    intent: str
    predicted: str
    confidence: float


def predict(examples: list[NluExample]) -> list[Prediction]:
    """The double's prediction for each example, by the rule in this module's docstring."""
    confused_with = _next_in_family({example.intent for example in examples})
    seen: Counter[str] = Counter()
    predictions = []
    for example in examples:
        position = seen[example.intent]
        seen[example.intent] += 1
        if example.intent in confused_with and position % 2 == 1:
            predicted, confidence = confused_with[example.intent], CONFUSED_CONFIDENCE
        else:
            predicted, confidence = example.intent, CORRECT_CONFIDENCE
        predictions.append(Prediction(example.text, example.intent, predicted, confidence))
    return predictions


def cross_validation_result(examples: list[NluExample], folds: int) -> dict[str, Any]:
    """What `/model/test/intents?cross_validation_folds=N` answers (`_get_evaluation_results` in rasa/server.py).

    Rasa 3.6 reads the weighted F1 under the key "1-score", so `f1_score` is always None; entity and response
    selection evaluations come back empty because their reports are keyed by extractor.
    """
    _check_folds(examples, folds)
    predictions = predict(examples)
    report, _, _, _ = intent_report(predictions)
    empty: dict[str, Any] = {"report": {}, "precision": None, "f1_score": None, "errors": []}
    return {
        "intent_evaluation": {
            "report": report,
            "precision": report["weighted avg"].get("precision"),
            "f1_score": report["weighted avg"].get("1-score"),
            "errors": _errors(predictions),
        },
        "entity_evaluation": dict(empty),
        "response_selection_evaluation": dict(empty),
    }


def evaluation_on_test_set(examples: list[NluExample]) -> dict[str, Any]:
    """What `/model/test/intents` answers without folds (`rasa.nlu.test.run_evaluation` on the loaded model)."""
    predictions = predict(examples)
    intent_evaluation = None
    if predictions:
        report, precision, f1, accuracy = intent_report(predictions)
        intent_evaluation = {
            "predictions": [
                {"text": p.text, "intent": p.intent, "predicted": p.predicted, "confidence": p.confidence}
                for p in predictions
            ],
            "report": report,
            "precision": precision,
            "f1_score": f1,
            "accuracy": accuracy,
            "errors": _errors(predictions),
        }
    return {"intent_evaluation": intent_evaluation, "entity_evaluation": None, "response_selection_evaluation": None}


def intent_report(predictions: list[Prediction]) -> tuple[dict[str, Any], float, float, float]:
    """Rasa's completed classification report, and the weighted precision, weighted F1 and accuracy."""
    labels = sorted({p.intent for p in predictions})
    total = len(predictions)
    report: dict[str, Any] = {}
    for label in labels:
        support = sum(p.intent == label for p in predictions)
        predicted = sum(p.predicted == label for p in predictions)
        hits = sum(p.intent == label and p.predicted == label for p in predictions)
        precision = hits / predicted if predicted else 0.0
        recall = hits / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[label] = {"precision": precision, "recall": recall, "f1-score": f1, "support": support}
    accuracy = sum(p.intent == p.predicted for p in predictions) / total
    report["accuracy"] = accuracy
    report["macro avg"] = _average(report, labels, lambda _: 1)
    report["weighted avg"] = _average(report, labels, lambda label: report[label]["support"])
    report["micro avg"] = {"precision": accuracy, "recall": accuracy, "f1-score": accuracy, "support": total}
    for label in labels:
        wrong = Counter(p.predicted for p in predictions if p.intent == label and p.predicted != label)
        report[label]["confused_with"] = dict(wrong.most_common(3))
    weighted = report["weighted avg"]
    return report, weighted["precision"], weighted["f1-score"], accuracy


def _average(report: dict[str, Any], labels: list[str], weight: Callable[[str], int]) -> dict[str, Any]:
    weights = {label: weight(label) for label in labels}
    total_weight = sum(weights.values())
    averaged: dict[str, Any] = {
        metric: sum(report[label][metric] * weights[label] for label in labels) / total_weight
        for metric in ("precision", "recall", "f1-score")
    }
    averaged["support"] = sum(report[label]["support"] for label in labels)
    return averaged


def _errors(predictions: list[Prediction]) -> list[dict[str, Any]]:
    return [
        {"text": p.text, "intent": p.intent, "intent_prediction": {"name": p.predicted, "confidence": p.confidence}}
        for p in predictions
        if p.intent != p.predicted
    ]


def _next_in_family(intents: set[str]) -> dict[str, str]:
    families: defaultdict[str, list[str]] = defaultdict(list)
    for intent in sorted(intents):
        if "_" in intent:
            families[intent.split("_", 1)[0]].append(intent)
    return {
        intent: family[(index + 1) % len(family)]
        for family in families.values()
        if len(family) > 1
        for index, intent in enumerate(family)
    }


def _check_folds(examples: list[NluExample], folds: int) -> None:
    """The errors sklearn's StratifiedKFold raises, as Rasa's evaluate_intents reports them."""
    problem = ""
    largest_intent = max(Counter(example.intent for example in examples).values(), default=0)
    if folds < 2:
        problem = (
            "k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, "
            f"got n_splits={folds}."
        )
    elif folds > len(examples):
        problem = (
            f"Cannot have number of splits n_splits={folds} greater than the number of samples: "
            f"n_samples={len(examples)}."
        )
    elif folds > largest_intent:
        problem = f"n_splits={folds} cannot be greater than the number of members in each class."
    if problem:
        raise RasaError(500, "TestingError", f"An unexpected error occurred during evaluation. Error: {problem}")
