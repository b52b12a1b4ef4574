"""`GET /api/openapi.json`: the gateway's OpenAPI document, built from its routes on first request."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.auth import PUBLIC, requires
from gateway.openapi import openapi_document


@requires(PUBLIC)
async def openapi_json(request: Request) -> Response:
    document: bytes | None = getattr(request.app.state, "openapi_json", None)
    if document is None:
        document = orjson.dumps(openapi_document(request.app.routes))
        request.app.state.openapi_json = document
    return Response(document, media_type="application/json")


routes = [Route("/api/openapi.json", openapi_json, methods=["GET"])]
