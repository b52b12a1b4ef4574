"""Reading query and path parameters and the Accept header, with Rasa X's error shape for any value that does not
parse (a 400 for a query parameter, a 404 for a path id)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from starlette.requests import Request

from gateway.errors import ApiError

_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
# The widest integer storage takes for a page, an offset or a count (protobuf int32).
INT32_MAX = 2**31 - 1
MAX_ID = 2**63 - 1  # storage keeps ids as int64
# 19 digits cover every int64; longer strings are not parsed at all.
MAX_ID_DIGITS = 19
YAML_TYPES = ("application/x-yaml", "text/yaml", "application/yaml")
YAML_MEDIA_TYPE = "application/x-yaml"


def int_param(request: Request, name: str, default: int, minimum: int = 0, maximum: int = INT32_MAX) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ApiError(400, "InvalidParameter", f"{name} must be from {minimum} to {maximum}, got {value}")
    return value


def float_param(request: Request, name: str) -> float | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return finite_number(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"{name} must be a Unix timestamp, got {raw!r}") from None


def time_param(request: Request, name: str) -> float | None:
    """A point in time given as Unix seconds or as ISO-8601 (a time without zone is taken as UTC)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return finite_number(raw)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            400, "InvalidParameter", f"{name} must be Unix seconds or an ISO-8601 time, got {raw!r}"
        ) from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def number_param(
    request: Request, name: str, minimum: float | None = None, maximum: float | None = None
) -> float | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = finite_number(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"{name} must be a number, got {raw!r}") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ApiError(400, "InvalidParameter", f"{name} must be from {minimum} to {maximum}, got {value}")
    return value


def bool_param(request: Request, name: str, default: bool | None) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ApiError(400, "InvalidParameter", f"{name} must be true or false, got {raw!r}")


def finite_number(raw: str) -> float:
    """`raw` as a float; ValueError for text that is no number, and for nan and infinity, which bound nothing."""
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {raw!r}")
    return value


def list_param(request: Request, name: str) -> list[str]:
    """A comma-separated list (Rasa X's style); repeating the parameter works too. Empty items are dropped."""
    return [item.strip() for raw in request.query_params.getlist(name) for item in raw.split(",") if item.strip()]


def path_id(request: Request, name: str, what: str) -> int:
    """The id in path parameter `name`; a 404 naming `what` when it is no int64 (no such item can exist)."""
    raw = request.path_params[name]
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS else -1
    if not 0 <= number <= MAX_ID:
        raise ApiError(404, "NotFound", f"no {what} with id {raw!r}")
    return number


def wants_yaml(request: Request) -> bool:
    """Whether the Accept header asks for YAML (any of YAML_TYPES)."""
    accept = request.headers.get("accept", "")
    return any(media_type in accept for media_type in YAML_TYPES)


PROJECT = "default"


def check_project(request: Request) -> None:
    """Rasa X's `/projects/{project_id}/...` paths: there is one project, "default"; anything else is a 404."""
    if request.path_params["project_id"] != PROJECT:
        raise ApiError(404, "ProjectNotFound", f"the only project is {PROJECT!r}")
