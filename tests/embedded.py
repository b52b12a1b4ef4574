"""`conversely up` as a test fixture: the embedded stack on SQLite, fed the way Rasa's SQL event broker does."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.stack import ServiceProcess, api_client, stack_environment, start_process, wait_for

# The table Rasa's SQLEventBroker creates (rasa/core/brokers/sql.py).
RASA_EVENTS_TABLE = "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)"


class Embedded:
    def __init__(self, tmp_path: Path) -> None:
        self.env = stack_environment(tmp_path)
        self.log_dir = tmp_path
        self.database = Path(self.env["CONVERSELY_DATA_DIR"]) / "conversely.db"
        self.process: ServiceProcess | None = None
        self._api: httpx.Client | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.env['CONVERSELY_GATEWAY_PORT']}"

    def up(self) -> None:
        self._api = None
        announced = self._announcements()
        self.process = start_process("up", ["up"], self.env, self.log_dir)
        wait_for(lambda: self._announcements() > announced, "`conversely up` to announce itself", 90)

    def _announcements(self) -> int:
        log = self.log_dir / "up.log"
        return log.read_text().count("Conversely is up") if log.exists() else 0

    def down(self) -> int:
        assert self.process is not None
        self.process.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            return self.process.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.process.kill()
            raise

    def write_like_rasa(self, bodies: list[dict[str, Any]], ids: list[int] | None = None) -> None:
        """Insert rows as Rasa's SQL broker does; `ids` forces row ids, as out-of-order commits leave them."""
        rows = [(body["sender_id"], json.dumps(body)) for body in bodies]
        with sqlite3.connect(self.database) as db:
            db.execute(RASA_EVENTS_TABLE)
            if ids is None:
                db.executemany("INSERT INTO events (sender_id, data) VALUES (?, ?)", rows)
            else:
                db.executemany(
                    "INSERT INTO events (id, sender_id, data) VALUES (?, ?, ?)",
                    [(row_id, *row) for row_id, row in zip(ids, rows, strict=True)],
                )

    def api(self) -> httpx.Client:
        """A client of the gateway logged in as the admin (one login per `up`)."""
        if self._api is None:
            self._api = api_client(self.url)
        return self._api

    def conversations(self) -> dict[str, dict[str, Any]]:
        return {c["sender_id"]: c for c in self.api().get("/api/conversations").json()}

    def stored_events(self) -> int:
        return sum(c["number_of_events"] for c in self.conversations().values())
