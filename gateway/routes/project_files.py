"""Importing and exporting a whole Rasa project."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
