"""The websocket `/api/ws` that pushes job progress and the bot's replies to the browser."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
