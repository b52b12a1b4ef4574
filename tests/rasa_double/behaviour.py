"""What a test can set on the Rasa double (its knobs) and what the double saw and did (its recordings)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rasa-3.6.21"
MODEL_ARCHIVE = FIXTURES / "model-capture.tar.gz"

TrainingOutcome = Literal["succeed", "fail", "never"]
CallbackKind = Literal["model", "error", "results"]


@dataclass
class RasaBehaviour:
    """How the double behaves; a test may change any field while the double runs.

    Each training or evaluation request uses the behaviour as it was when the request arrived.
    """

    version: str = "3.6.21"
    minimum_compatible_version: str = "3.5.0"
    # False: every route answers 503, as a server down for maintenance behind its proxy.
    available: bool = True
    # "never": answer 204 and never call back (a training that hangs).
    training: TrainingOutcome = "succeed"
    training_delay_s: float = 0.0
    training_error: str = "An unexpected error occurred during training. Error: the double was told to fail"
    # The bytes posted to the callback when training succeeds.
    model_archive: Path = MODEL_ARCHIVE
    # None: a result computed from the posted NLU examples (tests.rasa_double.evaluation).
    cross_validation_result: dict[str, Any] | None = None
    # False: a Rasa with no event broker: nothing is published (webhook or /conversations), the webhook still answers.
    chat_publishes_events: bool = True
    chat_reply_delay_s: float = 0.0
    # What Rasa puts in every event's metadata (the loaded model's id and config.yml's assistant_id).
    model_id: str = "67ec9ee01ad34ca2be24fd146a1b2604"
    assistant_id: str = "capture-bot"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it reached the double (before its auth check); header names are lower case."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Callback:
    """One callback the double posted, and the status the callback URL answered (0: it could not be reached)."""

    url: str
    status_code: int
    body_kind: CallbackKind
    content_type: str = ""
    body: bytes = b""
    error: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Recordings:
    """Everything the double recorded; appended to by its server thread, read by the test's thread."""

    train_requests: list[RecordedRequest] = field(default_factory=list)
    evaluate_requests: list[RecordedRequest] = field(default_factory=list)
    chat_requests: list[RecordedRequest] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    # Sink failures: Rasa logs a broker that fails and answers the message anyway.
    publish_errors: list[str] = field(default_factory=list)
    # Exceptions Rasa would not catch (answered 500 as Sanic does), e.g. a chat token that does not verify.
    server_errors: list[str] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def add_callback(self, callback: Callback) -> None:
        with self._changed:
            self.callbacks.append(callback)
            self._changed.notify_all()

    def wait_for_callbacks(self, n: int, timeout_s: float = 30) -> list[Callback]:
        """The callbacks made so far once there are at least `n`; AssertionError after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self.callbacks) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"the Rasa double made {len(self.callbacks)} callback(s) in {timeout_s}s, not {n}: "
                        f"{self.callbacks}"
                    )
                self._changed.wait(left)
            return list(self.callbacks)
