"""The Rasa double follows the contracts of a real Rasa 3.6.21 server (DESIGN.md §3, rasa/server.py,
rasa/core/channels/rasa_chat.py, the recorded broker messages): 204-then-callback training and cross-validation,
Rasa's error bodies, `--auth-token`, the `rasa` channel's JWT checks, and the events it publishes."""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from gateway.tokens import ALGORITHM, SigningKey
from tests.conftest import FIXTURES
from tests.rasa_double import BackgroundServer, RasaBehaviour, RasaDouble, sql_broker_sink, storage_sink
from tests.storage_server import storage_server_address

TOKEN = "s3cret"
YAML = {"Content-Type": "application/x-yaml"}
MODEL_ARCHIVE = FIXTURES / "model-capture.tar.gz"
PROJECT = FIXTURES / "project"


def training_yaml() -> str:
    """The fixture project as the one YAML document Conversely posts: config, domain and data together."""
    document: dict[str, Any] = {}
    for path in ["config.yml", "domain.yml", "data/nlu.yml", "data/rules.yml", "data/stories.yml"]:
        document.update(yaml.safe_load((PROJECT / path).read_text()))
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def fixture_intent_counts() -> Counter[str]:
    """How many examples each intent of the fixture's nlu.yml has, read without the double's code."""
    return Counter(
        {
            item["intent"]: sum(line.strip().startswith("- ") for line in item["examples"].splitlines())
            for item in yaml.safe_load((PROJECT / "data" / "nlu.yml").read_text())["nlu"]
            if "intent" in item
        }
    )


@dataclass
class CallbackReceiver:
    """The gateway's side of a callback: records each POST and answers `status`."""

    status: int = 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def receive(self, request: Request) -> Response:
        self.received.append((dict(request.headers), await request.body()))
        return Response(status_code=self.status)


@dataclass
class KeyHolder:
    key: SigningKey


@pytest.fixture(scope="module")
def receiver_server() -> Iterator[tuple[CallbackReceiver, str]]:
    callbacks = CallbackReceiver()
    app = Starlette(routes=[Route("/callback", callbacks.receive, methods=["POST"])])
    with BackgroundServer(app) as server:
        yield callbacks, f"{server.url}/callback"


@pytest.fixture
def receiver(receiver_server: tuple[CallbackReceiver, str]) -> tuple[CallbackReceiver, str]:
    """A callback receiver that has received nothing yet, and the URL to give Rasa as `callback_url`."""
    callbacks, url = receiver_server
    callbacks.status = 200
    callbacks.received.clear()
    return callbacks, url


@pytest.fixture(scope="module")
def gateway_key() -> SigningKey:
    return SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="module")
def key_holder(gateway_key: SigningKey) -> KeyHolder:
    return KeyHolder(gateway_key)


@pytest.fixture
def published_key(key_holder: KeyHolder, gateway_key: SigningKey) -> KeyHolder:
    """The key the gateway publishes; a test may replace it (the gateway's key changed)."""
    key_holder.key = gateway_key
    return key_holder


@pytest.fixture(scope="module")
def key_server_url(key_holder: KeyHolder) -> Iterator[str]:
    """A minimal gateway publishing its public key at `/api/version` the way Conversely's does."""

    async def version(request: Request) -> Response:
        return JSONResponse({"rasa": {}, "keys": [{"alg": ALGORITHM, "key": key_holder.key.public_pem}]})

    with BackgroundServer(Starlette(routes=[Route("/api/version", version)])) as server:
        yield server.url


@pytest.fixture
def gateway_url(key_server_url: str, published_key: KeyHolder) -> str:
    """The minimal gateway, publishing `gateway_key`."""
    return key_server_url


@pytest.fixture
def broker_db(tmp_path: Path) -> Path:
    return tmp_path / "events.db"


def chat_token(key: SigningKey, username: str, scopes: list[str] | None = None) -> str:
    claims = {"username": username, "scopes": scopes or [], "user": {"username": username, "roles": ["tester"]}}
    return key.issue(claims, expiry_s=600)


def with_claims(token: str, **claims: Any) -> str:
    """`token` with its payload changed and its signature kept."""
    header, payload, signature = token.split(".")
    forged = {**json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))), **claims}
    return ".".join([header, base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode(), signature])


def broker_rows(db: Path) -> list[tuple[str, dict[str, Any]]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    return [(sender_id, json.loads(data)) for sender_id, data in rows]


def train(rasa: RasaDouble, callback_url: str | None, body: str | bytes, **params: str) -> httpx.Response:
    query = {"save_to_default_model_directory": "false", **params}
    if callback_url:
        query["callback_url"] = callback_url
    content = body.encode() if isinstance(body, str) else body
    return httpx.post(f"{rasa.url}/model/train", params=query, content=content, headers=YAML, timeout=10)


def cross_validate(rasa: RasaDouble, callback_url: str, body: str, content_type: str = "application/x-yaml") -> int:
    response = httpx.post(
        f"{rasa.url}/model/test/intents",
        params={"cross_validation_folds": "3", "callback_url": callback_url},
        content=body.encode(),
        headers={"Content-Type": content_type},
        timeout=10,
    )
    return response.status_code


def test_version_needs_no_token_but_status_does() -> None:
    with RasaDouble(auth_token=TOKEN) as rasa:
        version = httpx.get(f"{rasa.url}/version")
        refused = httpx.get(f"{rasa.url}/status")
        status = httpx.get(f"{rasa.url}/status", params={"token": TOKEN})

    assert version.status_code == 200
    assert version.json() == {"version": "3.6.21", "minimum_compatible_version": "3.5.0"}
    assert refused.status_code == 401
    assert refused.json() == {
        "version": "3.6.21",
        "status": "failure",
        "message": "User is not authenticated.",
        "reason": "NotAuthenticated",
        "details": {},
        "help": "https://rasa.com/docs/rasa/user-guide/configuring-http-api/#security-considerations",
        "code": 401,
    }
    assert status.json() == {
        "model_file": "model-capture.tar.gz",
        "model_id": RasaBehaviour().model_id,
        "num_active_training_jobs": 0,
    }


def test_api_routes_refuse_a_wrong_token_and_nothing_is_trained(receiver: tuple[CallbackReceiver, str]) -> None:
    routes = [
        ("POST", "/model/train"),
        ("POST", "/model/test/intents"),
        ("POST", "/model/parse"),
        ("GET", "/conversations/alice/tracker"),
        ("POST", "/conversations/alice/tracker/events"),
        ("POST", "/conversations/alice/predict"),
        ("POST", "/conversations/alice/execute"),
    ]
    callbacks, callback_url = receiver
    with RasaDouble(auth_token=TOKEN) as rasa:
        for method, path in routes:
            query = {"token": "wrong", "callback_url": callback_url}
            response = httpx.request(method, f"{rasa.url}{path}", params=query, content=training_yaml(), headers=YAML)
            assert response.status_code == 401, path
            assert response.json()["reason"] == "NotAuthenticated"
        time.sleep(0.2)
        assert rasa.callbacks == [] and callbacks.received == []
        assert len(rasa.train_requests) == 1  # recorded before the check, so tests can see what was sent


def test_without_an_auth_token_every_caller_is_let_in() -> None:
    with RasaDouble() as rasa:
        assert httpx.get(f"{rasa.url}/status").status_code == 200


def test_training_answers_204_at_once_then_posts_the_model_archive(
    receiver: tuple[CallbackReceiver, str],
) -> None:
    callbacks, callback_url = receiver
    with RasaDouble(auth_token=TOKEN, behaviour=RasaBehaviour(training_delay_s=0.5)) as rasa:
        started = time.monotonic()
        response = train(rasa, callback_url, training_yaml(), token=TOKEN)
        answered_s = time.monotonic() - started
        assert callbacks.received == []
        made = rasa.wait_for_callbacks(1, timeout_s=10)

    assert response.status_code == 204
    assert answered_s < 0.5
    headers, body = callbacks.received[0]
    assert body == MODEL_ARCHIVE.read_bytes()
    assert headers["content-type"] == "application/x-tar"
    assert "content-disposition" not in headers and "filename" not in headers  # Rasa forwards no file name
    assert (made[0].url, made[0].status_code, made[0].body_kind) == (callback_url, 200, "model")
    request = rasa.train_requests[0]
    assert request.method == "POST" and request.path == "/model/train"
    assert request.query == {"save_to_default_model_directory": "false", "token": TOKEN, "callback_url": callback_url}
    assert request.headers["content-type"] == "application/x-yaml"
    assert request.body == training_yaml().encode()


def test_failed_training_posts_rasas_training_error(receiver: tuple[CallbackReceiver, str]) -> None:
    callbacks, callback_url = receiver
    behaviour = RasaBehaviour(training="fail", training_error="An unexpected error occurred during training. Error: x")
    with RasaDouble(behaviour=behaviour) as rasa:
        assert train(rasa, callback_url, training_yaml()).status_code == 204
        made = rasa.wait_for_callbacks(1, timeout_s=10)

    headers, body = callbacks.received[0]
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "version": "3.6.21",
        "status": "failure",
        "message": "An unexpected error occurred during training. Error: x",
        "reason": "TrainingError",
        "details": {},
        "help": None,
        "code": 500,
    }
    assert made[0].body_kind == "error"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("nlu: [unclosed", "Failed to read YAML. "),
        ("- a\n- b\n", "Value '['a', 'b']' is not a dict. Value path: ''"),
        ("version: '3.1'\nfoo: bar\n", "in Line 2:\n      Key 'foo' was not defined. Path: ''"),
        ("nlu:\n- intent: greet\n", "Cannot find required key 'examples'. Path: '/nlu/0'"),
        ("nlu:\n- intent: greet\n  examples: ''\n", "Intent 'greet' has no examples."),
    ],
)
def test_invalid_training_yaml_posts_rasas_bad_request_error(
    receiver: tuple[CallbackReceiver, str], body: str, problem: str
) -> None:
    callbacks, callback_url = receiver
    with RasaDouble() as rasa:
        assert train(rasa, callback_url, body).status_code == 204
        rasa.wait_for_callbacks(1, timeout_s=10)

    error = json.loads(callbacks.received[0][1])
    assert {key: error[key] for key in ("status", "reason", "code", "help", "details")} == {
        "status": "failure",
        "reason": "BadRequest",
        "code": 400,
        "help": "https://rasa.com/docs/rasa/training-data-format",
        "details": {},
    }
    assert error["message"].startswith("The request body does not contain valid YAML. Error: Failed to ")
    assert problem in error["message"]


def test_training_that_never_ends_makes_no_callback(receiver: tuple[CallbackReceiver, str]) -> None:
    callbacks, callback_url = receiver
    with RasaDouble(behaviour=RasaBehaviour(training="never")) as rasa:
        assert train(rasa, callback_url, training_yaml()).status_code == 204
        time.sleep(0.5)
        status = httpx.get(f"{rasa.url}/status").json()
        assert rasa.callbacks == []
    assert callbacks.received == []
    assert status["num_active_training_jobs"] == 1


def test_training_without_callback_url_answers_with_the_model_or_the_error() -> None:
    with RasaDouble() as rasa:
        model = train(rasa, None, training_yaml())
        rasa.behaviour.training = "fail"
        failed = train(rasa, None, training_yaml())
        empty = train(rasa, None, b"")

    assert model.status_code == 200
    assert model.content == MODEL_ARCHIVE.read_bytes()
    assert model.headers["content-type"] == "application/x-tar"
    assert model.headers["content-disposition"].startswith('attachment; filename="')
    assert (failed.status_code, failed.json()["reason"]) == (500, "TrainingError")
    assert empty.status_code == 400
    assert empty.json()["message"] == "You must provide training data in the request body in order to train your model."


def test_the_status_the_callback_url_answered_is_recorded(receiver: tuple[CallbackReceiver, str]) -> None:
    callbacks, callback_url = receiver
    callbacks.status = 500
    with RasaDouble() as rasa:
        train(rasa, callback_url, training_yaml())
        train(rasa, "http://127.0.0.1:9/unreachable", training_yaml())
        made = rasa.wait_for_callbacks(2, timeout_s=10)

    by_url = {callback.url: callback for callback in made}
    assert by_url[callback_url].status_code == 500
    assert by_url["http://127.0.0.1:9/unreachable"].status_code == 0
    assert by_url["http://127.0.0.1:9/unreachable"].error


def test_cross_validation_posts_results_shaped_like_rasas(receiver: tuple[CallbackReceiver, str]) -> None:
    callbacks, callback_url = receiver
    with RasaDouble() as rasa:
        assert cross_validate(rasa, callback_url, training_yaml()) == 204
        made = rasa.wait_for_callbacks(1, timeout_s=10)

    headers, body = callbacks.received[0]
    assert made[0].body_kind == "results" and headers["content-type"] == "application/json"
    result = json.loads(body)
    assert set(result) == {"intent_evaluation", "entity_evaluation", "response_selection_evaluation"}
    empty: dict[str, Any] = {"report": {}, "precision": None, "f1_score": None, "errors": []}
    assert result["entity_evaluation"] == empty and result["response_selection_evaluation"] == empty
    intents = result["intent_evaluation"]
    assert set(intents) == {"report", "precision", "f1_score", "errors"}
    assert intents["f1_score"] is None  # Rasa 3.6 reads the weighted F1 under the key "1-score"
    report = intents["report"]
    counts = fixture_intent_counts()
    assert set(report) == {*counts, "accuracy", "macro avg", "weighted avg", "micro avg"}
    assert {intent: report[intent]["support"] for intent in counts} == counts
    # The documented confusion: mood_great and mood_unhappy share "mood_"; every second example is confused.
    assert report["mood_great"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1-score": 0.5,
        "support": 14,
        "confused_with": {"mood_unhappy": 7},
    }
    assert report["mood_unhappy"]["confused_with"] == {"mood_great": 7}
    assert report["greet"] == {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 13, "confused_with": {}}
    total = sum(counts.values())
    assert report["accuracy"] == pytest.approx((total - 14) / total)
    assert report["weighted avg"]["support"] == total
    assert intents["precision"] == report["weighted avg"]["precision"]
    assert len(intents["errors"]) == 14
    assert intents["errors"][0] == {
        "text": "great",
        "intent": "mood_great",
        "intent_prediction": {"name": "mood_unhappy", "confidence": 0.55},
    }


def test_cross_validation_of_a_json_body_is_refused_like_rasa(receiver: tuple[CallbackReceiver, str]) -> None:
    callbacks, callback_url = receiver
    body = json.dumps({"rasa_nlu_data": {"common_examples": [{"text": "hi", "intent": "greet"}]}})
    with RasaDouble() as rasa:
        assert cross_validate(rasa, callback_url, body, content_type="application/json") == 204
        rasa.wait_for_callbacks(1, timeout_s=10)

    error = json.loads(callbacks.received[0][1])
    assert (error["reason"], error["code"]) == ("TestingError", 400)
    assert error["message"] == "Cross-validation is only supported for YAML data."


def test_a_configured_cross_validation_result_is_posted_as_it_is(receiver: tuple[CallbackReceiver, str]) -> None:
    callbacks, callback_url = receiver
    result = {"intent_evaluation": {"report": {}, "precision": 0.25, "f1_score": None, "errors": []}}
    with RasaDouble(behaviour=RasaBehaviour(cross_validation_result=result)) as rasa:
        cross_validate(rasa, callback_url, training_yaml())
        rasa.wait_for_callbacks(1, timeout_s=10)
    assert json.loads(callbacks.received[0][1]) == result


def test_evaluation_and_parse_without_callback_answer_at_once() -> None:
    with RasaDouble() as rasa:
        evaluation = httpx.post(f"{rasa.url}/model/test/intents", content=training_yaml(), headers=YAML)
        parsed = httpx.post(f"{rasa.url}/model/parse", json={"text": "hey there"})

    assert evaluation.status_code == 200
    intents = evaluation.json()["intent_evaluation"]
    assert set(intents) == {"predictions", "report", "precision", "f1_score", "accuracy", "errors"}
    assert intents["f1_score"] == intents["report"]["weighted avg"]["f1-score"]  # only cross-validation loses it
    assert len(intents["predictions"]) == sum(fixture_intent_counts().values())
    assert parsed.json()["intent"] == {"name": "greet", "confidence": 1.0}
    assert parsed.json()["text_tokens"] == [[0, 3], [4, 9]]


def test_chat_publishes_rasas_events_in_rasas_order_and_shape(
    gateway_url: str, gateway_key: SigningKey, broker_db: Path, broker_messages: list[dict[str, Any]]
) -> None:
    token = chat_token(gateway_key, "alice")
    with RasaDouble(gateway_url=gateway_url, sink=sql_broker_sink(broker_db)) as rasa:
        reply = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json={"message": "hello", "conversation_id": "alice"},
            headers={"Authorization": f"Bearer {token}"},
        )
        rows = broker_rows(broker_db)
        goodbye = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook", json={"message": "bye"}, headers={"Authorization": f"Bearer {token}"}
        )

    assert reply.status_code == 200
    assert reply.json() == [{"recipient_id": "alice", "text": "Hey! How are you?"}]
    bodies = [body for _, body in rows]
    assert [sender for sender, _ in rows] == ["alice"] * 8
    assert [(body["event"], body.get("name")) for body in bodies] == [
        ("action", "action_session_start"),
        ("session_started", None),
        ("action", "action_listen"),
        ("user", None),
        ("user_featurization", None),
        ("action", "utter_greet"),
        ("bot", None),
        ("action", "action_listen"),
    ]
    first_of_type = {}
    for message in reversed(broker_messages):
        first_of_type[message["body"]["event"]] = message["body"]
    for body in bodies:
        assert list(body) == list(first_of_type[body["event"]]), body  # Rasa's keys in Rasa's order
        assert body["sender_id"] == "alice"
        assert {"model_id", "assistant_id"} <= set(body["metadata"])
    timestamps = [body["timestamp"] for body in bodies]
    assert all(isinstance(t, float) for t in timestamps) and timestamps == sorted(timestamps)
    user, bot = bodies[3], bodies[6]
    assert user["input_channel"] == "rasa" and user["text"] == "hello"
    assert user["parse_data"]["intent"] == {"name": "greet", "confidence": 1.0}
    assert list(user["parse_data"]) == list(first_of_type["user"]["parse_data"])
    assert user["parse_data"]["message_id"] == user["message_id"]
    assert bot["text"] == "Hey! How are you?"
    assert bot["metadata"]["utter_action"] == "utter_greet"
    assert bot["data"] == first_of_type["bot"]["data"]
    assert goodbye.json() == [{"recipient_id": "alice", "text": "Bye"}]
    assert [body["event"] for body in rasa.events("alice")[8:]] == [
        "user",
        "user_featurization",
        "action",
        "bot",
        "action",
    ]


def test_a_message_nlu_does_not_understand_falls_back(
    gateway_url: str, gateway_key: SigningKey, broker_db: Path
) -> None:
    with RasaDouble(gateway_url=gateway_url, sink=sql_broker_sink(broker_db)) as rasa:
        reply = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            params={"token": chat_token(gateway_key, "bob")},  # the token may come as ?token= too
            json={"message": "what is a carburettor?"},
        )

    assert reply.json() == [{"recipient_id": "bob", "text": "Sorry, I didn't get that. Can you rephrase?"}]
    bodies = [body for _, body in broker_rows(broker_db)]
    user = bodies[3]
    assert user["parse_data"]["intent"] == {"name": "nlu_fallback", "confidence": 0.3}
    assert user["parse_data"]["intent_ranking"] == [{"name": "nlu_fallback", "confidence": 0.3}]
    assert [(body["event"], body.get("name")) for body in bodies[5:]] == [
        ("action", "action_default_fallback"),
        ("bot", None),
        ("rewind", None),
        ("action", "action_listen"),
    ]


def test_webhook_refuses_a_tampered_token_as_rasa_does(
    gateway_url: str, gateway_key: SigningKey, broker_db: Path
) -> None:
    tampered = with_claims(chat_token(gateway_key, "alice"), username="mallory")
    with RasaDouble(gateway_url=gateway_url, sink=sql_broker_sink(broker_db)) as rasa:
        response = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook", json={"message": "hi"}, headers={"Authorization": f"Bearer {tampered}"}
        )
        fetches = rasa.public_key_fetches
        errors = list(rasa.server_errors)

    # Rasa fetches the key again once and then lets jwt's InvalidSignatureError through: Sanic answers 500.
    assert response.status_code == 500
    assert response.json()["status"] == 500
    assert fetches == 2
    assert errors and errors[0].startswith("InvalidSignatureError")
    assert broker_rows(broker_db) == []


def test_webhook_fetches_the_public_key_again_when_the_gateway_key_changed(
    gateway_url: str, published_key: KeyHolder, broker_db: Path
) -> None:
    with RasaDouble(gateway_url=gateway_url, sink=sql_broker_sink(broker_db)) as rasa:
        first = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json={"message": "hi"},
            headers={"Authorization": f"Bearer {chat_token(published_key.key, 'alice')}"},
        )
        published_key.key = SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        second = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json={"message": "hi"},
            headers={"Authorization": f"Bearer {chat_token(published_key.key, 'alice')}"},
        )
        fetches = rasa.public_key_fetches

    assert (first.status_code, second.status_code) == (200, 200)
    assert fetches == 2


def test_another_users_conversation_needs_the_client_events_create_scope(
    gateway_url: str, gateway_key: SigningKey, broker_db: Path
) -> None:
    message = {"message": "hi", "conversation_id": "alice"}
    with RasaDouble(gateway_url=gateway_url, sink=sql_broker_sink(broker_db)) as rasa:
        refused = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json=message,
            headers={"Authorization": f"Bearer {chat_token(gateway_key, 'bob')}"},
        )
        refused_rows = broker_rows(broker_db)
        allowed = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json=message,
            headers={"Authorization": f"Bearer {chat_token(gateway_key, 'bob', ['clientEvents:create'])}"},
        )

    assert refused.status_code == 401
    assert refused_rows == []
    assert allowed.status_code == 200
    assert allowed.json() == [{"recipient_id": "alice", "text": "Hey! How are you?"}]
    assert {sender for sender, _ in broker_rows(broker_db)} == {"alice"}


def test_a_rasa_without_event_broker_still_answers(gateway_url: str, gateway_key: SigningKey, broker_db: Path) -> None:
    behaviour = RasaBehaviour(chat_publishes_events=False)
    with RasaDouble(gateway_url=gateway_url, sink=sql_broker_sink(broker_db), behaviour=behaviour) as rasa:
        reply = httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json={"message": "hi"},
            headers={"Authorization": f"Bearer {chat_token(gateway_key, 'alice')}"},
        )
    assert reply.json() == [{"recipient_id": "alice", "text": "Hey! How are you?"}]
    assert broker_rows(broker_db) == []


def test_a_server_down_for_maintenance_answers_503_everywhere() -> None:
    with RasaDouble(behaviour=RasaBehaviour(available=False)) as rasa:
        down = [httpx.get(f"{rasa.url}/version"), httpx.post(f"{rasa.url}/webhooks/rasa/webhook", json={})]
        rasa.behaviour.available = True
        up = httpx.get(f"{rasa.url}/version")
    assert [response.status_code for response in down] == [503, 503]
    assert up.status_code == 200


def test_interactive_learning_appends_predicts_and_executes(broker_db: Path) -> None:
    user_event = {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}}
    with RasaDouble(sink=sql_broker_sink(broker_db), auth_token=TOKEN) as rasa:
        api = httpx.Client(base_url=rasa.url, params={"token": TOKEN})
        new = api.get("/conversations/carol/tracker").json()
        appended = api.post("/conversations/carol/tracker/events", json=user_event).json()
        prediction = api.post("/conversations/carol/predict").json()
        executed = api.post(
            "/conversations/carol/execute", json={"name": "utter_greet", "policy": "MemoizationPolicy", "confidence": 1}
        ).json()
        tracker = api.get("/conversations/carol/tracker").json()
        unknown = api.post("/conversations/nobody/predict")

    # A new conversation's tracker shows a session start that is not saved (and so not published).
    assert [event["event"] for event in new["events"]] == ["action", "session_started", "action"]
    assert [event["event"] for event in appended["events"]] == ["action", "session_started", "action", "user"]
    assert appended["latest_message"]["intent"]["name"] == "greet"
    assert prediction["scores"][0] == {"action": "utter_greet", "score": 1.0}
    assert (prediction["policy"], prediction["confidence"]) == ("MemoizationPolicy", 1.0)
    assert executed["messages"] == [{"recipient_id": "carol", "text": "Hey! How are you?"}]
    # Rasa 3.6.21 answers the tracker it fetched before running the action.
    assert len(executed["tracker"]["events"]) == 4
    assert [event["event"] for event in tracker["events"][4:]] == ["action", "bot"]
    assert tracker["latest_action_name"] == "utter_greet"
    rows = broker_rows(broker_db)
    assert [body["event"] for _, body in rows] == ["action", "session_started", "action", "user", "action", "bot"]
    assert rows[4][1]["policy"] == "MemoizationPolicy"
    assert unknown.status_code == 404 and unknown.json()["message"] == "Conversation ID not found."


def test_storage_sink_stores_the_events_in_storage(
    gateway_url: str, gateway_key: SigningKey, sqlite_sessions: sessionmaker[Session]
) -> None:
    with (
        storage_server_address(sqlite_sessions) as address,
        RasaDouble(gateway_url=gateway_url, sink=storage_sink(address)) as rasa,
    ):
        httpx.post(
            f"{rasa.url}/webhooks/rasa/webhook",
            json={"message": "hi"},
            headers={"Authorization": f"Bearer {chat_token(gateway_key, 'alice')}"},
        )
        with grpc.insecure_channel(address) as channel:
            stored = storage_pb2_grpc.StorageServiceStub(channel).ListConversationEvents(
                storage_pb2.ListConversationEventsRequest(sender_id="alice"), timeout=10
            )
        sent = rasa.events("alice")

    assert rasa.publish_errors == []
    assert [json.loads(event.json) for event in stored.events] == [{"sender_id": "alice", **event} for event in sent]
