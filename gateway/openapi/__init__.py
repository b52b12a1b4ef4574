"""The gateway's OpenAPI 3.1 document: hand-written paths and schemas, permissions taken from the routes.

Each area module (system, accounts, conversations, review, inbox, training_data, nlu_features, stories, responses,
domain, warnings, models, orchestration, chat, web_ui) holds the paths, parameters, bodies and responses of its routes,
written for a person to read; what several of them share is in `schema`. `openapi_document` adds what the routes
themselves declare, so that it cannot drift from them: each operation's `operationId` (the endpoint's name), its
`x-permission` and `security` (from `@requires`, with the Rasa token where it declares `rasa_token`), and the
401/403 answers every protected operation can give.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Mount, Route

from conversely import __version__
from gateway.auth import PUBLIC
from gateway.openapi import (
    accounts,
    chat,
    conversations,
    domain,
    inbox,
    models,
    nlu_features,
    orchestration,
    responses,
    review,
    stories,
    system,
    training_data,
    warnings,
    web_ui,
)
from gateway.openapi.schema import COMMON_RESPONSES, ERROR, HEADERS, SECURITY_SCHEMES, Schema

OPENAPI_VERSION = "3.1.0"
AREAS = (
    system,
    accounts,
    conversations,
    review,
    inbox,
    training_data,
    nlu_features,
    stories,
    responses,
    domain,
    warnings,
    models,
    orchestration,
    chat,
    web_ui,
)
PROTECTED_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"apiToken": []}]
RASA_TOKEN_SECURITY: dict[str, list[str]] = {"rasaToken": []}
PROTECTED_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthenticated"},
    "403": {"$ref": "#/components/responses/Forbidden"},
    "503": {"$ref": "#/components/responses/Unavailable"},
    "504": {"$ref": "#/components/responses/Timeout"},
}
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


@dataclass(frozen=True)
class RouteOperation:
    """One (method, path) the app answers, and the permission its endpoint requires (None: undeclared)."""

    method: str
    path: str
    endpoint_name: str
    permission: str | None
    accepts_rasa_token: bool = False


def openapi_path(starlette_path: str) -> str:
    """The OpenAPI path template of a Starlette path: `{sender_id:path}` becomes `{sender_id}`."""
    return _CONVERTOR.sub(r"{\1}", starlette_path)


def route_operations(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[RouteOperation]:
    """Every (method, path) the routes answer, HEAD left out (Starlette adds it to every GET)."""
    for route in routes:
        if isinstance(route, Mount):
            yield from route_operations(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    yield RouteOperation(
                        method=method.lower(),
                        path=openapi_path(prefix + route.path),
                        endpoint_name=route.name,
                        permission=getattr(route.endpoint, "required_scope", None),
                        accepts_rasa_token=getattr(route.endpoint, "accepts_rasa_token", False),
                    )


def openapi_document(routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI document of the hand-written paths, completed from the `routes` that serve them."""
    paths: dict[str, Schema] = {}
    schemas: dict[str, Schema] = {"Error": ERROR}
    for area in AREAS:
        for path, operations in area.PATHS.items():  # areas may document different methods of one path
            paths.setdefault(path, {}).update(copy.deepcopy(operations))
        schemas.update(copy.deepcopy(area.SCHEMAS))
    for route in route_operations(routes):
        documented = paths.get(route.path, {}).get(route.method)
        if documented is not None:
            _complete(documented, route)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Conversely",
            "version": __version__,
            "description": "The Rasa X compatible HTTP API of Conversely's gateway. Every failure answers with "
            "Rasa X's error body (`Error`); lists take `limit`/`offset` and give the total in `X-Total-Count`. "
            "`x-permission` names the permission an operation needs (`public`: none).",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "tags": [{"name": tag} for tag in _tags(paths)],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "responses": copy.deepcopy(COMMON_RESPONSES),
            "headers": copy.deepcopy(HEADERS),
            "securitySchemes": copy.deepcopy(SECURITY_SCHEMES),
        },
    }


def _complete(documented: Schema, route: RouteOperation) -> None:
    documented["operationId"] = route.endpoint_name
    if route.permission is None:
        return
    documented["x-permission"] = route.permission
    if route.permission == PUBLIC:
        documented["security"] = []
        return
    documented["security"] = copy.deepcopy(PROTECTED_SECURITY)
    if route.accepts_rasa_token:
        documented["security"].append(dict(RASA_TOKEN_SECURITY))
    responses = documented["responses"]
    for status, response in PROTECTED_RESPONSES.items():
        responses.setdefault(status, dict(response))
    documented["responses"] = dict(sorted(responses.items()))


def _tags(paths: dict[str, Schema]) -> list[str]:
    seen: dict[str, None] = {}
    for item in paths.values():
        for documented in item.values():
            seen.update(dict.fromkeys(documented.get("tags", ())))
    return list(seen)
