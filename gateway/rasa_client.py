"""The team's Rasa Open Source servers, one per environment, and the HTTP calls the gateway makes to them.

Every call names its environment; an environment that is not configured raises NoRasaServer (409 saying which
setting to set), a server that does not answer raises RasaUnreachable (502), and an answer Rasa refused raises
RasaRefused (with Rasa's own error message). Contracts: DESIGN.md §3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from starlette.requests import Request

from conversely.settings import Settings
from gateway.errors import ApiError

# Rasa answers these at once (training runs in the background and calls back); a chat message may wait for a
# custom action, so it gets longer.
REQUEST_TIMEOUT_S = 10.0
CHAT_TIMEOUT_S = 30.0
YAML_CONTENT_TYPE = "application/x-yaml"  # the exact type Rasa's server checks for YAML payloads


class NoRasaServer(ApiError):
    def __init__(self, environment: str, configured: Mapping[str, str]) -> None:
        names = ", ".join(sorted(configured)) or "none"
        super().__init__(
            409,
            "NoRasaServer",
            f"no Rasa server is configured for the environment {environment!r} (configured: {names}); "
            "set CONVERSELY_RASA_ENVIRONMENTS, e.g. production=http://rasa:5005,worker=http://rasa-worker:5005",
        )


class RasaUnreachable(ApiError):
    def __init__(self, environment: str, url: str, error: Exception) -> None:
        super().__init__(
            502,
            "RasaUnreachable",
            f"the Rasa server of {environment!r} at {url} did not answer: {type(error).__name__} {error}".rstrip(),
        )


class RasaRefused(ApiError):
    """Rasa answered with an error status; `message` is Rasa's own explanation when it gave one."""

    def __init__(self, environment: str, status: int, message: str) -> None:
        super().__init__(502, "RasaRefused", f"the Rasa server of {environment!r} answered {status}: {message}")
        self.rasa_status = status
        self.rasa_message = message


def rasa_error_message(response: httpx.Response) -> str:
    """Rasa's explanation in an error response (`{"message": ...}` from its ErrorResponse), else the body's text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:2000] or response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return response.text.strip()[:2000]


@dataclass
class RasaServers:
    """The configured Rasa servers and one HTTP client shared by every call to them."""

    urls: dict[str, str]
    auth_token: str
    client: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S))

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaServers:
        return cls(settings.rasa_servers, settings.rasa_auth_token)

    async def close(self) -> None:
        await self.client.aclose()

    def url(self, environment: str) -> str:
        try:
            return self.urls[environment]
        except KeyError:
            raise NoRasaServer(environment, self.urls) from None

    async def request(
        self,
        environment: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        timeout: float = REQUEST_TIMEOUT_S,
        **kwargs: Any,
    ) -> httpx.Response:
        """`method path` on the environment's server, with its auth token; RasaRefused for a status >= 400."""
        base = self.url(environment)
        query = dict(params or {})
        if self.auth_token:
            query["token"] = self.auth_token
        try:
            response = await self.client.request(method, base + path, params=query, timeout=timeout, **kwargs)
        except httpx.HTTPError as error:
            raise RasaUnreachable(environment, base, error) from None
        if response.status_code >= 400:
            raise RasaRefused(environment, response.status_code, rasa_error_message(response))
        return response

    async def version(self, environment: str) -> dict[str, Any]:
        """Rasa's `GET /version`: `{"version", "minimum_compatible_version"}`."""
        body = (await self.request(environment, "GET", "/version")).json()
        return body if isinstance(body, dict) else {}

    async def start_training(self, environment: str, payload_yaml: str, callback_url: str) -> None:
        """`POST /model/train`: Rasa answers 204 at once and later posts the model (or its error) to callback_url."""
        await self.request(
            environment,
            "POST",
            "/model/train",
            params={"callback_url": callback_url, "save_to_default_model_directory": "false"},
            content=payload_yaml.encode(),
            headers={"Content-Type": YAML_CONTENT_TYPE},
        )

    async def start_cross_validation(self, environment: str, payload_yaml: str, folds: int, callback_url: str) -> None:
        """`POST /model/test/intents?cross_validation_folds=N`: 204 now, the results (JSON) to callback_url later."""
        await self.request(
            environment,
            "POST",
            "/model/test/intents",
            params={"cross_validation_folds": str(folds), "callback_url": callback_url},
            content=payload_yaml.encode(),
            headers={"Content-Type": YAML_CONTENT_TYPE},
        )

    async def send_chat_message(
        self, environment: str, access_token: str, message: str, conversation_id: str
    ) -> list[dict[str, Any]]:
        """A user message to the `rasa` channel, authenticated with our JWT; the messages Rasa answered with."""
        response = await self.request(
            environment,
            "POST",
            "/webhooks/rasa/webhook",
            json={"message": message, "conversation_id": conversation_id},
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=CHAT_TIMEOUT_S,
        )
        body = response.json() if response.content else []
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []

    async def predict_action(self, environment: str, sender_id: str) -> dict[str, Any]:
        """`POST /conversations/{id}/predict`: `{scores, policy, confidence, tracker}`, without executing anything."""
        return _json_object(await self.request(environment, "POST", conversation_path(sender_id, "predict")))

    async def execute_action(self, environment: str, sender_id: str, action: Mapping[str, Any]) -> dict[str, Any]:
        """`POST /conversations/{id}/execute` with `{name, policy?, confidence?}`: `{tracker, messages}`."""
        path = conversation_path(sender_id, "execute")
        return _json_object(await self.request(environment, "POST", path, json=dict(action), timeout=CHAT_TIMEOUT_S))

    async def append_events(self, environment: str, sender_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        """`POST /conversations/{id}/tracker/events`: the events appended to the tracker; the tracker after them."""
        path = conversation_path(sender_id, "tracker/events")
        return _json_object(await self.request(environment, "POST", path, json=events))


# RFC 3986's sub-delims, ":" and "@" (which a path segment may hold as they are) and "/".
_PATH_CHARACTERS = "/:@!$&'()*+,;="


def conversation_path(sender_id: str, endpoint: str) -> str:
    """`/conversations/{sender_id}/{endpoint}`. Rasa does not unquote path parameters (Sanic's default), so every
    character a path may hold is sent as it is, `/` too (Rasa's route takes a path), and only the rest is escaped."""
    return f"/conversations/{quote(sender_id, safe=_PATH_CHARACTERS)}/{endpoint}"


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def rasa_servers(request: Request) -> RasaServers:
    return request.app.state.rasa_servers  # type: ignore[no-any-return]


def served_environment(request: Request, default: str = "production") -> str:
    """The environment `?environment=` names (default: `default`); NoRasaServer (409) when it has no server."""
    environment = request.query_params.get("environment") or default
    rasa_servers(request).url(environment)
    return environment
