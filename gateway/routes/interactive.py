"""Interactive learning: create a conversation, predict the next action, execute one, append events."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
