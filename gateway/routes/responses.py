"""Bot responses (Rasa's `responses:` of the domain, Rasa X's NLG templates) and response groups.

A response is one variation: Rasa's content keys (text, buttons, image, custom, channel, condition, ...) plus the
response name it belongs to. Variations of one name form a response group.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import domain_pb2
from gateway.annotation import annotation, annotation_item
from gateway.auth import requires
from gateway.body import id_list, json_body, json_object, string_field
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.params import int_param, path_id
from gateway.permissions import RESPONSES_CREATE, RESPONSES_DELETE, RESPONSES_LIST, RESPONSES_UPDATE

MAX_PAGE = 1000
# A variation must show the user something: at least one of these.
SHOWN_KEYS = ("text", "image", "buttons", "custom", "attachment", "elements", "quick_replies")
# Keys of Rasa X's response item that are about the item, not its content; a client may send them back.
ITEM_KEYS = frozenset(
    {"id", "response_name", "annotation", "annotator_id", "annotated_at", "project_id", "edited_since_last_training"}
)
_TYPES: dict[str, tuple[type, str]] = {
    "text": (str, "a string"),
    "image": (str, "a string (the image's URL)"),
    "channel": (str, "a string"),
    "custom": (dict, "an object"),
    "buttons": (list, "a list"),
    "elements": (list, "a list"),
    "quick_replies": (list, "a list"),
    "condition": (list, "a list"),
    "metadata": (dict, "an object"),
}


@requires(RESPONSES_LIST)
async def list_responses(request: Request) -> JSONResponse:
    """One page of variations (q: name or text contains, response_name: only this response), by name."""
    response = await clients(request).domain.ListResponses(
        domain_pb2.ListResponsesRequest(
            limit=int_param(request, "limit", default=100, minimum=1, maximum=MAX_PAGE),
            offset=int_param(request, "offset", default=0),
            query=request.query_params.get("q", ""),
            name=request.query_params.get("response_name", ""),
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(
        [response_item(variation) for variation in response.responses],
        headers={"X-Total-Count": str(response.total_count)},
    )


@requires(RESPONSES_CREATE)
async def create_response(request: Request) -> JSONResponse:
    """Add one variation `{response_name, ...content}` → 201 with the stored item."""
    variation = stored_response(await json_object(request), request)
    response = await clients(request).domain.CreateResponse(
        domain_pb2.CreateResponseRequest(response=variation), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(response_item(response.response), status_code=201)


@requires(RESPONSES_UPDATE)
async def replace_responses(request: Request) -> JSONResponse:
    """Replace every response with the body's list of variations → `{"response_count": n}`."""
    body = await json_body(request)
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise ApiError(400, "InvalidBody", "the body must be a JSON list of response variations")
    variations = [stored_response(item, request, position) for position, item in enumerate(body)]
    response = await clients(request).domain.ReplaceResponses(
        domain_pb2.ReplaceResponsesRequest(responses=variations), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse({"response_count": response.response_count})


@requires(RESPONSES_DELETE)
async def delete_responses(request: Request) -> JSONResponse:
    """Delete the variations whose ids the body lists (`{"ids": [...]}`) → `{"deleted_count": n}`."""
    ids = id_list(await json_object(request))
    response = await clients(request).domain.DeleteResponses(
        domain_pb2.DeleteResponsesRequest(ids=ids), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse({"deleted_count": response.deleted_count})


@requires(RESPONSES_UPDATE)
async def update_response(request: Request) -> JSONResponse:
    """Replace one variation with the body `{response_name, ...content}`."""
    response_id = path_id(request, "response_id", "response")
    variation = stored_response(await json_object(request), request)
    variation.id = response_id
    response = await clients(request).domain.UpdateResponse(
        domain_pb2.UpdateResponseRequest(response=variation), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse(response_item(response.response))


@requires(RESPONSES_DELETE)
async def delete_response(request: Request) -> Response:
    response_id = path_id(request, "response_id", "response")
    response = await clients(request).domain.DeleteResponses(
        domain_pb2.DeleteResponsesRequest(ids=[response_id]), timeout=CALL_TIMEOUT_S
    )
    if not response.deleted_count:
        raise ApiError(404, "NotFound", f"no response with id {response_id}")
    return Response(status_code=204)


@requires(RESPONSES_LIST)
async def list_response_groups(request: Request) -> JSONResponse:
    """Response names (q: containing this) with their number of variations."""
    response = await clients(request).domain.ListResponseGroups(
        domain_pb2.ListResponseGroupsRequest(query=request.query_params.get("q", "")), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse([group_item(group) for group in response.groups])


@requires(RESPONSES_UPDATE)
async def rename_response_group(request: Request) -> JSONResponse:
    """Rename a response everywhere (`{"name": <new name>}`): its variations, the domain, stories and rules."""
    new_name = string_field(await json_object(request), "name")
    response = await clients(request).domain.RenameResponseGroup(
        domain_pb2.RenameResponseGroupRequest(name=request.path_params["response_name"], new_name=new_name),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(group_item(response.group))


def stored_response(body: dict[str, Any], request: Request, position: int | None = None) -> domain_pb2.Response:
    """The variation a body describes, annotated by the caller; 400 naming what is wrong with it."""
    where = "" if position is None else f"item {position}: "
    name = body.get("response_name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "InvalidBody", f"{where}response_name must be a non-empty string")
    content = {key: value for key, value in body.items() if key not in ITEM_KEYS}
    problem = content_problem(content)
    if problem:
        raise ApiError(400, "InvalidBody", f"{where}{problem}")
    return domain_pb2.Response(name=name, content_json=orjson.dumps(content).decode(), annotation=annotation(request))


def content_problem(content: dict[str, Any]) -> str | None:
    """What makes `content` no variation Rasa can send, or None when it is one."""
    if not any(content.get(key) is not None for key in SHOWN_KEYS):
        return f"a response needs at least one of {', '.join(SHOWN_KEYS)}"
    for key, (kind, described) in _TYPES.items():
        if key in content and not isinstance(content[key], kind):
            return f"{key} must be {described}"
    if not all(isinstance(condition, dict) for condition in content.get("condition", [])):
        return 'each of condition must be an object, e.g. {"type": "slot", "name": ..., "value": ...}'
    for button in content.get("buttons", []):
        if not (
            isinstance(button, dict) and isinstance(button.get("title"), str) and isinstance(button.get("payload"), str)
        ):
            return 'each of buttons must be {"title": <string>, "payload": <string>}'
    return None


def response_item(variation: domain_pb2.Response) -> dict[str, Any]:
    """Rasa X's response item (RASA_X_API.md §4.8): the content keys, its id, response_name and annotation."""
    content = orjson.loads(variation.content_json or "{}")
    return {
        **(content if isinstance(content, dict) else {}),
        "id": variation.id,
        "response_name": variation.name,
        "annotation": annotation_item(variation.annotation),
    }


def group_item(group: domain_pb2.ResponseGroup) -> dict[str, Any]:
    return {"name": group.name, "variation_count": group.variation_count}


routes = [
    Route("/api/responses", list_responses, methods=["GET"]),
    Route("/api/responses", create_response, methods=["POST"]),
    Route("/api/responses", replace_responses, methods=["PUT"]),
    Route("/api/responses", delete_responses, methods=["DELETE"]),
    Route("/api/responses/{response_id}", update_response, methods=["PUT"]),
    Route("/api/responses/{response_id}", delete_response, methods=["DELETE"]),
    Route("/api/responseGroups", list_response_groups, methods=["GET"]),
    Route("/api/responseGroups/{response_name}", rename_response_group, methods=["PUT"]),
]
