"""Whether the caller may see one conversation: everyone's with the list permission, else only their own."""

from __future__ import annotations

from starlette.requests import Request

from conversely.storage.v1 import storage_pb2
from gateway.auth import principal
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.permissions import METADATA_LIST


def sender_id(request: Request) -> str:
    return request.path_params["sender_id"]  # type: ignore[no-any-return]


async def readable_conversation(request: Request) -> storage_pb2.Conversation:
    """The conversation the path names, if it exists (404) and the caller may see it (403)."""
    response = await clients(request).storage.GetConversation(
        storage_pb2.GetConversationRequest(sender_id=sender_id(request)), timeout=CALL_TIMEOUT_S
    )
    caller = principal(request)
    if METADATA_LIST not in caller.permissions and response.conversation.created_by != caller.username:
        raise ApiError(403, "Forbidden", f"you may only open conversations you created ({METADATA_LIST} is needed)")
    return response.conversation
