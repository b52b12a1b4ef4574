"""Whether the caller may see one conversation: everyone's with the list permission, else only their own.

A conversation is the caller's when they created it (chat, interactive learning). One merely named after them is
not: a user of another channel may have the same id. They may still talk in it (Rasa's `rasa` channel puts their
messages there) and follow what is said from then on.
"""

from __future__ import annotations

import grpc
from starlette.requests import Request

from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from gateway.auth import Principal, principal
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.permissions import METADATA_LIST

MAX_SENDER_ID_LENGTH = 255  # Rasa's SQL tracker store keeps sender ids in a VARCHAR(255)


def sender_id(request: Request) -> str:
    return request.path_params["sender_id"]  # type: ignore[no-any-return]


def checked_sender_id(value: str, name: str) -> str:
    """`value` as the id of a conversation to create or talk in; a 400 naming `name` unless it has 1 to 255
    printable characters and is not blank."""
    if not value.strip() or len(value) > MAX_SENDER_ID_LENGTH or not value.isprintable():
        raise ApiError(400, "InvalidBody", f"{name} must have 1 to {MAX_SENDER_ID_LENGTH} printable characters")
    return value


def may_open(caller: Principal, conversation: storage_pb2.Conversation) -> bool:
    return METADATA_LIST in caller.permissions or conversation.created_by == caller.username


def _forbidden() -> ApiError:
    return ApiError(403, "Forbidden", f"you may only open conversations you created ({METADATA_LIST} is needed)")


async def readable_conversation(request: Request) -> storage_pb2.Conversation:
    """The conversation the path names, if it exists (404) and the caller may see it (403)."""
    response = await clients(request).storage.GetConversation(
        storage_pb2.GetConversationRequest(sender_id=sender_id(request)), timeout=CALL_TIMEOUT_S
    )
    if not may_open(principal(request), response.conversation):
        raise _forbidden()
    return response.conversation


async def find_conversation(
    storage: storage_pb2_grpc.StorageServiceStub, sender: str
) -> storage_pb2.Conversation | None:
    try:
        response = await storage.GetConversation(
            storage_pb2.GetConversationRequest(sender_id=sender), timeout=CALL_TIMEOUT_S
        )
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise
    return response.conversation


async def may_follow(storage: storage_pb2_grpc.StorageServiceStub, caller: Principal, sender: str) -> bool:
    """Whether `caller` may receive the conversation's new events: their own (also before it exists), or one they
    may open."""
    if sender == caller.username or METADATA_LIST in caller.permissions:
        return True
    found = await find_conversation(storage, sender)
    return found is not None and may_open(caller, found)


async def conversation_to_talk_in(request: Request, sender: str) -> storage_pb2.Conversation:
    """The conversation the caller is about to send a message into: made theirs when it does not exist yet, so they
    can read it afterwards; 403 when it is not their own (named after them) and exists and they may not open it.
    Whether they may talk outside their own conversation at all is for the route to decide."""
    storage, caller = clients(request).storage, principal(request)
    found = await find_conversation(storage, sender)
    if found is None:
        try:
            return await create_conversation(storage, sender, caller.username)
        except ApiError:  # another user created it meanwhile
            found = await find_conversation(storage, sender)
            if found is None:
                raise
    if sender != caller.username and not may_open(caller, found):
        raise _forbidden()
    return found


async def create_conversation(
    storage: storage_pb2_grpc.StorageServiceStub, sender: str, creator: str, interactive: bool = False
) -> storage_pb2.Conversation:
    """A new conversation created by `creator`; ApiError 409 when another user created one with that id."""
    try:
        response = await storage.CreateConversation(
            storage_pb2.CreateConversationRequest(sender_id=sender, created_by=creator, interactive=interactive),
            timeout=CALL_TIMEOUT_S,
        )
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.ALREADY_EXISTS:
            raise ApiError(409, "ConversationExists", f"the conversation {sender!r} exists already") from None
        raise
    return response.conversation
