"""The domain, its custom actions, and the model configuration (config.yml)."""

from __future__ import annotations

import datetime
import math
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import domain_pb2
from gateway.annotation import annotation
from gateway.auth import requires
from gateway.body import json_object, string_field, yaml_body
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.params import YAML_MEDIA_TYPE, bool_param, check_project, path_id, wants_yaml
from gateway.permissions import (
    ACTIONS_CREATE,
    ACTIONS_DELETE,
    ACTIONS_LIST,
    ACTIONS_UPDATE,
    DOMAIN_GET,
    DOMAIN_UPDATE,
    SETTINGS_GET,
    SETTINGS_UPDATE,
)


@requires(DOMAIN_GET)
async def get_domain(request: Request) -> Response:
    """The domain as Rasa 3 YAML, or as JSON (the parsed document) for `Accept: application/json`."""
    response = await clients(request).domain.GetDomain(domain_pb2.GetDomainRequest(), timeout=CALL_TIMEOUT_S)
    return _domain_answer(request, response.yaml)


@requires(DOMAIN_UPDATE)
async def replace_domain(request: Request) -> Response:
    """Replace the domain with the YAML body (or `{"domain": <yaml>}`); its responses too with store_responses."""
    store_responses = bool(bool_param(request, "store_responses", default=False))
    response = await clients(request).domain.ReplaceDomain(
        domain_pb2.ReplaceDomainRequest(
            yaml=await yaml_body(request, "domain"), store_responses=store_responses, annotation=annotation(request)
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return _domain_answer(request, response.yaml)


@requires(ACTIONS_LIST)
async def list_actions(request: Request) -> JSONResponse:
    """The domain's custom actions and forms."""
    check_project(request)
    response = await clients(request).domain.ListActions(domain_pb2.ListActionsRequest(), timeout=CALL_TIMEOUT_S)
    return JSONResponse([action_item(action) for action in response.actions])


@requires(ACTIONS_CREATE)
async def create_action(request: Request) -> JSONResponse:
    """Add a custom action `{"name": ...}` to the domain → 201."""
    check_project(request)
    name = string_field(await json_object(request), "name")
    response = await clients(request).domain.CreateAction(
        domain_pb2.CreateActionRequest(name=name), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(action_item(response.action), status_code=201)


@requires(ACTIONS_UPDATE)
async def update_action(request: Request) -> JSONResponse:
    """Rename a custom action: `{"name": <new name>}`."""
    check_project(request)
    action_id = path_id(request, "action_id", "action")
    name = string_field(await json_object(request), "name")
    response = await clients(request).domain.UpdateAction(
        domain_pb2.UpdateActionRequest(id=action_id, name=name), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(action_item(response.action))


@requires(ACTIONS_DELETE)
async def delete_action(request: Request) -> Response:
    check_project(request)
    await clients(request).domain.DeleteAction(
        domain_pb2.DeleteActionRequest(id=path_id(request, "action_id", "action")), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(SETTINGS_GET)
async def get_settings(request: Request) -> Response:
    """config.yml as stored (comments kept): `{"config": <yaml>}`, or the YAML itself by Accept."""
    check_project(request)
    response = await clients(request).domain.GetConfig(domain_pb2.GetConfigRequest(), timeout=CALL_TIMEOUT_S)
    return _settings_answer(request, response.yaml)


@requires(SETTINGS_UPDATE)
async def replace_settings(request: Request) -> Response:
    """Store config.yml from `{"config": <yaml>}` or a YAML body; answers as GET does."""
    check_project(request)
    response = await clients(request).domain.ReplaceConfig(
        domain_pb2.ReplaceConfigRequest(yaml=await yaml_body(request, "config")), timeout=CALL_TIMEOUT_S
    )
    return _settings_answer(request, response.yaml)


def action_item(action: domain_pb2.Action) -> dict[str, Any]:
    return {"id": action.id, "name": action.name, "is_form": action.is_form}


def _domain_answer(request: Request, text: str) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(json_safe(yaml.safe_load(text)))
    return PlainTextResponse(text, media_type=YAML_MEDIA_TYPE)


def _settings_answer(request: Request, text: str) -> Response:
    if wants_yaml(request):
        return PlainTextResponse(text, media_type=YAML_MEDIA_TYPE)
    return JSONResponse({"config": text})


def json_safe(value: Any) -> Any:
    """A YAML document as JSON can hold it: dates as ISO-8601 text, sets as lists, keys and non-finite numbers as
    strings."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | set):
        return [json_safe(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


routes = [
    Route("/api/domain", get_domain, methods=["GET"]),
    Route("/api/domain", replace_domain, methods=["PUT"]),
    Route("/api/projects/{project_id}/actions", list_actions, methods=["GET"]),
    Route("/api/projects/{project_id}/actions", create_action, methods=["POST"]),
    Route("/api/projects/{project_id}/actions/{action_id}", update_action, methods=["PUT"]),
    Route("/api/projects/{project_id}/actions/{action_id}", delete_action, methods=["DELETE"]),
    Route("/api/projects/{project_id}/settings", get_settings, methods=["GET"]),
    Route("/api/projects/{project_id}/settings", replace_settings, methods=["PUT"]),
]
