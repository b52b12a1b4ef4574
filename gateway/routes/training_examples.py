"""NLU training examples, and the whole NLU data as one file."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
