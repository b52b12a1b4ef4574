"""Stories, rules and end-to-end test stories, and saving a conversation as one."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
