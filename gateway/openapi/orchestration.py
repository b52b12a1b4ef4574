"""Environments, runtime configuration, training and cross-validation jobs."""

from __future__ import annotations

from gateway.openapi.schema import Schema

SCHEMAS: dict[str, Schema] = {}
PATHS: dict[str, Schema] = {}
