"""Runs alembic `upgrade head` once, under a PostgreSQL advisory lock, and keeps a status others can read."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import structlog
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.pool import NullPool

from conversely.database import open_engine

log = structlog.get_logger()

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant works as long as every copy of Conversely uses the same one; this is "conversely" in ASCII.
ADVISORY_LOCK_KEY = 0x636F6E7665727365


@dataclass(frozen=True)
class MigrationStatus:
    state: str = "pending"  # pending | in_progress | completed | failed
    current_revisions: tuple[str, ...] = ()
    target_revisions: tuple[str, ...] = ()
    progress_percent: float = 0.0
    message: str = ""

    def as_rasa_x_dict(self) -> dict[str, Any]:
        """The shape Rasa X's db-migration-service answered `GET /` with."""
        return {
            "status": self.state,
            "current_revision": list(self.current_revisions),
            "target_revision": list(self.target_revisions),
            "progress_in_percent": self.progress_percent,
            "message": self.message,
        }


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revisions() -> list[str]:
    """The revisions `upgrade head` leads to."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


@dataclass
class MigrationRunner:
    database_url: str
    lock_poll_s: float = 0.5
    _status: MigrationStatus = field(default_factory=MigrationStatus)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @property
    def status(self) -> MigrationStatus:
        with self._guard:
            return self._status

    def _update(self, **changes: Any) -> None:
        with self._guard:
            self._status = replace(self._status, **changes)

    def run(self, stop: threading.Event) -> None:
        """Upgrade to head; on failure the status says why (the process keeps reporting it)."""
        config = alembic_config()
        targets = tuple(head_revisions())
        self._update(target_revisions=targets)
        engine = None
        try:
            engine = open_engine(self.database_url, poolclass=NullPool)
            with engine.connect() as connection, self._exclusive(connection, stop) as acquired:
                if acquired:
                    self._upgrade(config, connection, targets)
        except Exception as error:
            log.exception("migration_failed")
            self._update(state="failed", message=f"{type(error).__name__}: {error}")
        finally:
            if engine is not None:
                engine.dispose()

    def _upgrade(self, config: Config, connection: Connection, targets: tuple[str, ...]) -> None:
        script = ScriptDirectory.from_config(config)
        current = tuple(MigrationContext.configure(connection).get_current_heads())
        pending = len(list(script.iterate_revisions(targets, current))) if set(current) != set(targets) else 0
        self._update(state="in_progress", current_revisions=current, message=f"{pending} revision(s) to apply")
        log.info("migrating", current=current, target=targets, pending=pending)
        applied = 0

        def on_version_apply(*, heads: Any, **_: Any) -> None:
            nonlocal applied
            applied += 1
            self._update(current_revisions=tuple(heads), progress_percent=round(100.0 * applied / pending, 1))

        config.attributes["connection"] = connection
        config.attributes["on_version_apply"] = on_version_apply
        command.upgrade(config, "head")
        connection.commit()
        current = tuple(MigrationContext.configure(connection).get_current_heads())
        self._update(state="completed", current_revisions=current, progress_percent=100.0, message="")
        log.info("migrations_completed", revisions=current, applied=applied)

    @contextmanager
    def _exclusive(self, connection: Connection, stop: threading.Event) -> Iterator[bool]:
        """Hold PostgreSQL's session advisory lock (alembic has none), so copies started together take turns."""
        if connection.dialect.name != "postgresql":
            yield True
            return
        waiting_logged = False
        while not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}):
            connection.commit()
            if not waiting_logged:
                log.info("waiting_for_migration_lock")
                self._update(message="another migration_service holds the migration lock; waiting for it")
                waiting_logged = True
            if stop.wait(self.lock_poll_s):
                yield False
                return
        connection.commit()
        try:
            yield True
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
