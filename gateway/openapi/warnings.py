"""Warnings about the training data: Rasa's domain warnings and Rasa X's training-data warnings."""

from __future__ import annotations

from gateway.openapi.schema import (
    COUNT,
    PROJECT_ID,
    PROJECT_NOT_FOUND,
    STRING,
    Schema,
    array,
    failure,
    json_response,
    obj,
    operation,
    query,
    ref,
)

TAG = "Training data warnings"
BAD_MINIMUM = failure("`minimum_examples` is not a whole number from 1 to 1,000; `message` says so.")
NAMES = array(STRING, uniqueItems=True)
SIDES = obj(
    {"in_domain": NAMES, "in_training_data": NAMES},
    description="`in_domain`: declared in the domain, used by no training data; `in_training_data`: used by the "
    "training data, not declared in the domain. Each sorted by name.",
)

SCHEMAS: dict[str, Schema] = {
    "DomainWarnings": obj(
        {"intent_warnings": SIDES, "entity_warnings": SIDES, "action_warnings": SIDES, "slot_warnings": SIDES},
        description="Rasa's `Domain.domain_warnings`. Slots declared but set by no story are not listed: actions "
        "and slot mappings often set them.",
    ),
    "TrainingDataWarning": obj(
        {
            "type": {"type": "string", "enum": ["intent", "entity", "action", "slot"]},
            "problem": {
                "type": "string",
                "enum": ["not_in_domain", "not_in_training_data", "too_few_examples"],
                "description": "`not_in_domain`: examples, stories, rules or test stories use the name and the "
                "domain does not declare it; `not_in_training_data`: the domain declares it and nothing trains on "
                "it; `too_few_examples`: an intent with fewer examples than `minimum_examples`.",
            },
            "name": STRING,
            "message": {"type": "string", "description": "The problem in a sentence, for a person."},
            "example_count": {**COUNT, "description": "How many examples the intent has (too_few_examples only)."},
        },
        required=["type", "problem", "name", "message"],
        description="One problem found in the stored training data.",
    ),
}

PATHS: dict[str, Schema] = {
    "/api/domainWarnings": {
        "get": operation(
            "Domain warnings",
            TAG,
            {200: json_response("Names the domain and the training data disagree on.", ref("DomainWarnings"))},
        ),
    },
    "/api/projects/{project_id}/training_data_warnings": {
        "get": operation(
            "Training data warnings",
            TAG,
            {
                200: json_response(
                    "Every warning, by type (intent, entity, action, slot), problem, then name.",
                    array(ref("TrainingDataWarning")),
                ),
                400: BAD_MINIMUM,
                404: PROJECT_NOT_FOUND,
            },
            parameters=[
                PROJECT_ID,
                query(
                    "minimum_examples",
                    {"type": "integer", "minimum": 1, "maximum": 1000, "default": 5},
                    "Intents with fewer examples than this (but at least one) are reported as too_few_examples.",
                ),
            ],
        ),
    },
}
