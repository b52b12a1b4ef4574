"""Reading request bodies (JSON, YAML text, raw bytes), with a 400 or 413 in Rasa X's error shape when the body is
not what was asked for."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request

from gateway.errors import ApiError
from gateway.params import MAX_ID

MAX_BODY_BYTES = 1_000_000
# Training data bodies (a whole stories file, a domain) may be larger than the JSON bodies of other routes.
MAX_YAML_BODY_BYTES = 10_000_000
MAX_IDS = 1000


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


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body; 413 as soon as it is larger than `max_bytes`."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise ApiError(413, "BodyTooLarge", f"the request body may be at most {max_bytes} bytes")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                raise ApiError(413, "BodyTooLarge", f"the request body may be at most {max_bytes} bytes")
    except ClientDisconnect:
        raise ApiError(400, "BodyInterrupted", "the client went away before the end of the body") from None
    return bytes(body)


async def yaml_body(request: Request, json_key: str) -> str:
    """The YAML text the body carries: the body itself (YAML or plain text), or for a JSON body the string
    `json_key` of the object. 400 when there is no YAML text, 413 when the body is too large."""
    raw = await read_body(request, MAX_YAML_BODY_BYTES)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise ApiError(400, "InvalidBody", f"the request body is not JSON: {error}") from None
        if not isinstance(body, dict) or not isinstance(body.get(json_key), str):
            raise ApiError(400, "InvalidBody", f'a JSON body must be {{"{json_key}": "<Rasa YAML>"}}')
        text: str = body[json_key]
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "InvalidBody", "the request body is not UTF-8 text") from None
    if not text.strip():
        raise ApiError(400, "InvalidBody", "the request body holds no YAML")
    return text


def string_field(body: dict[str, Any], name: str, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(400, "InvalidBody", f"{name} must be a non-empty string")
    return value


def string_list(body: dict[str, Any], name: str, required: bool = True) -> list[str]:
    """Field `name`: a list of non-empty strings, at least one when `required`; a 400 naming the field otherwise."""
    value = body.get(name)
    if value is None and not required:
        return []
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        wanted = "a non-empty list" if required else "a list"
        raise ApiError(400, "InvalidBody", f"{name} must be {wanted} of non-empty strings")
    return value


def id_list(body: dict[str, Any]) -> list[int]:
    """The body's `ids` (`{"ids": [...]}`): 1 to MAX_IDS int64 ids; a 400 naming `ids` otherwise."""
    ids = body.get("ids")
    if (
        not isinstance(ids, list)
        or not 1 <= len(ids) <= MAX_IDS
        or not all(type(item) is int and 0 <= item <= MAX_ID for item in ids)
    ):
        raise ApiError(
            400, "InvalidBody", f'ids must be a list of 1 to {MAX_IDS} ids (whole numbers): {{"ids": [...]}}'
        )
    return ids
