"""The gateway's OpenAPI document: it describes exactly the app's routes, is valid, and the app keeps to it.

The last test is a schemathesis run against the real gateway app (in-process, on ASGI) and a real storage server on
SQLite: every documented operation gets generated requests, sent with the admin's token, and every answer must be
no 5xx, a documented status, a documented content type, and match the documented schema and headers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import grpc
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.python import asgi
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from conversely.settings import Settings
from conversely.storage.v1 import storage_pb2, storage_pb2_grpc
from gateway.app import create_app
from gateway.auth import PUBLIC
from gateway.openapi import openapi_document, route_operations
from tests.gateway_app import Headers, admin, gateway_client
from tests.live_gateway import MigrationState, migration_server
from tests.model_archives import FIXTURE_MODEL
from tests.stack import TEST_ADMIN, free_port
from tests.storage import append, event, user
from tests.storage_server import storage_server_address

SENDERS = ("ana", "ben", "team/cy")
MESSAGE_TIMESTAMPS = (100.0, 102.0, 103.0, 200.0, 300.0)
REVIEWER = ("reviewer", "reviewer-password")
CUSTOM_ROLE = {"role": "auditor", "grants": ["conversations.view.metadata.get"], "description": "Reads."}
USERNAMES = (TEST_ADMIN[0], REVIEWER[0])
ROLES = ("admin", "annotator", "tester", "guest", CUSTOM_ROLE["role"])
MODEL, MODEL_TAG = "model-capture", "production"
JOB_IDS = (1, 2)  # the first jobs generated requests queue
EXAMPLES = 20
# A 5xx is a fault of the gateway, except these when the operation documents them: a Rasa server or an internal
# service that does not answer (the gateway of this test has a worker on a port where nothing listens).
UPSTREAM_FAILURES = frozenset({"502", "503", "504"})
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def seed_events() -> list[dict[str, Any]]:
    """Three conversations; one has a sender id with a `/`, an unknown event type and a 70-bit integer in it."""
    weather = user("ana", 102.0, intent="weather", text="weather in Berlin?")
    weather["parse_data"]["entities"] = [{"entity": "city", "value": "berlin", "start": 11, "end": 17}]
    weather["parse_data"]["intent"]["confidence"] = 0.9
    return [
        user("ana", 100.0, text="Hello"),
        event("ana", "action", 101.0, name="utter_greet", confidence=0.99, policy="policy_0_RulePolicy"),
        weather,
        event("ana", "slot", 102.5, name="city", value="Berlin"),
        event("ana", "bot", 103.0, text="Sunny", metadata={"utter_action": "utter_weather"}),
        user("ben", 200.0, intent="goodbye", channel="socketio", text="bye"),
        event("ben", "action", 201.0, name="utter_goodbye", confidence=0.3, policy="policy_1_TEDPolicy"),
        user("team/cy", 300.0, text="hi"),
        event("team/cy", "a_future_event_type", 301.0, metadata={"trace": 2**70}),
    ]


@dataclass
class Gateway:
    """The gateway app with its lifespan running, the admin's Authorization header, and a way to re-seed."""

    app: Starlette
    headers: Headers
    storage: storage_pb2_grpc.StorageServiceStub

    def restore(self) -> None:
        """Put back the conversations, user, role and tagged model that a generated DELETE may have removed."""
        events = [
            storage_pb2.Event(sender_id=body["sender_id"], json=json.dumps(body), rasa_environment="production")
            for body in seed_events()
        ]
        self.storage.AppendEvents(storage_pb2.AppendEventsRequest(events=events))
        reviewer = {"username": REVIEWER[0], "password": REVIEWER[1], "roles": ["annotator"]}
        with asgi.get_client(self.app) as client:
            for found, create, body in (
                (f"/api/roles/{CUSTOM_ROLE['role']}", "/api/roles", CUSTOM_ROLE),
                (f"/api/users/{REVIEWER[0]}/roles", "/api/users", reviewer),
            ):
                if client.get(found, headers=self.headers).status_code == 404:
                    created = client.post(create, json=body, headers=self.headers)
                    assert created.status_code == 201, created.text
            models = "/api/projects/default/models"
            if client.get(f"{models}/{MODEL}", headers=self.headers).status_code == 404:
                model = {"model": (FIXTURE_MODEL.name, FIXTURE_MODEL.read_bytes(), "application/gzip")}
                uploaded = client.post(models, files=model, headers=self.headers)
                assert uploaded.status_code == 201, uploaded.text
            tagged = client.put(f"{models}/{MODEL}/tags/{MODEL_TAG}", headers=self.headers)
            assert tagged.status_code == 204, tagged.text


def gateway_settings(data_dir: Path, storage_address: str, migration_address: str | None = None) -> Settings:
    return Settings.from_env(
        {
            "CONVERSELY_DATA_DIR": str(data_dir),
            "CONVERSELY_STORAGE_ADDRESS": storage_address,
            # Nothing listens there (unless a migration service is given): /api/health reports them unavailable at
            # once.
            "CONVERSELY_EVENTS_ADDRESS": f"127.0.0.1:{free_port()}",
            "CONVERSELY_MIGRATION_ADDRESS": migration_address or f"127.0.0.1:{free_port()}",
            "CONVERSELY_ADMIN_USERNAME": TEST_ADMIN[0],
            "CONVERSELY_ADMIN_PASSWORD": TEST_ADMIN[1],
            # Generated logins fail a lot; they must not lock the run out.
            "CONVERSELY_LOGIN_ATTEMPTS_PER_MINUTE": "1000000",
            # A worker that is down: training and cross-validation requests are queued (and their jobs fail).
            "CONVERSELY_RASA_ENVIRONMENTS": f"worker=http://127.0.0.1:{free_port()}",
        }
    )


@pytest.fixture
def app(tmp_path: Path) -> Starlette:
    """The gateway app, not started: enough to read its routes."""
    return create_app(gateway_settings(tmp_path, f"127.0.0.1:{free_port()}"))


def test_every_route_is_documented_and_every_documented_operation_is_a_route(app: Starlette) -> None:
    document = openapi_document(app.routes)
    routes = {(route.method, route.path) for route in route_operations(app.routes)}
    documented = {(method, path) for path, item in document["paths"].items() for method in item}
    assert routes - documented == set(), "routes the document does not describe"
    assert documented - routes == set(), "documented operations no route serves"


def test_each_operation_states_the_permission_its_route_requires(app: Starlette) -> None:
    document = openapi_document(app.routes)
    operation_ids = []
    for route in route_operations(app.routes):
        assert route.permission is not None, f"{route.method} {route.path} is not decorated with @requires"
        documented = document["paths"][route.path][route.method]
        assert documented["x-permission"] == route.permission
        operation_ids.append(documented["operationId"])
        if route.permission == PUBLIC:
            assert documented["security"] == []
        else:
            rasa_token = [{"rasaToken": []}] if route.accepts_rasa_token else []
            assert documented["security"] == [{"bearerAuth": []}, {"apiToken": []}, *rasa_token]
            assert {"401", "403"} <= set(documented["responses"])
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"


def test_the_document_is_valid_openapi_3_1_and_its_schemas_valid_json_schema(app: Starlette) -> None:
    document = openapi_document(app.routes)
    schemathesis.openapi.from_dict(document).validate()
    assert document["openapi"].startswith("3.1.")
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name
    for path, item in document["paths"].items():
        for method, documented in item.items():
            assert documented["summary"], f"{method} {path} has no summary"
            for parameter in documented.get("parameters", []):
                assert jsonschema_rs.meta.is_valid(parameter["schema"]), f"{method} {path} {parameter['name']}"


def test_openapi_json_is_public_and_answers_the_same_document_every_time(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path) as client:
        first = client.get("/api/openapi.json")
        second = client.get("/api/openapi.json")
        routes = client.app.routes  # type: ignore[attr-defined]
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.json() == json.loads(json.dumps(openapi_document(routes)))
    assert second.content == first.content


@pytest.fixture
def gateway(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Gateway]:
    # schemathesis runs the app's lifespan on its own event loop; the gateway's gRPC clients must live on that
    # loop, so the app is started here through schemathesis's ASGI client rather than with Starlette's TestClient.
    append(sqlite_sessions, seed_events())
    # Migrations complete: GET /api/config answers the runtime configuration instead of a 503.
    with (
        storage_server_address(sqlite_sessions) as address,
        grpc.insecure_channel(address) as channel,
        migration_server(MigrationState()) as migration_address,
    ):
        app = create_app(gateway_settings(tmp_path, address, migration_address))
        try:
            with asgi.get_client(app) as client:
                # tests.gateway_app.admin only calls .post(path, json=...), which requests' Session has too.
                headers = admin(cast(TestClient, client))
            gateway = Gateway(app, headers, storage_pb2_grpc.StorageServiceStub(channel))
            gateway.restore()
            yield gateway
        finally:
            asgi.shutdown_lifespans()


def test_tracker_and_export_give_back_integers_beyond_64_bits_exactly(gateway: Gateway) -> None:
    # The document promises events as Rasa sent them; orjson alone would turn 2**70 into a float.
    with asgi.get_client(gateway.app) as client:
        tracker = client.get("/api/conversations/team%2Fcy/tracker", headers=gateway.headers)
        export = client.get("/api/conversations/export", headers=gateway.headers)
    assert tracker.status_code == 200, tracker.text
    assert export.status_code == 200, export.text
    exported = {line["sender_id"]: line for line in map(json.loads, export.text.splitlines())}
    for events in (tracker.json()["events"], exported["team/cy"]["events"]):
        future = next(e for e in events if e["event"] == "a_future_event_type")
        assert future["metadata"]["trace"] == 2**70
        assert isinstance(future["metadata"]["trace"], int)


def load_schema(gateway: Gateway) -> BaseSchema:
    """The document as the app serves it, generating path parameters that also name the seeded data."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", gateway.app)
    known = {
        "sender_id": SENDERS,
        "message_timestamp": MESSAGE_TIMESTAMPS,
        "username": USERNAMES,
        "role": ROLES,
        "model": (MODEL,),
        "tag": (MODEL_TAG,),
        "job_id": JOB_IDS,
    }

    @schema.hook
    def flatmap_path_parameters(context: Any, parameters: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        choices = {name: st.sampled_from(known[name]) for name in parameters or {} if name in known}
        if not choices:
            return st.just(parameters)
        existing = st.fixed_dictionaries(choices).map(lambda chosen: {**parameters, **chosen})
        return st.one_of(existing, st.just(parameters))

    return schema


def accept_headers(operation: APIOperation) -> list[dict[str, str]]:
    """No Accept header, then each media type the operation can answer with, when it can answer with several."""
    media_types = {
        media_type
        for status, response in operation.definition.raw["responses"].items()
        if status.startswith("2")
        for media_type in response.get("content", {})
    }
    return [{}, *({"Accept": media_type} for media_type in sorted(media_types))] if len(media_types) > 1 else [{}]


def check_json_lines(schema: BaseSchema, response: Response) -> None:
    """schemathesis validates JSON and YAML bodies; each line of an NDJSON body is checked here."""
    if not response.headers.get("content-type", [""])[0].startswith("application/x-ndjson"):
        return
    line_schema = {"$ref": "#/components/schemas/ExportedConversation", "components": schema.raw_schema["components"]}
    validator = jsonschema_rs.validator_for(line_schema)
    for line in response.content.decode().splitlines():
        validator.validate(json.loads(line))


def keeps_to_the_document(gateway: Gateway, operation: APIOperation, mode: GenerationMode) -> None:
    """Send `operation` generated requests (valid ones, or invalid ones) and check every answer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # Shrinking a failure through the whole app can take minutes; the first failing request is reported.
        phases=[Phase.explicit, Phase.generate],
    )
    def check(case: Case) -> None:
        for accept in accept_headers(operation):
            try:
                response = case.call_and_validate(headers={**gateway.headers, **accept}, checks=CHECKS)
                check_json_lines(operation.schema, response)
                status = str(response.status_code)
                documented_upstream = status in UPSTREAM_FAILURES and status in operation.definition.raw["responses"]
                assert response.status_code < 500 or documented_upstream, f"a server error: {status} {response.text}"
            except Exception as error:
                # In-process, the exception behind a 500 reaches the caller instead of the 500 itself.
                raise AssertionError(f"{error!r}\nReproduce with: {case.as_curl_command(accept)}") from error
            if operation.definition.raw.get("x-permission") != PUBLIC:
                assert response.status_code != 401, "the admin's token stopped working"
        if case.method.upper() == "DELETE":
            gateway.restore()

    check()


def inner_failures(error: BaseException) -> str:
    """The failures inside an exception group, which Hypothesis's report of a flaky failure leaves out."""
    return "".join(f"\n  - {inner!r}" for inner in getattr(error, "exceptions", ()))


def test_every_answer_keeps_to_the_document(gateway: Gateway) -> None:
    # One test for all operations: the gateway and its database are set up once. (schemathesis's pytest
    # integration, `schema.parametrize()` on a fixture, does not run on pytest 9.2.)
    failures = []
    for result in load_schema(gateway).get_all_operations():
        operation = result.ok()
        takes_input = operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if takes_input else (GenerationMode.POSITIVE,):
            try:
                keeps_to_the_document(gateway, operation, mode)
            except (Exception, FailureGroup) as error:
                failures.append(f"{operation.label} ({mode.value} data):\n{error}{inner_failures(error)}")
    assert not failures, "\n\n".join(failures)
