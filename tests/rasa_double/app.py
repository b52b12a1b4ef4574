"""The double's HTTP API: the routes of a Rasa 3.6.21 server (`rasa run --enable-api --auth-token ...` with the
`rasa` channel) that Conversely calls, answering as rasa/server.py and rasa/core/channels/rasa_chat.py do."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.rasa_double import model_jobs
from tests.rasa_double.behaviour import RasaBehaviour, RecordedRequest, Recordings
from tests.rasa_double.bot import parse as parse_text
from tests.rasa_double.callbacks import BackgroundTasks, answer_or_call_back
from tests.rasa_double.chat_auth import ChatRefused, RasaChatAuth, sender_of
from tests.rasa_double.conversations import Conversations
from tests.rasa_double.errors import RasaError, SanicError, not_authenticated, sanic_error
from tests.rasa_double.model_jobs import TrainingJobs

log = logging.getLogger(__name__)

Handler = Callable[[Request, "DoubleState"], Awaitable[Response]]


@dataclass
class DoubleState:
    """Everything the routes share; `behaviour` may be replaced or changed while the server runs."""

    behaviour: RasaBehaviour
    recordings: Recordings
    conversations: Conversations
    chat_auth: RasaChatAuth
    auth_token: str
    tasks: BackgroundTasks
    training_jobs: TrainingJobs


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A route that answers Rasa's ErrorResponse as Rasa does and anything else as Sanic does."""

    async def route(request: Request) -> Response:
        state: DoubleState = request.app.state.double
        try:
            return await handler(request, state)
        except RasaError as error:
            return error.response(state.behaviour.version)
        except SanicError as error:
            return sanic_error(error.status, error.message)
        except ChatRefused:
            return sanic_error(401)
        except Exception as error:
            state.recordings.server_errors.append(f"{type(error).__name__}: {error}")
            log.warning("rasa_double_unhandled_error %s: %s", type(error).__name__, error)
            return sanic_error(500)

    return route


def require_token(request: Request, state: DoubleState) -> None:
    """`requires_auth` of a server started with `--auth-token` (none: every caller is let in)."""
    if state.auth_token and request.query_params.get("token") != state.auth_token:
        raise not_authenticated()


async def recorded(request: Request, into: list[RecordedRequest]) -> bytes:
    body = await request.body()
    into.append(
        RecordedRequest(request.method, request.url.path, dict(request.query_params), dict(request.headers), body)
    )
    return body


def json_of(body: bytes) -> Any:
    """Sanic's `request.json`: None for an empty body, a 400 for a body that is not JSON."""
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        raise SanicError(400, "Failed when parsing body as json") from None


async def hello(request: Request, state: DoubleState) -> Response:
    return PlainTextResponse(f"Hello from Rasa: {state.behaviour.version}")


async def version(request: Request, state: DoubleState) -> Response:
    behaviour = state.behaviour
    return JSONResponse(
        {"version": behaviour.version, "minimum_compatible_version": behaviour.minimum_compatible_version}
    )


async def status(request: Request, state: DoubleState) -> Response:
    require_token(request, state)
    return JSONResponse(
        {
            "model_file": state.behaviour.model_archive.name,
            "model_id": state.behaviour.model_id,
            "num_active_training_jobs": state.training_jobs.active,
        }
    )


async def train(request: Request, state: DoubleState) -> Response:
    body = await recorded(request, state.recordings.train_requests)
    require_token(request, state)
    behaviour = replace(state.behaviour)
    return await answer_or_call_back(
        request,
        lambda: model_jobs.train(body, behaviour, state.training_jobs),
        "model",
        behaviour.version,
        state.recordings,
        state.tasks,
    )


async def evaluate_intents(request: Request, state: DoubleState) -> Response:
    body = await recorded(request, state.recordings.evaluate_requests)
    require_token(request, state)
    behaviour = replace(state.behaviour)
    content_type = request.headers.get("content-type")
    folds = request.query_params.get("cross_validation_folds")
    return await answer_or_call_back(
        request,
        lambda: model_jobs.evaluate_intents(body, content_type, folds, behaviour),
        "results",
        behaviour.version,
        state.recordings,
        state.tasks,
    )


async def parse(request: Request, state: DoubleState) -> Response:
    require_token(request, state)
    body = await request.body()
    if not body:
        raise RasaError(
            400,
            "BadRequest",
            "No text message defined in request_body. Add text message to request body in order to obtain the "
            "intent and extracted entities.",
        )
    return JSONResponse(parse_text(str((json_of(body) or {}).get("text", "")), None))


async def webhook_health(request: Request, state: DoubleState) -> Response:
    return JSONResponse({"status": "ok"})


async def webhook(request: Request, state: DoubleState) -> Response:
    """The `rasa` channel's `POST /webhooks/rasa/webhook`: answers what a CollectingOutputChannel collected."""
    raw = await recorded(request, state.recordings.chat_requests)
    behaviour = replace(state.behaviour)
    token = await state.chat_auth.payload(request.headers.get("authorization"), request.query_params.get("token"))
    body = json_of(raw)
    sender = sender_of(token, body)
    await asyncio.sleep(behaviour.chat_reply_delay_s)
    text = body.get("message")
    if not isinstance(text, str):
        return JSONResponse([])  # Rasa logs the failed message and answers what it collected: nothing
    input_channel = body.get("input_channel") or "rasa"
    messages = await state.conversations.handle_message(sender, text, input_channel, body.get("metadata"), behaviour)
    return JSONResponse(messages)


async def get_tracker(request: Request, state: DoubleState) -> Response:
    require_token(request, state)
    conversation_id = request.path_params["conversation_id"]
    return JSONResponse(await state.conversations.tracker(conversation_id, state.behaviour))


async def append_events(request: Request, state: DoubleState) -> Response:
    require_token(request, state)
    body = json_of(await request.body())
    conversation_id = request.path_params["conversation_id"]
    return JSONResponse(await state.conversations.append(conversation_id, body, state.behaviour))


async def predict(request: Request, state: DoubleState) -> Response:
    require_token(request, state)
    return JSONResponse(await state.conversations.predict(request.path_params["conversation_id"]))


async def execute(request: Request, state: DoubleState) -> Response:
    require_token(request, state)
    conversation_id = request.path_params["conversation_id"]
    if not state.conversations.exists(conversation_id):
        raise RasaError(404, "Not found", "Conversation ID not found.")
    body = json_of(await request.body()) or {}
    name = body.get("name")
    if not name:
        raise RasaError(
            400, "BadRequest", "Name of the action not provided in request body.", {"parameter": "name", "in": "body"}
        )
    result = await state.conversations.execute(
        conversation_id, str(name), body.get("policy"), body.get("confidence"), state.behaviour
    )
    return JSONResponse(result)


class WhileAvailable:
    """503 for every request while `behaviour.available` is False (a server down for maintenance)."""

    def __init__(self, app: ASGIApp, state: DoubleState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.state.behaviour.available:
            await PlainTextResponse("Service Unavailable", status_code=503)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(state: DoubleState) -> Starlette:
    conversation = "/conversations/{conversation_id:path}"
    routes = [
        Route("/", endpoint(hello)),
        Route("/version", endpoint(version)),
        Route("/status", endpoint(status)),
        Route("/model/train", endpoint(train), methods=["POST"]),
        Route("/model/test/intents", endpoint(evaluate_intents), methods=["POST"]),
        Route("/model/parse", endpoint(parse), methods=["POST"]),
        Route("/webhooks/rasa/", endpoint(webhook_health)),
        Route("/webhooks/rasa/webhook", endpoint(webhook), methods=["POST"]),
        Route(f"{conversation}/tracker", endpoint(get_tracker)),
        Route(f"{conversation}/tracker/events", endpoint(append_events), methods=["POST"]),
        Route(f"{conversation}/predict", endpoint(predict), methods=["POST"]),
        Route(f"{conversation}/execute", endpoint(execute), methods=["POST"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(WhileAvailable, state=state)])
    app.state.double = state
    return app
