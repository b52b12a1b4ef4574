"""Interop with the real Rasa 3.6.21: a conversation Rasa publishes is read back through Conversely's gateway.

Runs when ../shared/interop/install-rasa.sh has installed Rasa (CONVERSELY_RASA_VENV, default
~/.cache/conversely/rasa-3.6.21); otherwise it is skipped and says so.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from event_service.consumer import dead_letter_queue
from tests.embedded import Embedded
from tests.model_archives import FIXTURE_MODEL, fixture_metadata, repack
from tests.rabbitmq import delete_queues
from tests.real_rasa import RasaServer, requires_real_rasa
from tests.servers import RABBITMQ_URL, require
from tests.stack import TEST_ADMIN, Stack, as_rasa_sent, stack_environment, wait_for

# Rasa 3.6's HTTP API does not percent-decode path parameters (`/conversations/a%20b/tracker` is a conversation
# literally named "a%20b"), so the sender compared with Rasa's own tracker is URL-safe; the unicode one is
# checked on Conversely's side.
SENDER = "interop-user"
MODELS = "/api/projects/default/models"
UNICODE_SENDER = "interop user/ünïcode"

pytestmark = requires_real_rasa


@pytest.fixture
def rasa_workdir(tmp_path: Path) -> Path:
    workdir = tmp_path / "rasa"
    workdir.mkdir()
    return workdir


def conversely_events(api: httpx.Client, sender: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/conversations/{quote(sender, safe='')}/tracker")
    if response.status_code == 404:
        return []
    response.raise_for_status()
    return [{k: v for k, v in as_rasa_sent(event).items() if k != "sender_id"} for event in response.json()["events"]]


def talk_and_compare(rasa: RasaServer, api: httpx.Client) -> None:
    """Chat with the bot; Conversely must end up with exactly the events Rasa's own tracker holds."""
    assert rasa.say(SENDER, "hello") == [{"recipient_id": SENDER, "text": "Hey! How are you?"}]
    rasa.say(SENDER, "I am in berlin")
    expected = rasa.tracker_events(SENDER)
    assert any(event["event"] == "user" and event["text"] == "hello" for event in expected)
    wait_for(lambda: conversely_events(api, SENDER) == expected, "Conversely to hold Rasa's events", 60)
    listed = {c["sender_id"]: c for c in api.get("/api/conversations").json()}
    assert listed[SENDER]["n_user_messages"] == 2
    assert "greet" in listed[SENDER]["intents"]

    rasa.say(UNICODE_SENDER, "hi")
    wait_for(
        lambda: [e.get("text") for e in conversely_events(api, UNICODE_SENDER) if e["event"] == "user"] == ["hi"],
        "the unicode sender's message",
        60,
    )


def test_real_rasa_through_rabbitmq(postgres_url: str, tmp_path: Path, rasa_workdir: Path) -> None:
    require("RabbitMQ")
    queue = f"conversely_interop_{uuid.uuid4().hex[:8]}"
    env = stack_environment(
        tmp_path,
        {"CONVERSELY_DATABASE_URL": postgres_url, "CONVERSELY_RABBITMQ_URL": RABBITMQ_URL,
         "CONVERSELY_RABBITMQ_QUEUE": queue},
    )  # fmt: skip
    stack = Stack(env, tmp_path).start("migrate", "storage", "events", "gateway")
    rasa = None
    try:
        stack.wait_until_serving("migrate", "storage", "events", "gateway")
        rasa = RasaServer(
            rasa_workdir,
            "event_broker:\n  type: pika\n  url: 127.0.0.1\n  username: guest\n  password: guest\n"
            f"  queues:\n    - {queue}\n",
        )
        api = stack.api()
        talk_and_compare(rasa, api)
        listed = {c["sender_id"]: c for c in api.get("/api/conversations").json()}
        assert listed[SENDER]["rasa_environments"] == ["production"]  # Rasa's app_id, from RASA_ENVIRONMENT
    finally:
        if rasa is not None:
            rasa.stop()
        stack.stop()
        delete_queues(RABBITMQ_URL, queue, dead_letter_queue(queue))


def test_real_rasa_through_its_sql_broker_on_the_embedded_sqlite_file(embedded: Embedded, rasa_workdir: Path) -> None:
    embedded.up()
    rasa = RasaServer(rasa_workdir, f"event_broker:\n  type: SQL\n  dialect: sqlite\n  db: {embedded.database}\n")
    try:
        talk_and_compare(rasa, embedded.api())
    finally:
        rasa.stop()
    assert embedded.down() == 0


def test_real_rasa_accepts_conversely_access_tokens_on_its_rasa_channel(embedded: Embedded, rasa_workdir: Path) -> None:
    """Rasa's `rasa` channel fetches the public key from GET /api/version and verifies our RS256 JWT with it."""
    embedded.up()
    rasa = RasaServer(
        rasa_workdir,
        f"event_broker:\n  type: SQL\n  dialect: sqlite\n  db: {embedded.database}\n",
        credentials=f"rest:\nrasa:\n  url: {embedded.url}/api\n",
    )
    try:
        token = embedded.api().headers["Authorization"]
        tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        webhook = rasa.url + "/webhooks/rasa/webhook"
        refused = httpx.post(webhook, json={"message": "hello"}, headers={"Authorization": tampered}, timeout=60)
        # Rasa 3.6 refuses a bad signature with an unhandled InvalidSignatureError, i.e. a 500, not a 401.
        assert refused.status_code >= 400
        assert "Signature verification failed" in rasa.log.read_text()
        answered = httpx.post(webhook, json={"message": "hello"}, headers={"Authorization": token}, timeout=60)
        assert answered.status_code == 200, answered.text
        assert answered.json() == [{"recipient_id": TEST_ADMIN[0], "text": "Hey! How are you?"}]
        # The conversation is the user's own (Rasa takes the JWT's username as sender) and reaches Conversely.
        wait_for(lambda: TEST_ADMIN[0] in embedded.conversations(), "the admin's conversation", 60)
    finally:
        rasa.stop()
    assert embedded.down() == 0


def upload_and_tag(api: httpx.Client, archive: Path, tag: str = "production") -> dict[str, Any]:
    with archive.open("rb") as file:
        uploaded = api.post(MODELS, files={"model": (archive.name, file, "application/gzip")})
    assert uploaded.status_code == 201, uploaded.text
    item: dict[str, Any] = uploaded.json()
    tagged = api.put(f"{MODELS}/{item['model']}/tags/{tag}")
    assert tagged.status_code == 204, tagged.text
    return item


def model_pulls(embedded: Embedded, status: int) -> int:
    """How many model server requests the gateway logged with `status`."""
    lines = (embedded.log_dir / "up.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return sum(
        1
        for entry in entries
        if entry.get("event") == "request"
        and entry.get("path") == f"{MODELS}/tags/production"
        and entry.get("status") == status
    )


def test_real_rasa_pulls_its_model_from_conversely_and_follows_the_production_tag(
    embedded: Embedded, rasa_workdir: Path, tmp_path: Path
) -> None:
    """Rasa started without --model pulls the model tagged production with the Rasa token, sends the ETag back as
    If-None-Match (answered 304 while unchanged), and loads the next model once the tag moves to it."""
    embedded.up()
    api = embedded.api()
    first = upload_and_tag(api, FIXTURE_MODEL)
    # The token the gateway generated on its first start, as an operator reads it to configure Rasa.
    token = (Path(embedded.env["CONVERSELY_DATA_DIR"]) / "rasa-token").read_text().strip()
    rasa = RasaServer(
        rasa_workdir,
        f"event_broker:\n  type: SQL\n  dialect: sqlite\n  db: {embedded.database}\n"
        f"models:\n  url: {embedded.url}{MODELS}/tags/production\n  token: {token}\n  wait_time_between_pulls: 1\n",
        model=None,
    )
    try:
        assert rasa.status()["model_id"] == first["model_id"] == fixture_metadata()["model_id"]
        assert rasa.say(SENDER, "hello") == [{"recipient_id": SENDER, "text": "Hey! How are you?"}]
        wait_for(lambda: model_pulls(embedded, 304) >= 2, "Rasa's polls answered 304 (it sent the ETag back)", 30)
        assert model_pulls(embedded, 200) == 1

        second = upload_and_tag(api, repack(tmp_path / "second-model.tar.gz", model_id="second-model-id"))
        assert second["model_id"] == "second-model-id" and second["hash"] != first["hash"]
        wait_for(lambda: rasa.status()["model_id"] == "second-model-id", "Rasa to load the new production model", 90)
        assert rasa.say("after-update", "hello") == [{"recipient_id": "after-update", "text": "Hey! How are you?"}]
        polls_before = model_pulls(embedded, 304)
        wait_for(lambda: model_pulls(embedded, 304) > polls_before, "Rasa to poll with the new model's ETag", 30)
        assert model_pulls(embedded, 200) == 2
    finally:
        rasa.stop()
    assert token not in (embedded.log_dir / "up.log").read_text(), "the Rasa token was logged"
    assert embedded.down() == 0
