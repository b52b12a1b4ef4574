"""Who is calling and what they may do: the single place every /api route's permission is checked.

Every endpoint declares the Rasa X permission scope it needs with `@requires(scope)`. The Foundation release
has no users yet, so `authorize` lets every caller through; that is why the gateway binds to loopback by
default. The review API (users, roles, JWT, api_token, the Rasa token) replaces `authorize`, and nothing
else, to enforce the scopes the routes already declare.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[[Request], Awaitable[Response]]
PUBLIC = "public"


async def authorize(request: Request, scope: str) -> None:
    """Raise ApiError(401/403) unless the caller holds `scope`. Foundation: no users exist yet."""
    request.state.scope = scope


def requires(scope: str) -> Callable[[Endpoint], Endpoint]:
    """Declare the permission an endpoint needs (`PUBLIC` for none) and check it before the endpoint runs."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def checked(request: Request) -> Response:
            if scope != PUBLIC:
                await authorize(request, scope)
            return await endpoint(request)

        checked.required_scope = scope  # type: ignore[attr-defined]
        return checked

    return decorate
