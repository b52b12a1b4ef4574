"""Rasa X's conversation-list query parameters (RASA_X_API.md §3) as storage's ConversationFilter and order."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from conversely.storage.v1 import storage_pb2
from gateway.auth import Principal
from gateway.errors import ApiError
from gateway.params import MAX_ID, bool_param, int_param, list_param, number_param, time_param
from gateway.permissions import METADATA_LIST

REVIEW_STATUSES = {
    "unread": storage_pb2.REVIEW_STATUS_UNREAD,
    "reviewed": storage_pb2.REVIEW_STATUS_REVIEWED,
    "saved_for_later": storage_pb2.REVIEW_STATUS_SAVED_FOR_LATER,
}
REVIEW_STATUS_NAMES = {value: name for name, value in REVIEW_STATUSES.items()}
DEFAULT_RASA_ENVIRONMENT = "production"


@dataclass(frozen=True)
class ConversationQuery:
    filter: storage_pb2.ConversationFilter
    order: storage_pb2.ConversationOrder


def conversation_query(request: Request, caller: Principal) -> ConversationQuery:
    """The filter and order the request's query parameters ask for, limited to what `caller` may see."""
    params = storage_pb2.ConversationFilter(
        intents=list_param(request, "intent"),
        entities=list_param(request, "entity"),
        actions=list_param(request, "action"),
        policies=list_param(request, "policies"),
        slots=[_slot(item) for item in list_param(request, "slots")],
        input_channels=list_param(request, "input_channels"),
        text=request.query_params.get("text", ""),
        minimum_user_messages=int_param(request, "minimumUserMessages", default=0),
        review_status=_review_status(request.query_params.get("review_status", "")),
        tag_ids=[_tag_id(item) for item in list_param(request, "tags_any")],
        flagged_only=bool(bool_param(request, "is_flagged", default=False)),
        exclude_interactive=not bool_param(request, "interactive", default=True),
        rasa_environment=request.query_params.get("rasa_environment") or DEFAULT_RASA_ENVIRONMENT,
    )
    for field, name in (("start", "start"), ("until", "until")):
        value = time_param(request, name)
        if value is not None:
            setattr(params, field, value)
    for field, name in (
        ("minimum_action_confidence", "minimumConfidence"),
        ("maximum_action_confidence", "maximumConfidence"),
        ("minimum_intent_confidence", "minimumNluConfidence"),
        ("maximum_intent_confidence", "maximumNluConfidence"),
    ):
        value = number_param(request, name, minimum=0.0, maximum=1.0)
        if value is not None:
            setattr(params, field, value)
    in_training_data = bool_param(request, "in_training_data", default=None)
    if in_training_data is not None:
        params.in_training_data = in_training_data
    if bool_param(request, "exclude_self", default=False):
        params.exclude_created_by = caller.username
    if METADATA_LIST not in caller.permissions:
        # Rasa X: without the list permission a user sees only the conversations they created.
        params.created_by = caller.username
    order = storage_pb2.ConversationOrder(
        by_latest_event_time=bool(bool_param(request, "sort_by_latest_event_time", default=True)),
        by_confidence=bool(bool_param(request, "sort_by_confidence", default=True)),
    )
    return ConversationQuery(params, order)


def _slot(item: str) -> storage_pb2.SlotFilter:
    name, separator, value = item.partition(":")
    if not separator or not name:
        raise ApiError(400, "InvalidParameter", f"slots takes NAME:VALUE items, got {item!r}")
    return storage_pb2.SlotFilter(name=name, value=value)


def _tag_id(item: str) -> int:
    try:
        value = int(item)
    except ValueError:
        value = 0
    if not 0 < value <= MAX_ID:
        raise ApiError(400, "InvalidParameter", f"tags_any takes tag ids (whole numbers from 1), got {item!r}")
    return value


def _review_status(raw: str) -> storage_pb2.ReviewStatus:
    if not raw:
        return storage_pb2.REVIEW_STATUS_UNSPECIFIED
    if raw not in REVIEW_STATUSES:
        raise ApiError(400, "InvalidParameter", f"review_status must be one of {', '.join(REVIEW_STATUSES)}")
    return REVIEW_STATUSES[raw]
