"""The gateway's Starlette application: routes, error translation, and the gRPC clients' lifetime."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware

from conversely.settings import Settings
from gateway.accounts import check_admin_settings, set_up_accounts
from gateway.auth import AuthState
from gateway.clients import ServiceClients
from gateway.conversation_follower import ConversationFollowers
from gateway.errors import EXCEPTION_HANDLERS
from gateway.job_runner import run_job_queue
from gateway.middleware import RequestLogMiddleware
from gateway.push import PushHub
from gateway.rasa_client import RasaServers
from gateway.routes import (
    auth,
    chat,
    conversations,
    domain,
    environments,
    filter_options,
    health,
    inbox,
    intents,
    interactive,
    jobs,
    models,
    nlu_features,
    openapi,
    project_files,
    push,
    responses,
    review,
    runtime_config,
    stories,
    training_examples,
    users,
    warnings,
    web_ui,
)
from gateway.tokens import load_signing_key


def create_app(settings: Settings) -> Starlette:
    """The gateway app; raises SettingsError for an unusable JWT key or admin setting."""
    check_admin_settings(settings)
    signing_key = load_signing_key(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.clients = ServiceClients.connect(settings)
        app.state.auth = AuthState.create(settings, signing_key)
        app.state.rasa_servers = RasaServers.from_settings(settings)
        app.state.push = PushHub()
        app.state.job_queue_wakeup = asyncio.Event()  # set when this gateway queues a job (gateway/job_runner.py)
        app.state.reply_watchers = set()  # gateway/reply_watcher.py: chats waiting for the bot's answer
        app.state.conversation_followers = ConversationFollowers(app.state.clients.storage, app.state.push)
        background = [
            asyncio.create_task(set_up_accounts(app.state.clients.users, settings, app.state.auth.accounts_ready)),
            asyncio.create_task(run_job_queue(app.state)),
        ]
        try:
            yield
        finally:
            background.extend(app.state.reply_watchers)
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await app.state.conversation_followers.close()
            await app.state.rasa_servers.close()
            await app.state.clients.close()

    return Starlette(
        routes=[
            *health.routes,
            *auth.routes,
            *users.routes,
            *filter_options.routes,
            *review.routes,
            *conversations.routes,
            *inbox.routes,
            *training_examples.routes,
            *intents.routes,
            *nlu_features.routes,
            *stories.routes,
            *responses.routes,
            *domain.routes,
            *project_files.routes,
            *warnings.routes,
            *jobs.routes,  # before models': /models/jobs is not a model named "jobs"
            *models.routes,
            *environments.routes,
            *runtime_config.routes,
            *chat.routes,
            *interactive.routes,
            *push.routes,
            *openapi.routes,
            *web_ui.routes,
        ],
        middleware=[Middleware(RequestLogMiddleware)],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
