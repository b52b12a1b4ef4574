"""Every failure leaves the gateway as Rasa X's JSON error body, translated once, here."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import grpc
import structlog
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from conversely import __version__

log = structlog.get_logger()

_GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: HTTPStatus.BAD_REQUEST,
    grpc.StatusCode.NOT_FOUND: HTTPStatus.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS: HTTPStatus.CONFLICT,
    grpc.StatusCode.FAILED_PRECONDITION: HTTPStatus.CONFLICT,  # e.g. deleting an intent examples still use
    grpc.StatusCode.ABORTED: HTTPStatus.CONFLICT,  # concurrent writers kept conflicting
    grpc.StatusCode.PERMISSION_DENIED: HTTPStatus.FORBIDDEN,
    grpc.StatusCode.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    grpc.StatusCode.RESOURCE_EXHAUSTED: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,  # e.g. a model over the size limit
    grpc.StatusCode.UNAVAILABLE: HTTPStatus.SERVICE_UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED: HTTPStatus.GATEWAY_TIMEOUT,
}


class ApiError(Exception):
    """An error the caller can act on: an HTTP status, a reason code and a sentence."""

    def __init__(self, status: int, reason: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.details = details


def error_body(status: int, reason: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "version": __version__,
        "status": "failure",
        "message": message,
        "reason": reason,
        "details": details or {},
        "help": None,
        "code": status,
    }


def error_response(status: int, reason: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse(error_body(status, reason, message, details), status_code=status)


def too_many_attempts(what: str, retry_after: int) -> JSONResponse:
    """429 with `Retry-After`, for a caller the limiter (gateway/login_limiter.py) holds back."""
    response = error_response(429, "TooManyAttempts", f"too many {what}; retry in {retry_after} s")
    response.headers["Retry-After"] = str(retry_after)
    return response


async def on_api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.reason, error.message, error.details)


async def on_http_exception(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    reason = HTTPStatus(error.status_code).phrase.replace(" ", "")
    response = error_response(error.status_code, reason, str(error.detail))
    response.headers.update(error.headers or {})  # e.g. Allow on 405
    return response


async def on_grpc_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, grpc.aio.AioRpcError)
    status = _GRPC_TO_HTTP.get(error.code(), HTTPStatus.INTERNAL_SERVER_ERROR)
    if status == HTTPStatus.INTERNAL_SERVER_ERROR:
        log.error("internal_service_error", code=error.code().name, details=error.details())
        return error_response(status, "InternalError", "an internal service failed; see the gateway's log")
    return error_response(status, status.phrase.replace(" ", ""), error.details() or status.phrase)


async def on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled_error", path=request.url.path)
    return error_response(500, "InternalError", "unexpected error; see the gateway's log")


EXCEPTION_HANDLERS = {
    ApiError: on_api_error,
    HTTPException: on_http_exception,
    grpc.aio.AioRpcError: on_grpc_error,
    Exception: on_unexpected_error,
}
