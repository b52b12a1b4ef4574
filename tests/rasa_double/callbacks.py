"""Rasa 3.6.21's `async_if_callback_url` (rasa/server.py): with `?callback_url=` a request is answered 204 at
once and its result, or its error, is posted to the URL later.

A result is posted as its raw body with the result's content type (for a model file, `application/x-tar`,
which is what Sanic's `response.file` gives a `.tar.gz`, and no file name); an error as `json=error_info`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import Response

from tests.rasa_double.behaviour import Callback, CallbackKind, Recordings
from tests.rasa_double.errors import RasaError, unexpected

CALLBACK_TIMEOUT_S = 30.0
# What aiohttp 3.9.5 on Python 3.11 (Rasa 3.6.21's HTTP client) sends as its User-Agent.
USER_AGENT = "Python/3.11 aiohttp/3.9.5"

Work = Callable[[], Awaitable[Response]]


class BackgroundTasks:
    """The tasks the server runs after answering; kept referenced until done (asyncio keeps only weak ones)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def answer_or_call_back(
    request: Request,
    work: Work,
    success_kind: CallbackKind,
    version: str,
    recordings: Recordings,
    tasks: BackgroundTasks,
) -> Response:
    """`work`'s response now, or 204 now and `work`'s response posted to `?callback_url=` when it is done."""
    callback_url = request.query_params.get("callback_url")
    if not callback_url:
        return await work()
    tasks.spawn(_call_back(callback_url, work, success_kind, version, recordings))
    return Response(status_code=204)


async def _call_back(url: str, work: Work, success_kind: CallbackKind, version: str, recordings: Recordings) -> None:
    kind: CallbackKind
    try:
        result = await work()
        body, content_type, kind = bytes(result.body), result.media_type or "", success_kind
    except Exception as error:
        rasa_error = error if isinstance(error, RasaError) else unexpected(error)
        body, content_type, kind = json.dumps(rasa_error.error_info(version)).encode(), "application/json", "error"
    try:
        async with httpx.AsyncClient(timeout=CALLBACK_TIMEOUT_S) as client:
            answer = await client.post(
                url, content=body, headers={"Content-Type": content_type, "User-Agent": USER_AGENT}
            )
        recordings.add_callback(Callback(url, answer.status_code, kind, content_type, body))
    except httpx.HTTPError as error:
        recordings.add_callback(Callback(url, 0, kind, content_type, body, f"{type(error).__name__}: {error}"))
