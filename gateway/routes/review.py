"""What reviewers add to conversations: review status, tags, message flags and intent corrections."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import review_pb2, storage_pb2
from gateway.auth import requires
from gateway.body import json_body, json_object, string_field
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.conversation_access import readable_conversation
from gateway.conversation_filter import REVIEW_STATUSES
from gateway.errors import ApiError
from gateway.params import MAX_ID, finite_number
from gateway.permissions import (
    MESSAGE_FLAGS_UPDATE,
    MESSAGE_INTENTS_UPDATE,
    REVIEW_STATUS_UPDATE,
    TAGS_CREATE,
    TAGS_DELETE,
    TAGS_LIST,
)


@requires(REVIEW_STATUS_UPDATE)
async def set_review_status(request: Request) -> Response:
    """Body {"review_status": "unread" | "reviewed" | "saved_for_later"} → 204."""
    status = string_field(await json_object(request), "review_status")
    if status not in REVIEW_STATUSES:
        raise ApiError(400, "InvalidBody", f"review_status must be one of {', '.join(REVIEW_STATUSES)}")
    conversation = await readable_conversation(request)
    await clients(request).review.SetReviewStatus(
        review_pb2.SetReviewStatusRequest(sender_id=conversation.sender_id, review_status=REVIEW_STATUSES[status]),
        timeout=CALL_TIMEOUT_S,
    )
    return Response(status_code=204)


@requires(TAGS_LIST)
async def list_tags(request: Request) -> JSONResponse:
    """Every tag with the conversations it is on: [{id, value, color, conversations}]."""
    response = await clients(request).review.ListTags(review_pb2.ListTagsRequest(), timeout=CALL_TIMEOUT_S)
    return JSONResponse([{**_tag(tag), "conversations": list(tag.sender_ids)} for tag in response.tags])


@requires(TAGS_DELETE)
async def delete_tag(request: Request) -> Response:
    await clients(request).review.DeleteTag(
        review_pb2.DeleteTagRequest(tag_id=_tag_id(request)), timeout=CALL_TIMEOUT_S
    )
    return Response(status_code=204)


@requires(TAGS_LIST)
async def conversation_tags(request: Request) -> JSONResponse:
    conversation = await readable_conversation(request)
    response = await clients(request).review.ListConversationTags(
        review_pb2.ListConversationTagsRequest(sender_id=conversation.sender_id), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse([_tag(tag) for tag in response.tags])


@requires(TAGS_CREATE)
async def add_conversation_tags(request: Request) -> JSONResponse:
    """Body [{"value", "color", "id"?}, ...]: assigns the tags, creating new ones → 201 with the conversation's tags."""
    body = await json_body(request)
    if not isinstance(body, list) or not body:
        raise ApiError(400, "InvalidBody", "the body must be a non-empty list of tags {value, color, id?}")
    tags = [_new_tag(item, index) for index, item in enumerate(body)]
    conversation = await readable_conversation(request)
    response = await clients(request).review.AddConversationTags(
        review_pb2.AddConversationTagsRequest(sender_id=conversation.sender_id, tags=tags), timeout=CALL_TIMEOUT_S
    )
    return JSONResponse([_tag(tag) for tag in response.tags], status_code=201)


@requires(TAGS_DELETE)
async def remove_conversation_tag(request: Request) -> Response:
    conversation = await readable_conversation(request)
    await clients(request).review.RemoveConversationTag(
        review_pb2.RemoveConversationTagRequest(sender_id=conversation.sender_id, tag_id=_tag_id(request)),
        timeout=CALL_TIMEOUT_S,
    )
    return Response(status_code=204)


@requires(MESSAGE_FLAGS_UPDATE)
async def flag_message(request: Request) -> Response:
    return await _set_flag(request, flagged=True)


@requires(MESSAGE_FLAGS_UPDATE)
async def unflag_message(request: Request) -> Response:
    return await _set_flag(request, flagged=False)


@requires(MESSAGE_INTENTS_UPDATE)
async def correct_message_intent(request: Request) -> Response:
    """Body {"intent", "mapped_to"?, "user_goal"?}: the intent the user message really had → 204."""
    body = await json_object(request)
    correction = storage_pb2.MessageCorrection(
        message_timestamp=_message_timestamp(request),
        intent=string_field(body, "intent"),
        mapped_to=string_field(body, "mapped_to", required=False),
        user_goal=string_field(body, "user_goal", required=False),
    )
    conversation = await readable_conversation(request)
    await clients(request).review.SetMessageCorrection(
        review_pb2.SetMessageCorrectionRequest(sender_id=conversation.sender_id, correction=correction),
        timeout=CALL_TIMEOUT_S,
    )
    return Response(status_code=204)


@requires(MESSAGE_INTENTS_UPDATE)
async def delete_message_intent_correction(request: Request) -> Response:
    timestamp = _message_timestamp(request)
    conversation = await readable_conversation(request)
    await clients(request).review.DeleteMessageCorrection(
        review_pb2.DeleteMessageCorrectionRequest(sender_id=conversation.sender_id, message_timestamp=timestamp),
        timeout=CALL_TIMEOUT_S,
    )
    return Response(status_code=204)


async def _set_flag(request: Request, flagged: bool) -> Response:
    timestamp = _message_timestamp(request)
    conversation = await readable_conversation(request)
    await clients(request).review.SetMessageFlag(
        review_pb2.SetMessageFlagRequest(
            sender_id=conversation.sender_id, message_timestamp=timestamp, flagged=flagged
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return Response(status_code=201 if flagged else 204)


def _tag_id(request: Request) -> int:
    tag_id: int = request.path_params["tag_id"]
    if tag_id > MAX_ID:
        raise ApiError(404, "NotFound", f"no tag with id {tag_id}")
    return tag_id


def _message_timestamp(request: Request) -> float:
    raw = request.path_params["message_timestamp"]
    try:
        return finite_number(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"the message timestamp must be a number, got {raw!r}") from None


def _new_tag(item: Any, index: int) -> review_pb2.NewTag:
    if not isinstance(item, dict):
        raise ApiError(400, "InvalidBody", f"tag {index} must be an object {{value, color, id?}}")
    value, color = item.get("value") or "", item.get("color") or ""
    if not isinstance(value, str) or not isinstance(color, str):
        raise ApiError(400, "InvalidBody", f"tag {index}: value and color must be strings")
    tag = review_pb2.NewTag(value=value, color=color)
    if item.get("id") is not None:
        if not isinstance(item["id"], int) or isinstance(item["id"], bool) or not 0 <= item["id"] <= MAX_ID:
            raise ApiError(400, "InvalidBody", f"tag {index}: id must be a tag id (a whole number)")
        tag.id = item["id"]
    return tag


def _tag(tag: review_pb2.Tag) -> dict[str, Any]:
    return {"id": tag.id, "value": tag.value, "color": tag.color}


routes = [
    Route("/api/conversations/tags", list_tags, methods=["GET"]),
    Route("/api/conversations/tags/{tag_id:int}", delete_tag, methods=["DELETE"]),
    Route("/api/conversations/{sender_id:path}/reviewStatus", set_review_status, methods=["PUT"]),
    Route("/api/conversations/{sender_id:path}/tags", conversation_tags, methods=["GET"]),
    Route("/api/conversations/{sender_id:path}/tags", add_conversation_tags, methods=["POST"]),
    Route("/api/conversations/{sender_id:path}/tags/{tag_id:int}", remove_conversation_tag, methods=["DELETE"]),
    Route("/api/conversations/{sender_id:path}/messages/{message_timestamp}/flag", flag_message, methods=["PUT"]),
    Route("/api/conversations/{sender_id:path}/messages/{message_timestamp}/flag", unflag_message, methods=["DELETE"]),
    Route(
        "/api/conversations/{sender_id:path}/messages/{message_timestamp}/intent",
        correct_message_intent,
        methods=["PUT"],
    ),
    Route(
        "/api/conversations/{sender_id:path}/messages/{message_timestamp}/intent",
        delete_message_intent_correction,
        methods=["DELETE"],
    ),
]
