"""Polls Rasa's SQL event broker table `events(id, sender_id, data)`.

The position is stored by storage_service in the same transaction as the events, so a restart neither reads
a row twice nor skips one. A row that can never be stored is logged and counted, and stays in Rasa's table.

Ids are not committed in order when several Rasa servers write the table (id 8 may commit after id 9), so the
poller only advances through a contiguous run of ids; a hole is skipped once it has stayed empty for
GAP_GRACE_S, as rolled-back inserts leave holes that never fill.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.exc import OperationalError

from conversely.database import open_engine
from conversely.rasa_events import InvalidEvent, parse_event
from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2
from event_service.metrics import IngestMetrics
from event_service.source import EventSource
from event_service.storage_writer import StorageWriter

log = structlog.get_logger()

RASA_EVENTS_TABLE = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("data", Text),
)
SOURCE = "sql-broker:events"
GAP_GRACE_S = 5.0


def contiguous_prefix(position: int, ids: list[int]) -> int:
    """How many of the ascending `ids` follow `position` with no hole."""
    for count, row_id in enumerate(ids):
        if row_id != position + count + 1:
            return count
    return len(ids)


class SqlBrokerPoller(EventSource):
    def __init__(
        self, settings: Settings, writer: StorageWriter, metrics: IngestMetrics, stop: threading.Event
    ) -> None:
        super().__init__(settings, writer, metrics, stop)
        self._engine = open_engine(settings.effective_sql_broker_url)
        self._hole_seen_at: float | None = None

    @property
    def source_name(self) -> str:
        return "sql-broker"

    def run(self) -> None:
        try:
            super().run()
        finally:
            self._engine.dispose()

    def _run_once(self) -> None:
        idle_s = self._settings.sql_broker_poll_ms / 1000
        # Read again after every restart: the position is whatever storage committed last.
        position = self._writer.checkpoint(SOURCE)
        log.info("polling_sql_broker", position=position, database=self._engine.url.render_as_string())
        table_missing_logged = False
        while not self._stop.is_set():
            if not self._table_exists():
                if not table_missing_logged:
                    log.info("waiting_for_rasa_events_table")
                    table_missing_logged = True
                self._stop.wait(idle_s)
                continue
            position, read = self._poll_once(position)
            if read < self._settings.batch_size:
                self._stop.wait(idle_s)

    def _without_unsettled_hole(self, position: int, rows: Sequence[Any]) -> Sequence[Any]:
        """The rows before the first hole in the ids; past a hole only once it stayed empty for GAP_GRACE_S."""
        complete = contiguous_prefix(position, [row.id for row in rows])
        if complete > 0:
            self._hole_seen_at = None
            return rows[:complete]
        now = time.monotonic()
        if self._hole_seen_at is None:
            self._hole_seen_at = now
        if now - self._hole_seen_at < GAP_GRACE_S:
            return []
        log.info("sql_broker_hole_skipped", after=position, next_id=rows[0].id)
        self._hole_seen_at = None
        return rows

    def _table_exists(self) -> bool:
        try:
            return inspect(self._engine).has_table(RASA_EVENTS_TABLE.name)
        except OperationalError:
            return False

    def _poll_once(self, position: int) -> tuple[int, int]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(RASA_EVENTS_TABLE)
                .where(RASA_EVENTS_TABLE.c.id > position)
                .order_by(RASA_EVENTS_TABLE.c.id)
                .limit(self._settings.batch_size)
            ).all()
        if not rows:
            return position, 0
        rows = self._without_unsettled_hole(position, rows)
        if not rows:
            return position, 0
        self._metrics.record_consumed(len(rows))
        events = []
        for row in rows:
            try:
                event = parse_event(row.data or "", sender_id=row.sender_id)
            except InvalidEvent as error:
                self._metrics.record_dead_letter(f"events.id={row.id}: {error}")
                log.warning("sql_broker_row_rejected", row_id=row.id, reason=str(error))
                continue
            events.append(
                storage_pb2.Event(
                    sender_id=event.sender_id,
                    json=event.json,
                    rasa_environment=self._settings.rasa_environment,
                )
            )
        last = rows[-1].id
        self._writer.store(events, checkpoint=storage_pb2.Checkpoint(source=SOURCE, position=last))
        return last, len(rows)
