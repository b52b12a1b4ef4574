"""String comparisons byte for byte, whatever the database's collation, as index ranges on both databases.

SQLite compares TEXT with its BINARY collation, byte for byte, so these are plain <, <=, >, >=. PostgreSQL's plain
operators follow the database's collation (in which "a:b" may sort after "a;"); there they are text_pattern_ops'
operators ~<~, ~>=~, ..., which the (kind, value text_pattern_ops, sender_id) index of conversation_attribute
serves, and which its planner estimates from the column's statistics.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Text, and_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import GenericFunction


class _Comparison(GenericFunction[bool]):
    type = Boolean()
    inherit_cache = True
    # (SQLite's operator, PostgreSQL's operator)
    operators: tuple[str, str] = ("", "")


class _AtLeast(_Comparison):
    name = "byte_at_least"
    inherit_cache = True
    operators = (">=", "~>=~")


class _After(_Comparison):
    name = "byte_after"
    inherit_cache = True
    operators = (">", "~>~")


class _Before(_Comparison):
    name = "byte_before"
    inherit_cache = True
    operators = ("<", "~<~")


class _Ascending(GenericFunction[str]):
    name = "byte_ascending"
    type = Text()
    inherit_cache = True


def at_least(column: Any, bound: Any) -> ColumnElement[bool]:
    return _AtLeast(column, bound)


def after(column: Any, bound: Any) -> ColumnElement[bool]:
    return _After(column, bound)


def between(column: Any, low: Any, high: Any) -> ColumnElement[bool]:
    """low <= column < high."""
    return and_(_AtLeast(column, low), _Before(column, high))


def ascending(column: Any) -> Any:
    """An ORDER BY term: `column` in byte order."""
    return _Ascending(column)


def _compile_comparison(element: _Comparison, compiler: SQLCompiler, postgresql: bool, **kw: Any) -> str:
    left, right = (compiler.process(clause, **kw) for clause in element.clauses)
    # PostgreSQL gives ~>=~ the precedence of ||: "a ~>=~ b || c" would compare before concatenating.
    return f"(({left}) {element.operators[postgresql]} ({right}))"


for _kind in (_AtLeast, _After, _Before):
    compiles(_kind)(lambda element, compiler, **kw: _compile_comparison(element, compiler, False, **kw))
    compiles(_kind, "postgresql")(lambda element, compiler, **kw: _compile_comparison(element, compiler, True, **kw))


@compiles(_Ascending)
def _ascending(element: _Ascending, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(next(iter(element.clauses)), **kw)


@compiles(_Ascending, "postgresql")
def _ascending_postgresql(element: _Ascending, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(next(iter(element.clauses)), **kw)} USING ~<~"
