"""The domain, its custom actions, and the model configuration (config.yml)."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
