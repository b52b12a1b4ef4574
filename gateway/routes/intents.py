"""Intents, user goals and entities (RASA_X_API.md §2.3, §4.8)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import training_data_pb2
from gateway.auth import requires
from gateway.body import json_object, string_field, string_list
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.params import bool_param, check_project
from gateway.permissions import (
    ENTITIES_LIST,
    INTENTS_CREATE,
    INTENTS_DELETE,
    INTENTS_LIST,
    INTENTS_UPDATE,
    USER_GOALS_DELETE,
    USER_GOALS_LIST,
    USER_GOALS_UPDATE,
)


@requires(INTENTS_LIST)
async def list_intents(request: Request) -> JSONResponse:
    """Every intent of the domain or the examples, sorted by name; `is_temporary=true` lists none (Rasa X's
    temporary intents do not exist here)."""
    check_project(request)
    if bool_param(request, "is_temporary", default=None):
        return JSONResponse([])
    response = await clients(request).training_data.ListIntents(
        training_data_pb2.ListIntentsRequest(), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse([intent_item(intent) for intent in response.intents])


@requires(INTENTS_CREATE)
async def create_intent(request: Request) -> JSONResponse:
    """Body {"intent": name} adds the intent to the domain → 201 with it; 409 when it is there already."""
    check_project(request)
    name = string_field(await json_object(request), "intent")
    response = await clients(request).training_data.CreateIntent(
        training_data_pb2.CreateIntentRequest(name=name), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(intent_item(response.intent), status_code=201)


@requires(INTENTS_UPDATE)
async def rename_intent(request: Request) -> JSONResponse:
    """Body {"intent": new_name} renames the intent in the domain, examples, user goals, stories and rules."""
    check_project(request)
    new_name = string_field(await json_object(request), "intent")
    response = await clients(request).training_data.RenameIntent(
        training_data_pb2.RenameIntentRequest(name=_path_name(request, "intent"), new_name=new_name),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(
        {
            **intent_item(response.intent),
            "examples_renamed": response.examples_renamed,
            "stories_renamed": response.stories_renamed,
        }
    )


@requires(INTENTS_DELETE)
async def delete_intent(request: Request) -> JSONResponse:
    """Remove the intent from the domain and user goals → {"examples_deleted": n}; 409 while examples use it,
    unless `delete_examples=true` deletes them too."""
    check_project(request)
    delete_examples = bool(bool_param(request, "delete_examples", default=False))
    response = await clients(request).training_data.DeleteIntent(
        training_data_pb2.DeleteIntentRequest(name=_path_name(request, "intent"), delete_examples=delete_examples),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse({"examples_deleted": response.examples_deleted})


@requires(USER_GOALS_LIST)
async def list_user_goals(request: Request) -> JSONResponse:
    check_project(request)
    response = await clients(request).training_data.ListUserGoals(
        training_data_pb2.ListUserGoalsRequest(), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse([_user_goal_item(goal) for goal in response.user_goals])


@requires(USER_GOALS_UPDATE)
async def set_user_goal(request: Request) -> JSONResponse:
    """Body {"name", "intents"?} creates the user goal or replaces its intents (moving them from other goals) → 201."""
    check_project(request)
    body = await json_object(request)
    goal = training_data_pb2.UserGoal(name=string_field(body, "name"), intents=string_list(body, "intents", False))
    response = await clients(request).training_data.SetUserGoal(
        training_data_pb2.SetUserGoalRequest(user_goal=goal), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(_user_goal_item(response.user_goal), status_code=201)


@requires(USER_GOALS_DELETE)
async def delete_user_goal(request: Request) -> Response:
    """Delete the user goal; its intents stay."""
    check_project(request)
    await clients(request).training_data.DeleteUserGoal(
        training_data_pb2.DeleteUserGoalRequest(name=_path_name(request, "user_goal")), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(ENTITIES_LIST)
async def list_entities(request: Request) -> JSONResponse:
    """Every entity of the domain or the examples, with how many examples annotate it."""
    check_project(request)
    response = await clients(request).training_data.ListEntities(
        training_data_pb2.ListEntitiesRequest(), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(
        [
            {"entity": entity.name, "example_count": entity.example_count, "in_domain": entity.in_domain}
            for entity in response.entities
        ]
    )


def intent_item(intent: training_data_pb2.Intent) -> dict[str, Any]:
    """Rasa X's intent, with its example count, whether the domain lists it and its user goal (null for none)."""
    return {
        "intent": intent.name,
        "example_count": intent.example_count,
        "is_temporary": False,
        "in_domain": intent.in_domain,
        "user_goal": intent.user_goal or None,
    }


def _path_name(request: Request, name: str) -> str:
    """Path parameter `name`; a 404 when it is blank, as nothing can have that name."""
    value: str = request.path_params[name]
    if not value.strip():
        raise ApiError(404, "NotFound", f"no {name.replace('_', ' ')} named {value!r}")
    return value


def _user_goal_item(goal: training_data_pb2.UserGoal) -> dict[str, Any]:
    return {"name": goal.name, "intents": list(goal.intents)}


# Retrieval intents (`faq/ask_name`) and user goals written as sentences can have a `/` in their name.
routes = [
    Route("/api/projects/{project_id}/intents", list_intents, methods=["GET"]),
    Route("/api/projects/{project_id}/intents", create_intent, methods=["POST"]),
    Route("/api/projects/{project_id}/intents/{intent:path}", rename_intent, methods=["PUT"]),
    Route("/api/projects/{project_id}/intents/{intent:path}", delete_intent, methods=["DELETE"]),
    Route("/api/projects/{project_id}/userGoals", list_user_goals, methods=["GET"]),
    Route("/api/projects/{project_id}/userGoals", set_user_goal, methods=["POST"]),
    Route("/api/projects/{project_id}/userGoals/{user_goal:path}", delete_user_goal, methods=["DELETE"]),
    Route("/api/projects/{project_id}/entities", list_entities, methods=["GET"]),
]
