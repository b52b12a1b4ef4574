"""The schema migrations: in step with the models, reversible, and safe when two copies start at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.pool import NullPool

from conversely.database import open_engine
from migration_service.runner import ADVISORY_LOCK_KEY, MigrationRunner, alembic_config, head_revisions
from storage_service.models import Base
from tests.servers import fresh_postgres_database
from tests.stack import Stack, stack_environment, wait_for


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def run_alembic(url: str, action: str, revision: str) -> None:
    engine = open_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)
        connection.commit()
    engine.dispose()


# SQLite cannot reflect expression indexes, so alembic skips them there; PostgreSQL's run compares them.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(database_url: str) -> None:
    runner = MigrationRunner(database_url)
    runner.run(threading.Event())
    assert runner.status.state == "completed", runner.status.message
    engine = open_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    run_alembic(database_url, "upgrade", "head")
    run_alembic(database_url, "downgrade", "base")
    engine = open_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    run_alembic(database_url, "upgrade", "head")
    assert {"conversation", "conversation_event"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_status_reports_revisions_and_progress(sqlite_url: str) -> None:
    runner = MigrationRunner(sqlite_url)
    assert runner.status.state == "pending"
    runner.run(threading.Event())
    status = runner.status.as_rasa_x_dict()
    assert status["status"] == "completed"
    assert status["current_revision"] == status["target_revision"] == head_revisions()
    assert status["progress_in_percent"] == 100.0


def test_unreachable_database_is_reported_as_failed() -> None:
    runner = MigrationRunner("postgresql://postgres@127.0.0.1:1/nowhere")
    runner.run(threading.Event())
    assert runner.status.state == "failed"
    assert "OperationalError" in runner.status.message


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


def test_two_migration_services_started_together_both_complete(empty_postgres_url: str, tmp_path: Path) -> None:
    env = {"CONVERSELY_DATABASE_URL": empty_postgres_url}
    stacks = [Stack(stack_environment(tmp_path / f"copy{i}", env), tmp_path / f"copy{i}") for i in range(2)]
    for stack in stacks:
        stack.start("migrate")
    try:
        for stack in stacks:
            url = f"http://127.0.0.1:{stack.env['CONVERSELY_MIGRATION_HTTP_PORT']}/"

            def completed(url: str = url) -> bool:
                try:
                    return httpx.get(url, timeout=2).json()["status"] == "completed"
                except httpx.HTTPError:
                    return False

            wait_for(completed, "both migration services to report completed", stack=stack)
            health = httpx.get(url + "health", timeout=2)
            assert health.status_code == 200
    finally:
        exit_codes = [stack.stop() for stack in stacks]
    assert exit_codes == [{"migrate": 0}, {"migrate": 0}]
    logs = [stack.processes["migrate"].log() for stack in stacks]
    applied_all = f'"applied": {len(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))}'
    assert sum("migrations_completed" in log and applied_all in log for log in logs) == 1, logs
    assert not any("migration_failed" in log for log in logs), logs


def test_migration_waits_while_another_copy_holds_the_lock(empty_postgres_url: str) -> None:
    holder = psycopg.connect(empty_postgres_url, autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
    runner = MigrationRunner(empty_postgres_url, lock_poll_s=0.05)
    thread = threading.Thread(target=runner.run, args=(threading.Event(),))
    thread.start()
    try:
        wait_for(lambda: "waiting" in runner.status.message, "the runner to wait for the lock", timeout_s=10)
        assert runner.status.state == "pending"
        assert "conversation" not in inspect(open_engine(empty_postgres_url, poolclass=NullPool)).get_table_names()
    finally:
        holder.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
        holder.close()
    thread.join(10)
    assert runner.status.state == "completed", runner.status.message
