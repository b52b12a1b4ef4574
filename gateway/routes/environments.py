"""`GET /api/environments`: the Rasa servers of each environment."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
