"""Training and cross-validation jobs, and the callbacks Rasa posts their results to."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
