"""The two kinds of error bodies a Rasa 3.6.21 server sends.

Rasa's own `ErrorResponse` (rasa/server.py) becomes `{version, status, message, reason, details, help, code}`;
an exception Rasa does not catch (e.g. in the `rasa` chat channel) is rendered by Sanic 21.12's fallback error
handler, which for a JSON request is `{description, status, message}`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

DOCS_BASE_URL = "https://rasa.com/docs/rasa"
SECURITY_HELP_URL = DOCS_BASE_URL + "/user-guide/configuring-http-api/#security-considerations"
TRAINING_DATA_HELP_URL = DOCS_BASE_URL + "/training-data-format"
HTTP_API_HELP_URL = DOCS_BASE_URL + "/pages/http-api"
# Sanic hides the text of an unexpected exception outside debug mode.
SANIC_FALLBACK_TEXT = "The server encountered an internal error and cannot complete your request."


class RasaError(Exception):
    """Rasa's ErrorResponse: raised by a handler, answered (or posted to the callback URL) as `error_info`."""

    def __init__(
        self, status: int, reason: str, message: str, details: Any = None, help_url: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.details = details
        self.help_url = help_url

    def error_info(self, version: str) -> dict[str, Any]:
        return {
            "version": version,
            "status": "failure",
            "message": self.message,
            "reason": self.reason,
            "details": self.details or {},
            "help": self.help_url,
            "code": self.status,
        }

    def response(self, version: str) -> JSONResponse:
        return JSONResponse(self.error_info(version), status_code=self.status)


def not_authenticated() -> RasaError:
    """What `requires_auth` raises when `?token=` does not match the server's `--auth-token`."""
    return RasaError(401, "NotAuthenticated", "User is not authenticated.", help_url=SECURITY_HELP_URL)


def unexpected(error: Exception) -> RasaError:
    """What `async_if_callback_url` posts for an exception that is not an ErrorResponse."""
    return RasaError(500, "UnexpectedError", f"An unexpected error occurred. Error: {error}")


def sanic_error(status: int, message: str | None = None) -> JSONResponse:
    """Sanic's fallback error body for a JSON request: a SanicException's text, or the hidden-error text."""
    phrase = HTTPStatus(status).phrase
    if message is None:
        message = SANIC_FALLBACK_TEXT if status == 500 else phrase
    return JSONResponse({"description": f"{status} — {phrase}", "status": status, "message": message}, status)


class SanicError(Exception):
    """A SanicException Rasa lets through (e.g. a body that is not JSON): Sanic answers it with its own status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
