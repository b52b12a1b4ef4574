"""INSERT ... ON CONFLICT of many rows at once, on the two databases Conversely runs on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Table, Text, bindparam, cast, column, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import Base


@dataclass(frozen=True)
class BulkInsert:
    """An INSERT of many rows: add on_conflict_*/returning to `statement`, then `execute` it."""

    statement: Any
    parameters: list[dict[str, Any]] | None

    def execute(self, session: Session, statement: Any = None) -> Any:
        return session.connection().execute(self.statement if statement is None else statement, self.parameters)


def bulk_insert(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> BulkInsert:
    """INSERT `rows` (dicts with the same keys) into the model's table.

    PostgreSQL gets the rows as one JSON document (serialised in C by orjson) that it expands with
    json_to_recordset: the SQL text stays short and the same, so the driver need not parse a long VALUES list
    for every batch, nor format every value in Python. SQLite gets executemany, which SQLAlchemy batches into
    multi-row INSERTs.
    """
    table: Table = model.__table__  # type: ignore[assignment]
    columns = list(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        document = bindparam("rows", orjson.dumps(rows).decode(), type_=Text)
        source = (
            func.json_to_recordset(cast(document, postgresql.JSON))
            .table_valued(*(column(name, table.c[name].type) for name in columns))
            .render_derived(with_types=True)
        )
        statement = postgresql.insert(table).from_select(columns, select(*(source.c[name] for name in columns)))
        return BulkInsert(statement, None)
    if session.get_bind().dialect.name == "sqlite":
        return BulkInsert(sqlite.insert(table), list(rows))
    raise NotImplementedError(f"Conversely supports PostgreSQL and SQLite, not {session.get_bind().dialect.name}")


def insert_for(session: Session, model: type[Base]) -> Any:
    """A single-row INSERT that supports on_conflict_do_nothing / on_conflict_do_update."""
    table: Table = model.__table__  # type: ignore[assignment]
    return postgresql.insert(table) if session.get_bind().dialect.name == "postgresql" else sqlite.insert(table)


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
