"""The gateway's Starlette application: routes, error translation, and the gRPC clients' lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware

from conversely.settings import Settings
from gateway.clients import ServiceClients
from gateway.errors import EXCEPTION_HANDLERS
from gateway.middleware import RequestLogMiddleware
from gateway.routes import auth, conversations, health, inbox, review, users


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.clients = ServiceClients.connect(settings)
        try:
            yield
        finally:
            await app.state.clients.close()

    return Starlette(
        routes=[
            *health.routes,
            *auth.routes,
            *users.routes,
            *review.routes,
            *conversations.routes,
            *inbox.routes,
        ],
        middleware=[Middleware(RequestLogMiddleware)],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
