"""Recording the SQL statements a test causes, to prove what is (not) queried."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def recorded_statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    """The statements run on the sessions' engine inside the block, in order (the list grows as they run)."""
    seen: list[str] = []
    engine = sessions.kw["bind"]

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
