"""Chat, the chat token and guest tokens, interactive learning, the push websocket."""

from __future__ import annotations

from gateway.openapi.schema import Schema

SCHEMAS: dict[str, Schema] = {}
PATHS: dict[str, Schema] = {}
