"""The stack the browser tests drive: `conversely up` (embedded, SQLite) with a Rasa double as its `production` and
`worker` environments, fed the recorded conversations of a real Rasa 3.6.21 and its project.

Run it by hand to look at the UI with the same data: `.venv/bin/python -m tests.e2e.ui.stack` (prints the URL and
the admin's password; Ctrl-C stops it).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import FIXTURES, load_broker_messages
from tests.embedded import Embedded
from tests.live_gateway import FIXTURE_PROJECT_FILES
from tests.rasa_double import RasaDouble, sql_broker_sink
from tests.stack import TEST_ADMIN, wait_for


@dataclass
class UiStack:
    embedded: Embedded
    rasa: RasaDouble
    senders: list[str]

    @property
    def url(self) -> str:
        return self.embedded.url

    @property
    def api(self) -> httpx.Client:
        """The gateway's API, signed in as the admin."""
        return self.embedded.api()


def import_fixture_project(api: httpx.Client) -> None:
    files = [("files", (path, (FIXTURES / "project" / path).read_bytes())) for path in FIXTURE_PROJECT_FILES]
    response = api.post("/api/projects/default/import", params={"mode": "replace"}, files=files)
    response.raise_for_status()


@contextmanager
def ui_stack(directory: Path) -> Iterator[UiStack]:
    """The stack on fresh ports, with every recorded conversation stored and the fixture project imported."""
    embedded = Embedded(directory)
    with RasaDouble(gateway_url=embedded.url, sink=sql_broker_sink(embedded.database)) as rasa:
        embedded.env["CONVERSELY_RASA_ENVIRONMENTS"] = f"production={rasa.url},worker={rasa.url}"
        embedded.env["CONVERSELY_CHAT_REPLY_TIMEOUT_S"] = "10"
        embedded.up()
        try:
            messages = [message["body"] for message in load_broker_messages()]
            embedded.write_like_rasa(messages)
            senders = sorted({body["sender_id"] for body in messages})
            wait_for(lambda: embedded.stored_events() == len(messages), "the recorded events to be stored", 60)
            import_fixture_project(embedded.api())
            yield UiStack(embedded, rasa, senders)
        finally:
            if embedded.process is not None and embedded.process.process.poll() is None:
                embedded.process.stop()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="conversely-ui-") as directory, ui_stack(Path(directory)) as stack:
        print(f"Conversely's UI: {stack.url}  (user {TEST_ADMIN[0]}, password {TEST_ADMIN[1]})", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
