"""The distinct values each conversation filter can take, to fill the inbox's filter dropdowns."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conversely.storage.v1 import storage_pb2
from gateway.auth import requires
from gateway.clients import CALL_TIMEOUT_S, clients
from gateway.errors import ApiError
from gateway.params import int_param
from gateway.permissions import METADATA_GET

MAX_OPTIONS = 1000


async def _options(request: Request, kind: storage_pb2.FilterOptionKind, slot_name: str = "") -> JSONResponse:
    response = await clients(request).storage.ListConversationFilterOptions(
        storage_pb2.ListConversationFilterOptionsRequest(
            kind=kind,
            slot_name=slot_name,
            query=request.query_params.get("q", ""),
            limit=int_param(request, "limit", default=MAX_OPTIONS, minimum=1, maximum=MAX_OPTIONS),
        ),
        timeout=CALL_TIMEOUT_S,
    )
    return JSONResponse(list(response.values))


@requires(METADATA_GET)
async def actions(request: Request) -> JSONResponse:
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_ACTION)


@requires(METADATA_GET)
async def intents(request: Request) -> JSONResponse:
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_INTENT)


@requires(METADATA_GET)
async def entities(request: Request) -> JSONResponse:
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_ENTITY)


@requires(METADATA_GET)
async def policies(request: Request) -> JSONResponse:
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_POLICY)


@requires(METADATA_GET)
async def slot_names(request: Request) -> JSONResponse:
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_SLOT_NAME)


@requires(METADATA_GET)
async def slot_values(request: Request) -> JSONResponse:
    slot = request.query_params.get("slot", "")
    if not slot:
        raise ApiError(400, "InvalidParameter", "slot (the slot's name) is required")
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_SLOT_VALUE, slot_name=slot)


@requires(METADATA_GET)
async def input_channels(request: Request) -> JSONResponse:
    return await _options(request, storage_pb2.FILTER_OPTION_KIND_INPUT_CHANNEL)


routes = [
    Route("/api/conversationActions", actions, methods=["GET"]),
    Route("/api/conversationIntents", intents, methods=["GET"]),
    Route("/api/conversationEntities", entities, methods=["GET"]),
    Route("/api/conversationPolicies", policies, methods=["GET"]),
    Route("/api/conversations/slotNames", slot_names, methods=["GET"]),
    Route("/api/conversations/slotValues", slot_values, methods=["GET"]),
    Route("/api/conversations/inputChannels", input_channels, methods=["GET"]),
]
