"""The events the double publishes, as Rasa 3.6.21 serialises them, and the sinks that stand in for its broker.

Key order and fields follow /work/shared/fixtures/rasa-3.6.21/broker-messages.jsonl. A published body is the
event with `sender_id` first (rasa/core/tracker_store.py `_stream_new_events`).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from tests.embedded import RASA_EVENTS_TABLE

Event = dict[str, Any]
Sink = Callable[[list[Event]], None]
EMPTY_BOT_DATA = ("elements", "quick_replies", "buttons", "attachment", "image", "custom")
# Each type's own keys in Rasa's `as_dict` order, with the values Rasa fills in when a posted event omits them.
EVENT_DEFAULTS: dict[str, dict[str, Any]] = {
    "action": {"name": None, "policy": None, "confidence": None, "action_text": None, "hide_rule_turn": False},
    "user": {"text": None, "parse_data": None, "input_channel": None, "message_id": None},
    "bot": {"text": None, "data": {}},
    "slot": {"name": None, "value": None},
}
STORE_TIMEOUT_S = 10.0


@dataclass
class Clock:
    """Event timestamps: wall-clock floats, strictly increasing so that every event of a turn is ordered."""

    _last: float = field(default=0.0)

    def now(self) -> float:
        self._last = max(time.time(), self._last + 1e-6)
        return self._last


@dataclass
class EventFactory:
    """Builds the events of one server: every one stamped now and tagged with the loaded model."""

    model_id: str
    assistant_id: str
    clock: Clock

    def _event(self, kind: str, extra_metadata: dict[str, Any] | None = None, **fields: Any) -> Event:
        metadata = {**(extra_metadata or {}), "model_id": self.model_id, "assistant_id": self.assistant_id}
        return {"event": kind, "timestamp": self.clock.now(), "metadata": metadata, **fields}

    def action(
        self, name: str, policy: str | None = None, confidence: float | None = None, hide_rule_turn: bool = False
    ) -> Event:
        return self._event(
            "action", name=name, policy=policy, confidence=confidence, action_text=None, hide_rule_turn=hide_rule_turn
        )

    def session_start(self) -> list[Event]:
        """What `action_session_start` adds to a new conversation."""
        return [
            self.action("action_session_start", confidence=1.0),
            self._event("session_started"),
            self.action("action_listen"),
        ]

    def user(self, text: str, parse_data: dict[str, Any], input_channel: str | None, message_id: str) -> Event:
        metadata = parse_data.get("metadata") or {}
        return self._event(
            "user", metadata, text=text, parse_data=parse_data, input_channel=input_channel, message_id=message_id
        )

    def user_featurization(self) -> Event:
        return self._event("user_featurization", use_text_for_featurization=False)

    def bot(self, response_name: str, response: dict[str, Any]) -> Event:
        data: dict[str, Any] = dict.fromkeys(EMPTY_BOT_DATA)
        if "image" in response:
            # Rasa's image responses are sent as an attachment too.
            data.update(attachment=response["image"], image=response["image"])
        return self._event("bot", {"utter_action": response_name}, text=response.get("text"), data=data)

    def rewind(self) -> Event:
        return self._event("rewind")

    def restart(self) -> Event:
        return self._event("restart")

    def posted(self, posted: dict[str, Any]) -> Event:
        """A posted event as Rasa stores it: its own timestamp kept, the model's ids added to its metadata."""
        kind = str(posted["event"])
        metadata = {**(posted.get("metadata") or {}), "model_id": self.model_id, "assistant_id": self.assistant_id}
        timestamp = posted.get("timestamp")
        rest = {key: value for key, value in posted.items() if key not in {"event", "timestamp", "metadata"}}
        fields = {key: rest.get(key, default) for key, default in EVENT_DEFAULTS.get(kind, {}).items()}
        if kind == "user":
            fields["parse_data"] = _user_parse_data(rest, posted.get("metadata") or {})
        fields.update({key: value for key, value in rest.items() if key not in fields})
        return {
            "event": kind,
            "timestamp": float(timestamp) if isinstance(timestamp, int | float) else self.clock.now(),
            "metadata": metadata,
            **fields,
        }


def _user_parse_data(posted: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    given = posted.get("parse_data") or {}
    parse_data = {
        "intent": given.get("intent") or {},
        "entities": given.get("entities") or [],
        "text": posted.get("text"),
        "message_id": posted.get("message_id"),
        "metadata": metadata,
    }
    parse_data.update({key: value for key, value in given.items() if key not in parse_data})
    return parse_data


def published(sender_id: str, events: list[Event]) -> list[Event]:
    """The bodies Rasa's broker publishes for `events`: each event with `sender_id` first."""
    return [{"sender_id": sender_id, **event} for event in events]


def sql_broker_sink(db_path: Path | str) -> Sink:
    """Rows in the `events(id, sender_id, data)` table of a SQLite file, one commit per event, as Rasa's
    SQLEventBroker writes them (rasa/core/brokers/sql.py)."""

    def publish(bodies: list[Event]) -> None:
        with closing(sqlite3.connect(db_path, timeout=30)) as db:
            db.execute(RASA_EVENTS_TABLE)
            for body in bodies:
                row = (body.get("sender_id"), json.dumps(body))
                db.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", row)
                db.commit()

    return publish


def storage_sink(storage_address: str, environment: str = "production") -> Sink:
    """Each batch straight into storage_service's AppendEvents, for tests that run storage without event_service."""

    def publish(bodies: list[Event]) -> None:
        request = storage_pb2.AppendEventsRequest(
            events=[
                storage_pb2.Event(sender_id=body["sender_id"], json=json.dumps(body), rasa_environment=environment)
                for body in bodies
            ]
        )
        with grpc.insecure_channel(storage_address) as channel:
            storage_pb2_grpc.StorageServiceStub(channel).AppendEvents(request, timeout=STORE_TIMEOUT_S)

    return publish
