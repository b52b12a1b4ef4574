"""The NLU inbox (Rasa X's "annotate new data"): user messages waiting to become training examples."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import inbox_pb2
from gateway.auth import requires
from gateway.body import json_body
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.params import bool_param, check_project, int_param, list_param, path_id
from gateway.permissions import LOGS_CREATE, LOGS_DELETE, LOGS_LIST

MAX_PAGE = 1000
ORDERS = {
    "id": inbox_pb2.INBOX_ORDER_ID,
    "time": inbox_pb2.INBOX_ORDER_TIME,
    "confidence": inbox_pb2.INBOX_ORDER_CONFIDENCE,
}
MAX_TEXT_CHARS = 10_000


@requires(LOGS_LIST)
async def list_logs(request: Request) -> JSONResponse:
    """Inbox messages: q (text), intent (comma list), sort_by id|time|confidence, sort_order asc|desc, paging."""
    check_project(request)
    sort_by = request.query_params.get("sort_by") or "id"
    sort_order = request.query_params.get("sort_order") or "desc"
    if sort_by not in ORDERS:
        raise ApiError(400, "InvalidParameter", f"sort_by must be one of {', '.join(ORDERS)}, got {sort_by!r}")
    if sort_order not in {"asc", "desc"}:
        raise ApiError(400, "InvalidParameter", f"sort_order must be asc or desc, got {sort_order!r}")
    response = await clients(request).inbox.ListInboxMessages(
        inbox_pb2.ListInboxMessagesRequest(
            limit=int_param(request, "limit", default=20, minimum=1, maximum=MAX_PAGE),
            offset=int_param(request, "offset", default=0),
            query=request.query_params.get("q", ""),
            intents=list_param(request, "intent"),
            order=ORDERS[sort_by],
            ascending=sort_order == "asc",
            exclude_training_data=bool(bool_param(request, "exclude_training_data", default=True)),
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(
        [log_item(message) for message in response.messages], headers={"X-Total-Count": str(response.total_count)}
    )


@requires(LOGS_LIST)
async def get_log(request: Request) -> JSONResponse:
    """One inbox message by the md5 of its text (or by its id)."""
    check_project(request)
    key = request.path_params["log_id"]
    message_id = path_id(request, "log_id", "inbox message") if key.isascii() and key.isdigit() else None
    lookup = (
        inbox_pb2.GetInboxMessageRequest(hash=key)
        if message_id is None
        else inbox_pb2.GetInboxMessageRequest(id=message_id)
    )
    response = await clients(request).inbox.GetInboxMessage(lookup, timeout=CALL_TIMEOUT_S)
    return JSONResponse(log_item(response.message))


@requires(LOGS_CREATE)
async def add_log(request: Request) -> JSONResponse:
    """Add a message to the inbox: `?q=<text>`, a JSON string body, or {"text": ...} → 201 with the item.

    Messages are stored unparsed (no intent) until a Rasa server is configured to parse them.
    """
    check_project(request)
    text = request.query_params.get("q") or _text_from_body(await json_body(request) if await request.body() else None)
    if not text.strip():
        raise ApiError(400, "InvalidBody", 'give the message text as ?q=, a JSON string or {"text": ...}')
    if len(text) > MAX_TEXT_CHARS:
        raise ApiError(400, "InvalidBody", f"the text may be at most {MAX_TEXT_CHARS} characters")
    user_input: dict[str, Any] = {"text": text, "intent": None, "intent_ranking": [], "entities": []}
    response = await clients(request).inbox.AddInboxMessage(
        inbox_pb2.AddInboxMessageRequest(text=text, user_input_json=orjson.dumps(user_input).decode()),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(log_item(response.message), status_code=201)


@requires(LOGS_DELETE)
async def delete_log(request: Request) -> Response:
    check_project(request)
    await clients(request).inbox.DeleteInboxMessage(
        inbox_pb2.DeleteInboxMessageRequest(id=path_id(request, "log_id", "inbox message")), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


def _text_from_body(body: Any) -> str:
    if isinstance(body, str):
        return body
    if isinstance(body, dict) and isinstance(body.get("text"), str):
        return str(body["text"])
    return ""


def log_item(message: inbox_pb2.InboxMessage) -> dict[str, Any]:
    """Rasa X's message log item (RASA_X_API.md §4.4), plus the text, intent and confidence at the top."""
    return {
        "id": message.id,
        "hash": message.hash,
        "text": message.text,
        "intent": message.intent or None,
        "confidence": message.confidence if message.HasField("confidence") else None,
        "user_input": orjson.loads(message.user_input_json or "{}"),
        "conversation_id": message.conversation_id or None,
        "event_id": message.event_id or None,
        "time": message.time,
        "model": message.model or None,
    }


routes = [
    Route("/api/projects/{project_id}/logs", list_logs, methods=["GET"]),
    Route("/api/projects/{project_id}/logs", add_log, methods=["POST"]),
    Route("/api/projects/{project_id}/logs/{log_id}", delete_log, methods=["DELETE"]),
    Route("/api/projects/{project_id}/logs/{log_id}", get_log, methods=["GET"]),
]
