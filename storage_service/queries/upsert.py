"""Dialect-specific pieces of INSERT ... ON CONFLICT for the two databases Conversely runs on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import Base


def insert_for(session: Session, model: type[Base]) -> Any:
    """An INSERT that supports on_conflict_do_nothing / on_conflict_do_update on this session's database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"Conversely supports PostgreSQL and SQLite, not {dialect}")


def greatest(session: Session, left: Any, right: Any) -> ColumnElement[Any]:
    """The larger of two non-null values (GREATEST on PostgreSQL, two-argument max() on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.greatest(left, right)
    return func.max(left, right)
