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
    """The larger of two values, ignoring a NULL one (NULL only when both are)."""
    return _pick(session, "greatest", "max", left, right)


def least(session: Session, left: Any, right: Any) -> ColumnElement[Any]:
    """The smaller of two values, ignoring a NULL one (NULL only when both are)."""
    return _pick(session, "least", "min", left, right)


def _pick(session: Session, postgres_name: str, sqlite_name: str, left: Any, right: Any) -> ColumnElement[Any]:
    # PostgreSQL's GREATEST/LEAST skip NULLs; SQLite's two-argument max()/min() return NULL, hence coalesce.
    if session.get_bind().dialect.name == "postgresql":
        return getattr(func, postgres_name)(left, right)  # type: ignore[no-any-return]
    return getattr(func, sqlite_name)(func.coalesce(left, right), func.coalesce(right, left))  # type: ignore[no-any-return]
