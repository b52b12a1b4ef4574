"""Orchestration benchmark: chat, push and training through the embedded stack and a Rasa server double.

    .venv/bin/python -m bench.orchestration --messages 200 --pushes 50 --trainings 20

Starts `conversely up` (SQLite in a temporary folder; events come in through Rasa's SQL event broker table) and the
Rasa server double (tests/rasa_double) as both its `production` and its `worker` environment; the double writes
each event it makes to that table as Rasa's SQLEventBroker does (one commit per row). Then it measures, one after
the other:

- the chat round trip: `POST /api/chat?wait=true` as the admin, a new conversation every `--per-conversation`
  messages, `--concurrency` clients at once (each waits for its answer before its next message), from sending
  until the gateway answers, which it does once the bot's `bot` event has come back through the broker table,
  event_service and storage (an answer without one counts as a failure): p50/p95/p99 and messages/s. The baseline,
  in the same run: as many messages posted straight to the double's `POST /webhooks/rasa/webhook` with the admin's
  JWT (the double verifies it with the key of /api/version), i.e. what Rasa alone costs, and the ratio of the p50s.
  Most of the difference is polling: event_service reads the broker table every CONVERSELY_SQL_BROKER_POLL_MS
  when idle (Conversely's default unless `--poll-ms`; printed) and the gateway reads storage every 200 ms while
  it waits for the answer (gateway/reply_watcher.py);
- websocket push latency: one client subscribed to `conversation:<id>` on `/api/ws`; from `POST /api/chat`
  (without wait) until the bot's event of that message is pushed;
- training turnaround: the fixture project imported, then `POST …/models/jobs?environment=worker&force=true`
  one after the other, each awaited until it finished. The double answers at once and posts the fixture's 6 KB
  model, so this is Conversely's own overhead: queueing, dispatch, the callback, the model streamed into the
  model store. As the client sees it (polling every 10 ms) and as the job records it (created → started →
  finished);
- the gateway process's RSS after each phase, and its peak (VmHWM) while starting and during the measurements.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from bench.api import Timing
from bench.ingest import rss_mib
from bench.models import reset_peak_rss
from conversely.settings import Settings
from tests.embedded import Embedded
from tests.rasa_double import RasaDouble, sql_broker_sink
from tests.rasa_double.behaviour import FIXTURES

PROJECT = FIXTURES / "project"
PROJECT_FILES = ["config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"]
JOBS = "/api/projects/default/models/jobs"
MESSAGE = "hello"
POLL_SETTING = "CONVERSELY_SQL_BROKER_POLL_MS"
REQUEST_TIMEOUT_S = 60.0
JOB_TIMEOUT_S = 60.0
JOB_POLL_S = 0.01
PUSH_TIMEOUT_S = 30.0
WARM_UP_MESSAGES = 3
LABEL_WIDTH = 42


@dataclass(frozen=True)
class ChatFigures:
    latency: Timing
    seconds: float
    failures: int

    @property
    def per_second(self) -> float:
        return len(self.latency.milliseconds) / self.seconds


@dataclass(frozen=True)
class TrainingFigures:
    observed: Timing
    recorded: Timing
    dispatched: Timing
    ran: Timing
    failures: int


def gateway_pid(supervisor_pid: int) -> int:
    """The pid of the `conversely serve gateway` child of the `conversely up` process `supervisor_pid`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue  # a process that ended meanwhile
        if parent == supervisor_pid and arguments[-3:-1] == [b"serve", b"gateway"]:
            return int(entry.name)
    raise RuntimeError(f"no `serve gateway` child of process {supervisor_pid}")


def conversation_ids(prefix: str, messages: int, per_conversation: int) -> list[str]:
    """The conversation of each message: a new one every `per_conversation` messages."""
    run = uuid.uuid4().hex[:6]
    return [f"{prefix}-{run}-{number // per_conversation:04d}" for number in range(messages)]


def measure_chat(api: httpx.Client, conversations: list[str], concurrency: int) -> ChatFigures:
    """Each message through the gateway with `?wait=true`; a failure is an answer without the bot's event."""

    def send(conversation: str) -> tuple[float, bool]:
        started = time.perf_counter()
        answer = api.post(
            "/api/chat?wait=true",
            json={"message": MESSAGE, "conversation_id": conversation},
            timeout=REQUEST_TIMEOUT_S,
        )
        milliseconds = (time.perf_counter() - started) * 1000
        events = answer.json().get("events", []) if answer.status_code == 200 else []
        return milliseconds, any(event.get("event") == "bot" for event in events)

    return _measured("chat round trip (POST ?wait=true)", send, conversations, concurrency)


def measure_rasa_alone(rasa_url: str, token: str, conversations: list[str], concurrency: int) -> ChatFigures:
    """The same messages straight to the double's `rasa` channel; a failure is an answer without the bot's text."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=rasa_url, headers=headers, timeout=REQUEST_TIMEOUT_S) as rasa:

        def send(conversation: str) -> tuple[float, bool]:
            started = time.perf_counter()
            answer = rasa.post("/webhooks/rasa/webhook", json={"message": MESSAGE, "conversation_id": conversation})
            milliseconds = (time.perf_counter() - started) * 1000
            return milliseconds, answer.status_code == 200 and any("text" in message for message in answer.json())

        return _measured("Rasa alone (POST to the double)", send, conversations, concurrency)


def _measured(
    label: str, send: Callable[[str], tuple[float, bool]], conversations: list[str], concurrency: int
) -> ChatFigures:
    """`concurrency` clients at once, each sending its conversations' messages one after the other, as a person
    sends their next message only after the bot answered the last."""
    lanes: list[list[str]] = [[] for _ in range(max(concurrency, 1))]
    for number, conversation in enumerate(dict.fromkeys(conversations)):
        lanes[number % len(lanes)].extend(c for c in conversations if c == conversation)
    started = time.perf_counter()
    with ThreadPoolExecutor(len(lanes)) as pool:
        results = [result for lane in pool.map(lambda lane: [send(c) for c in lane], lanes) for result in lane]
    seconds = time.perf_counter() - started
    return ChatFigures(Timing(label, [ms for ms, _ in results]), seconds, sum(1 for _, ok in results if not ok))


def measure_push(gateway_url: str, api: httpx.Client, token: str, conversations: list[str]) -> Timing:
    """From `POST /api/chat` (no wait) until the websocket subscribed to the conversation receives the bot's event."""
    milliseconds = []
    with connect(gateway_url.replace("http://", "ws://") + "/api/ws", open_timeout=10) as socket:
        socket.send(json.dumps({"token": token}))
        _receive_until(socket, lambda message: message.get("type") == "authenticated")
        following = ""
        for conversation in conversations:
            if conversation != following:
                _follow(socket, following, conversation)
                following = conversation
            sent_at = time.time()
            started = time.perf_counter()
            answer = api.post("/api/chat", json={"message": MESSAGE, "conversation_id": conversation})
            assert answer.status_code == 200, answer.text
            # A bot event of this turn: the previous turn's last events may still be on their way.
            _receive_until(socket, partial(_is_bot_event_since, wall_time=sent_at))
            milliseconds.append((time.perf_counter() - started) * 1000)
    return Timing("websocket push (POST -> bot event)", milliseconds)


def _follow(socket: ClientConnection, previous: str, conversation: str) -> None:
    if previous:
        socket.send(json.dumps({"unsubscribe": f"conversation:{previous}"}))
    topic = f"conversation:{conversation}"
    socket.send(json.dumps({"subscribe": topic}))
    _receive_until(socket, lambda message: message == {"type": "subscribed", "topic": topic})


def _is_bot_event_since(message: dict[str, Any], wall_time: float) -> bool:
    event = message.get("event") if message.get("type") == "event" else None
    return isinstance(event, dict) and event.get("event") == "bot" and float(event["timestamp"]) >= wall_time


def _receive_until(socket: ClientConnection, last: Callable[[dict[str, Any]], bool]) -> None:
    deadline = time.monotonic() + PUSH_TIMEOUT_S
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"nothing expected arrived on the websocket within {PUSH_TIMEOUT_S:g} s")
        message = json.loads(socket.recv(timeout=left))
        if message.get("type") == "error":
            raise AssertionError(f"the websocket answered an error: {message}")
        if last(message):
            return


def import_fixture_project(api: httpx.Client) -> None:
    files = [("files", (path, (PROJECT / path).read_bytes(), "application/x-yaml")) for path in PROJECT_FILES]
    imported = api.post("/api/projects/default/import?mode=replace", files=files, timeout=REQUEST_TIMEOUT_S)
    assert imported.status_code == 200, imported.text


def measure_training(api: httpx.Client, trainings: int) -> TrainingFigures:
    """Trainings one after the other, each polled until it finished; a failure is one that did not succeed."""
    observed, recorded, dispatched, ran, failures = [], [], [], [], 0
    for _ in range(trainings):
        started = time.perf_counter()
        queued = api.post(f"{JOBS}?environment=worker&force=true")
        assert queued.status_code == 202, queued.text
        job = _finished(api, int(queued.json()["job"]["id"]))
        observed.append((time.perf_counter() - started) * 1000)
        failures += job["status"] != "succeeded"
        if job["status"] == "succeeded":
            recorded.append((job["finished_at"] - job["created_at"]) * 1000)
            dispatched.append((job["started_at"] - job["created_at"]) * 1000)
            ran.append((job["finished_at"] - job["started_at"]) * 1000)
    return TrainingFigures(
        Timing("client: POST -> seen succeeded", observed),
        Timing("job: created -> finished", recorded),
        Timing("job: created -> started", dispatched),
        Timing("job: started -> finished", ran),
        failures,
    )


def _finished(api: httpx.Client, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"{JOBS}/{job_id}").json()
        if job["status"] not in {"queued", "running"}:
            return job
        time.sleep(JOB_POLL_S)
    raise AssertionError(f"training job {job_id} did not finish within {JOB_TIMEOUT_S:g} s")


@dataclass(frozen=True)
class Figures:
    poll_ms: int
    poll_source: str
    concurrency: int
    chat: ChatFigures
    alone: ChatFigures
    push: Timing
    training: TrainingFigures
    # The gateway's RSS after each phase (MiB), its peak while starting and its peak during the measurements.
    rss_mib: dict[str, float]
    start_peak_rss_mib: float
    peak_rss_mib: float


def run(args: argparse.Namespace, embedded: Embedded, rasa_url: str) -> Figures:
    """Every measurement on the started stack, one after the other."""
    assert embedded.process is not None
    gateway = gateway_pid(embedded.process.process.pid)
    api = embedded.api()
    token = str(api.headers["Authorization"]).removeprefix("Bearer ")
    rss = {"after start": rss_mib(gateway)}
    start_peak = rss_mib(gateway, "VmHWM")
    reset_peak_rss(gateway)  # from here on VmHWM is the peak of the measurements alone
    print("warming up ...", flush=True)
    measure_chat(api, conversation_ids("bench-warm-up", WARM_UP_MESSAGES, 1), 1)
    print(f"chat: {args.messages} messages, then as many to Rasa alone ...", flush=True)
    chat = measure_chat(api, conversation_ids("bench-chat", args.messages, args.per_conversation), args.concurrency)
    alone_ids = conversation_ids("bench-alone", args.messages, args.per_conversation)
    alone = measure_rasa_alone(rasa_url, token, alone_ids, args.concurrency)
    rss["after chat"] = rss_mib(gateway)
    print(f"push: {args.pushes} messages ...", flush=True)
    push = measure_push(embedded.url, api, token, conversation_ids("bench-push", args.pushes, args.per_conversation))
    rss["after push"] = rss_mib(gateway)
    print(f"training: {args.trainings} jobs ...", flush=True)
    import_fixture_project(api)
    training = measure_training(api, args.trainings)
    rss["after training"] = rss_mib(gateway)
    return Figures(
        poll_ms=Settings.from_env(embedded.env).sql_broker_poll_ms,
        poll_source="--poll-ms" if args.poll_ms is not None else "Conversely's default",
        concurrency=args.concurrency,
        chat=chat,
        alone=alone,
        push=push,
        training=training,
        rss_mib=rss,
        start_peak_rss_mib=start_peak,
        peak_rss_mib=rss_mib(gateway, "VmHWM"),
    )


def report(figures: Figures) -> None:
    print(f"{POLL_SETTING}={figures.poll_ms} ({figures.poll_source}); {figures.concurrency} chat client(s) at once")
    for chat in (figures.chat, figures.alone):
        print(
            f"{chat.latency.label:{LABEL_WIDTH}} {chat.latency.line()}  {chat.per_second:6.1f} messages/s  "
            f"n={len(chat.latency.milliseconds)}  failures={chat.failures}"
        )
    ratio = figures.chat.latency.percentile(50) / figures.alone.latency.percentile(50)
    print(f"chat round trip = {ratio:.0f}x Rasa alone (p50)")
    print(f"{figures.push.label:{LABEL_WIDTH}} {figures.push.line()}  n={len(figures.push.milliseconds)}")
    training = figures.training
    for timing in (training.observed, training.recorded, training.dispatched, training.ran):
        print(f"{'training, ' + timing.label:{LABEL_WIDTH}} {timing.line()}  n={len(timing.milliseconds)}")
    print(f"training failures: {training.failures}")
    phases = ", ".join(f"{phase} {mib:.0f}" for phase, mib in figures.rss_mib.items())
    print(
        f"gateway RSS MiB: {phases}; peak (VmHWM) while starting {figures.start_peak_rss_mib:.0f}, "
        f"during the measurements {figures.peak_rss_mib:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=200, help="chat round trips (and as many to Rasa alone)")
    parser.add_argument("--per-conversation", type=int, default=4, help="messages in each new conversation")
    parser.add_argument("--concurrency", type=int, default=4, help="chat clients sending at once")
    parser.add_argument("--pushes", type=int, default=50, help="messages timed until pushed on the websocket")
    parser.add_argument("--trainings", type=int, default=20)
    parser.add_argument("--poll-ms", type=int, default=None, help=f"{POLL_SETTING}; default: Conversely's own")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        embedded = Embedded(Path(work))
        # stack_environment polls fast for tests; measure what `conversely up` does unless told otherwise.
        embedded.env.pop(POLL_SETTING, None)
        if args.poll_ms is not None:
            embedded.env[POLL_SETTING] = str(args.poll_ms)
        with RasaDouble(gateway_url=embedded.url, sink=sql_broker_sink(embedded.database)) as rasa:
            embedded.env["CONVERSELY_RASA_ENVIRONMENTS"] = f"production={rasa.url},worker={rasa.url}"
            embedded.env["CONVERSELY_LOG_LEVEL"] = "warning"
            try:
                embedded.up()
                figures = run(args, embedded, rasa.url)
            finally:
                if embedded.process is not None and embedded.process.process.poll() is None:
                    embedded.down()
    print()
    report(figures)


if __name__ == "__main__":
    main()
