"""`GET /api/config?token=`: the endpoints.yml and credentials.yml a Rasa server started with --config-endpoint uses."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
