"""Placeholder: filled by the review API work."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
