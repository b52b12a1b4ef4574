"""Reading JSON request bodies, with a 400 in Rasa X's error shape when the body is not what was asked for."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from gateway.errors import ApiError

MAX_BODY_BYTES = 1_000_000


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "BodyTooLarge", f"the request body may be at most {MAX_BODY_BYTES} bytes")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, "InvalidBody", f"the request body is not JSON: {error}") from None


async def json_object(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "InvalidBody", "the request body must be a JSON object")
    return body


def string_field(body: dict[str, Any], name: str, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(400, "InvalidBody", f"{name} must be a non-empty string")
    return value
