"""Reading query parameters, with a 400 in Rasa X's error shape for any value that does not parse."""

from __future__ import annotations

from starlette.requests import Request

from gateway.errors import ApiError


def int_param(request: Request, name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ApiError(400, "InvalidParameter", f"{name} must be {bounds}, got {value}")
    return value


def float_param(request: Request, name: str) -> float | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"{name} must be a Unix timestamp, got {raw!r}") from None
