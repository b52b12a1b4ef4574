"""NLU training data: examples, intents, user goals, entities, synonyms, regexes, lookup tables."""

from __future__ import annotations

from gateway.openapi.schema import Schema

SCHEMAS: dict[str, Schema] = {}
PATHS: dict[str, Schema] = {}
