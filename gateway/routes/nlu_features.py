"""Entity synonyms, regex features and lookup tables."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
