"""Stories, rules, test stories, responses, domain, actions, config and project import/export."""

from __future__ import annotations

from gateway.openapi.schema import Schema

SCHEMAS: dict[str, Schema] = {}
PATHS: dict[str, Schema] = {}
