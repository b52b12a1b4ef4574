"""Helpers of the storage query tests: migrating a database and appending Rasa events to it."""

from __future__ import annotations

import json
import threading
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from conversely.rasa_events import parse_event
from migration_service.runner import MigrationRunner
from storage_service.queries import events


def migrate(url: str) -> None:
    runner = MigrationRunner(url)
    runner.run(threading.Event())
    assert runner.status.state == "completed", runner.status


def event(sender: str, kind: str, timestamp: float, **fields: Any) -> dict[str, Any]:
    return {"sender_id": sender, "event": kind, "timestamp": timestamp, **fields}


def user(sender: str, timestamp: float, intent: str = "greet", channel: str = "rest", text: str = "hi") -> dict:
    return event(sender, "user", timestamp, text=text, input_channel=channel, parse_data={"intent": {"name": intent}})


def append(
    sessions: sessionmaker[Session],
    bodies: list[dict[str, Any]],
    checkpoint: tuple[str, int] | None = None,
    environment: str = "production",
) -> events.AppendResult:
    with sessions.begin() as session:
        return events.append_events(
            session, [(parse_event(json.dumps(body)), environment) for body in bodies], checkpoint
        )
