"""Who sends a message to the `rasa` channel: Rasa 3.6.21's RasaChatInput (rasa/core/channels/rasa_chat.py).

The channel verifies the caller's JWT with the public key published at `{gateway}/api/version` (`keys[0]`),
fetched on the first message and fetched again once when a signature does not verify. Only a payload that
decodes to nothing is refused with Sanic's 401; every other failure (no token, a bad signature after the
re-fetch, an expired token, an unreachable gateway) is an exception Rasa does not catch, so Sanic answers 500.
"""

from __future__ import annotations

from typing import Any

import httpx
import jwt

CONVERSATION_ID_KEY = "conversation_id"
JWT_USERNAME_KEY = "username"
INTERACTIVE_LEARNING_PERMISSION = "clientEvents:create"
BEARER_TOKEN_PREFIX = "Bearer "
KEY_FETCH_TIMEOUT_S = 10.0


class ChatRefused(Exception):
    """Rasa's `SanicException(status_code=401)`: no usable payload, or another user's conversation."""


class RasaChatAuth:
    """The channel's state: the public key and algorithm last fetched from the gateway."""

    def __init__(self, gateway_url: str) -> None:
        self.base_url = gateway_url.rstrip("/") + "/api"
        self.jwt_key: str | None = None
        self.jwt_algorithm: str | None = None
        self.key_fetches = 0

    async def payload(self, authorization: str | None, token_param: str | None) -> dict[str, Any]:
        """The verified JWT payload of the `Authorization` header, else of `?token=` (first half of
        `RasaChatInput._extract_sender`)."""
        payload = None
        if authorization:
            payload = await self._decode_bearer_token(authorization)
        if not payload:
            payload = await self._decode_bearer_token(token_param)
        if not payload:
            raise ChatRefused
        return payload

    async def _fetch_public_key(self) -> None:
        self.key_fetches += 1
        async with httpx.AsyncClient(timeout=KEY_FETCH_TIMEOUT_S) as client:
            response = await client.get(f"{self.base_url}/version")
        if response.status_code != 200:
            return  # Rasa logs the failure and keeps the key it had
        body = response.json()
        if "keys" in body:
            self.jwt_key = body["keys"][0]["key"]
            self.jwt_algorithm = body["keys"][0]["alg"]

    async def _decode_bearer_token(self, bearer_token: str | None) -> dict[str, Any]:
        if self.jwt_key is None:
            await self._fetch_public_key()
        try:
            return _decode_jwt(bearer_token, self.jwt_key, self.jwt_algorithm)
        except jwt.InvalidSignatureError:
            await self._fetch_public_key()
            return _decode_jwt(bearer_token, self.jwt_key, self.jwt_algorithm)


def _decode_jwt(bearer_token: str | None, key: str | None, algorithm: str | None) -> dict[str, Any]:
    """`rasa.core.channels.channel.decode_jwt`; a missing token fails as Rasa's `None.replace(...)` does."""
    if bearer_token is None:
        raise AttributeError("'NoneType' object has no attribute 'replace'")
    token = bearer_token.replace(BEARER_TOKEN_PREFIX, "")
    return jwt.decode(token, key, algorithms=[algorithm] if algorithm else None)  # type: ignore[arg-type]


def sender_of(payload: dict[str, Any], body: Any) -> str:
    """The conversation a message goes to (second half of `RasaChatInput._extract_sender`): the body's
    `conversation_id` if the token's user may write to it, else the token's `username`."""
    if CONVERSATION_ID_KEY in body:
        if _may_send_to(payload, body):
            return str(body[CONVERSATION_ID_KEY])
        raise ChatRefused
    return str(payload[JWT_USERNAME_KEY])


def _may_send_to(payload: dict[str, Any], body: dict[str, Any]) -> bool:
    scopes = payload.get("scopes", [])
    return INTERACTIVE_LEARNING_PERMISSION in scopes or body[CONVERSATION_ID_KEY] == payload.get(JWT_USERNAME_KEY)
