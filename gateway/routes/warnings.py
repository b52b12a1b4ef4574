"""Warnings about the training data: Rasa's domain warnings and Rasa X's training-data warnings (RASA_X_API.md §2.3)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely.storage.v1 import project_pb2
from gateway.auth import requires
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.params import check_project, int_param
from gateway.permissions import DOMAIN_GET, EXAMPLES_LIST

DEFAULT_MINIMUM_EXAMPLES, MAX_MINIMUM_EXAMPLES = 5, 1000
KINDS = {
    project_pb2.WARNING_KIND_INTENT: "intent",
    project_pb2.WARNING_KIND_ENTITY: "entity",
    project_pb2.WARNING_KIND_ACTION: "action",
    project_pb2.WARNING_KIND_SLOT: "slot",
}
PROBLEMS = {
    project_pb2.WARNING_PROBLEM_NOT_IN_DOMAIN: "not_in_domain",
    project_pb2.WARNING_PROBLEM_NOT_IN_TRAINING_DATA: "not_in_training_data",
    project_pb2.WARNING_PROBLEM_TOO_FEW_EXAMPLES: "too_few_examples",
}
# Rasa's own meaning of the keys: `in_domain` is only in the domain, `in_training_data` only in the training data.
DOMAIN_WARNING_SIDES = {
    project_pb2.WARNING_PROBLEM_NOT_IN_TRAINING_DATA: "in_domain",
    project_pb2.WARNING_PROBLEM_NOT_IN_DOMAIN: "in_training_data",
}


@requires(DOMAIN_GET)
async def domain_warnings(request: Request) -> JSONResponse:
    """Rasa's `Domain.domain_warnings` shape: for intents, entities, actions and slots, `in_domain` lists the names
    the domain declares but the training data does not use, `in_training_data` those used but not declared."""
    response = await clients(request).project.ListWarnings(project_pb2.ListWarningsRequest(), timeout=CALL_TIMEOUT_S)
    answer: dict[str, dict[str, list[str]]] = {
        f"{kind}_warnings": {"in_domain": [], "in_training_data": []} for kind in KINDS.values()
    }
    for warning in response.warnings:
        side = DOMAIN_WARNING_SIDES.get(warning.problem)
        if side is not None:
            answer[f"{KINDS[warning.kind]}_warnings"][side].append(warning.name)
    return JSONResponse(answer)


@requires(EXAMPLES_LIST)
async def training_data_warnings(request: Request) -> JSONResponse:
    """Every warning about the training data; intents with fewer than `minimum_examples` (1..1000, default 5)
    examples are reported too."""
    check_project(request)
    minimum = int_param(request, "minimum_examples", DEFAULT_MINIMUM_EXAMPLES, minimum=1, maximum=MAX_MINIMUM_EXAMPLES)
    response = await clients(request).project.ListWarnings(
        project_pb2.ListWarningsRequest(minimum_examples=minimum), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse([warning_item(warning) for warning in response.warnings])


def warning_item(warning: project_pb2.TrainingDataWarning) -> dict[str, Any]:
    """One warning: type, problem, name, message, and example_count for too_few_examples."""
    item: dict[str, Any] = {
        "type": KINDS[warning.kind],
        "problem": PROBLEMS[warning.problem],
        "name": warning.name,
        "message": warning.message,
    }
    if warning.problem == project_pb2.WARNING_PROBLEM_TOO_FEW_EXAMPLES:
        item["example_count"] = warning.example_count
    return item


routes = [
    Route("/api/domainWarnings", domain_warnings, methods=["GET"]),
    Route("/api/projects/{project_id}/training_data_warnings", training_data_warnings, methods=["GET"]),
]
