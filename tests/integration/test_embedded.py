"""The embedded default: `conversely up` on a SQLite file, fed by Rasa's SQL event broker table."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.embedded import Embedded
from tests.stack import as_rasa_sent, wait_for


def test_sql_broker_table_feeds_the_conversations(
    embedded: Embedded,
    broker_messages: list[dict[str, Any]],
    expected_events_by_sender: dict[str, list[dict[str, Any]]],
) -> None:
    embedded.up()
    assert f"UI and API at http://127.0.0.1:{embedded.env['CONVERSELY_GATEWAY_PORT']}" in embedded.process.log()  # type: ignore[union-attr]
    embedded.write_like_rasa([m["body"] for m in broker_messages])
    wait_for(lambda: embedded.stored_events() == len(broker_messages), "all fixture events stored")

    listed = embedded.conversations()
    assert set(listed) == set(expected_events_by_sender)
    for sender, expected in expected_events_by_sender.items():
        tracker = embedded.api().get(f"/api/conversations/{quote(sender, safe='')}/tracker").json()
        assert [as_rasa_sent(event) for event in tracker["events"]] == expected
        assert listed[sender]["n_user_messages"] == sum(e["event"] == "user" for e in expected)
    assert embedded.down() == 0


def test_restart_resumes_after_the_last_row_read(embedded: Embedded, broker_messages: list[dict[str, Any]]) -> None:
    bodies = [m["body"] for m in broker_messages]
    embedded.up()
    embedded.write_like_rasa(bodies[:40])
    wait_for(lambda: embedded.stored_events() == 40, "the first 40 events")
    assert embedded.down() == 0

    embedded.write_like_rasa(bodies[40:])  # written while Conversely is down
    embedded.up()
    wait_for(lambda: embedded.stored_events() == len(bodies), "the rest after the restart")
    status = _event_service_log_lines(embedded, "polling_sql_broker")
    assert [line["position"] for line in status] == [0, 40]
    assert embedded.down() == 0


def test_a_row_committed_late_below_the_position_is_not_skipped(
    embedded: Embedded, broker_messages: list[dict[str, Any]]
) -> None:
    first, second, late, fourth = (m["body"] for m in broker_messages[:4])
    embedded.up()
    embedded.write_like_rasa([first, second, fourth], ids=[1, 2, 4])  # id 3's transaction has not committed yet
    wait_for(lambda: embedded.stored_events() == 2, "the rows before the hole")
    time.sleep(1)
    assert embedded.stored_events() == 2, "the poller must not move past a hole this young"
    embedded.write_like_rasa([late], ids=[3])
    wait_for(lambda: embedded.stored_events() == 4, "the late row and the one after it")
    assert embedded.down() == 0


def test_every_service_stops_cleanly_on_ctrl_c(embedded: Embedded) -> None:
    embedded.up()
    assert embedded.down() == 0
    stopped = {line["service"] for line in _log_lines(embedded) if line.get("event") == "stopped"}
    assert stopped == {"storage_service", "event_service", "migration_service"}


def test_the_services_stop_gracefully_when_conversely_up_is_killed_outright(embedded: Embedded) -> None:
    embedded.up()
    assert embedded.process is not None
    supervisor = embedded.process.process
    services = _children(supervisor.pid)
    assert len(services) == 4

    supervisor.kill()  # SIGKILL: no chance to stop them itself
    supervisor.wait()

    wait_for(lambda: not any(_running(pid) for pid in services), "the orphaned services to stop", 30)
    stopped = {line["service"] for line in _log_lines(embedded) if line.get("event") == "stopped"}
    assert stopped == {"storage_service", "event_service", "migration_service"}


def _children(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def _running(pid: int) -> bool:
    """Whether `pid` still runs (a zombie nobody reaped has stopped running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _log_lines(embedded: Embedded) -> list[dict[str, Any]]:
    assert embedded.process is not None
    lines = []
    for line in embedded.process.log().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue  # the announcement is for people, not JSON
    return lines


def _event_service_log_lines(embedded: Embedded, event: str) -> list[dict[str, Any]]:
    return [line for line in _log_lines(embedded) if line.get("event") == event]
