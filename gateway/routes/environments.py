"""`GET /api/environments`: the Rasa servers of each environment (CONVERSELY_RASA_ENVIRONMENTS).

Rasa X answered its environments.yml; this is the same information as JSON, `{"environments": {"<name>": {"url"}}}`,
and never the token the gateway sends those servers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.auth import requires
from gateway.permissions import ENVIRONMENTS_LIST
from gateway.rasa_client import rasa_servers


@requires(ENVIRONMENTS_LIST)
async def list_environments(request: Request) -> JSONResponse:
    servers = rasa_servers(request).urls
    return JSONResponse({"environments": {name: {"url": url} for name, url in sorted(servers.items())}})


routes = [Route("/api/environments", list_environments, methods=["GET"])]
