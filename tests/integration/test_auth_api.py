"""Logging in and being let in: the gateway on a real in-process storage server (SQLite), through HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import structlog
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from conversely.logs import configure_logging
from conversely.settings import Settings
from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.app import create_app
from gateway.permissions import BUILT_IN_ROLES, USERS_LIST
from gateway.tokens import load_signing_key
from tests.gateway_app import Headers, admin, gateway_client, login, user_with_role
from tests.stack import TEST_ADMIN, free_port, stack_environment
from tests.storage_server import storage_server, storage_server_address

ERROR_KEYS = {"version", "status", "message", "reason", "details", "help", "code"}


@pytest.fixture
def other_replica(sqlite_sessions: sessionmaker[Session]) -> Iterator[users_pb2_grpc.UserServiceStub]:
    """UserService of the same database through another storage server, as another gateway replica sees it."""
    with storage_server(sqlite_sessions) as channel:
        yield users_pb2_grpc.UserServiceStub(channel)


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Every log line of the test, rendered as in production (structlog JSON through the standard library)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("gateway", "debug", "json")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(root.handlers[0].formatter)
    # The test's own HTTP client (httpx2) logs the URLs it calls; it is not part of the gateway.
    handler.addFilter(lambda record: not record.name.startswith("httpx"))
    root.addHandler(handler)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)
    structlog.reset_defaults()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token_of(headers: Headers) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def signing_key_of(data_dir: Path) -> Any:
    return load_signing_key(Settings(data_dir=data_dir))


def valid_claims(users: users_pb2_grpc.UserServiceStub, username: str = TEST_ADMIN[0]) -> dict[str, Any]:
    """Claims our key may sign for `username`, as POST /api/auth would issue them."""
    created_at = users.GetUser(users_pb2.GetUserRequest(username=username)).user.created_at
    now = int(time.time())
    return {
        "username": username,
        "scopes": [],
        "user": {"username": username, "roles": []},
        "user_created_at": created_at,
        "iat": now,
        "exp": now + 600,
    }


def assert_unauthenticated(response: Any, challenge: str = "Bearer") -> None:
    assert response.status_code == 401, response.text
    assert set(response.json()) == ERROR_KEYS
    assert response.headers["WWW-Authenticate"] == challenge


def test_login_returns_an_rs256_token_rasa_can_verify_with_the_published_key(api: TestClient) -> None:
    token = token_of(admin(api))
    keys = api.get("/api/version").json()["keys"]
    assert [key["alg"] for key in keys] == ["RS256"]
    assert keys[0]["key"].startswith("-----BEGIN PUBLIC KEY-----")
    claims = jwt.decode(token, keys[0]["key"], algorithms=[keys[0]["alg"]])
    assert claims["username"] == "admin"
    assert claims["user"] == {"username": "admin", "roles": ["admin"]}
    # Rasa's `rasa` channel lets a token talk in any conversation only with the scope `clientEvents:create`.
    assert set(claims["scopes"]) == BUILT_IN_ROLES["admin"] | {"clientEvents:create"}
    assert claims["exp"] - claims["iat"] == Settings().jwt_expiry_s
    assert abs(claims["iat"] - time.time()) < 60


def test_token_lasts_as_long_as_configured(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_JWT_EXPIRY_S": "120"}) as client:
        claims = jwt.decode(token_of(admin(client)), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120


def test_wrong_password_and_unknown_user_get_the_same_answer(api: TestClient) -> None:
    admin(api)
    wrong = api.post("/api/auth", json={"username": "admin", "password": "not-the-password"})
    unknown = api.post("/api/auth", json={"username": "nobody", "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "access_token" not in wrong.text


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"username": "admin"}', b'{"password": "x"}', b'{"username": 1, "password": "x"}', b""],
)
def test_login_without_username_and_password_is_a_400(api: TestClient, body: bytes) -> None:
    response = api.post("/api/auth", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert set(response.json()) == ERROR_KEYS


def test_request_without_credentials_is_a_401_with_a_bearer_challenge(api: TestClient) -> None:
    response = api.get("/api/user")
    assert_unauthenticated(response)
    assert "Authorization: Bearer" in response.json()["message"]


def test_expired_token_is_a_401(api: TestClient, tmp_path: Path) -> None:
    admin(api)  # the admin exists
    expired = signing_key_of(tmp_path).issue({"username": "admin"}, expiry_s=10, now=time.time() - 60)
    response = api.get("/api/user", headers=bearer(expired))
    assert_unauthenticated(response, 'Bearer error="invalid_token"')
    assert "expired" in response.json()["message"]


def test_token_signed_with_our_key_is_accepted_so_the_rejections_below_are_about_the_tokens(
    api: TestClient, tmp_path: Path, other_replica: users_pb2_grpc.UserServiceStub
) -> None:
    admin(api)
    token = jwt.encode(valid_claims(other_replica), signing_key_of(tmp_path).private_key, algorithm="RS256")
    assert api.get("/api/user", headers=bearer(token)).json()["username"] == "admin"


def segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


def forged_tokens(public_pem: str, genuine: str, claims_of_admin: dict[str, Any]) -> dict[str, str]:
    """Tokens naming the admin that no gateway may accept; `genuine` is a real token of a user without rights."""
    hs256_input = f"{segment({'alg': 'HS256', 'typ': 'JWT'})}.{segment(claims_of_admin)}"
    hs256 = hmac.new(public_pem.encode(), hs256_input.encode(), hashlib.sha256).digest()
    header, payload, signature = genuine.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered = f"{header}.{segment({**claims, 'username': 'admin'})}.{signature}"
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "hs256 keyed with the public key": f"{hs256_input}.{b64(hs256)}",
        "alg none": f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims_of_admin)}.",
        "tampered payload": tampered,
        "another key": jwt.encode(claims_of_admin, other_key, algorithm="RS256"),
        "garbage": "garbage",
    }


def test_forged_tokens_are_a_401(api: TestClient, other_replica: users_pb2_grpc.UserServiceStub) -> None:
    genuine = token_of(user_with_role(api, "tester", "somebody"))
    public_pem = api.get("/api/version").json()["keys"][0]["key"]
    for kind, token in forged_tokens(public_pem, genuine, valid_claims(other_replica)).items():
        response = api.get("/api/user", headers=bearer(token))
        assert response.status_code == 401, kind
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"', kind


@pytest.mark.parametrize("header", ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "Token abc"])
def test_authorization_header_that_is_not_bearer_is_a_401(api: TestClient, header: str) -> None:
    assert_unauthenticated(api.get("/api/user", headers={"Authorization": header}), 'Bearer error="invalid_token"')


def test_role_without_the_permission_is_a_403_naming_it(api: TestClient) -> None:
    tester = user_with_role(api, "tester")
    response = api.get("/api/users", headers=tester)
    assert response.status_code == 403
    assert USERS_LIST in response.json()["message"]
    assert set(response.json()) == ERROR_KEYS
    assert api.get("/api/user", headers=tester).status_code == 200


def test_api_token_lets_its_user_in_until_it_is_regenerated(api: TestClient) -> None:
    headers = user_with_role(api, "tester")
    token = api.get("/api/user", headers=headers).json()["api_token"]
    assert api.get("/api/user", params={"api_token": token}).json()["username"] == "tester-user"
    assert api.get("/api/users", params={"api_token": token}).status_code == 403
    assert_unauthenticated(api.get("/api/user", params={"api_token": "wrong"}))

    fresh = api.post("/api/user/api_token", headers=headers).json()["api_token"]
    assert fresh != token
    assert api.get("/api/user", params={"api_token": token}).status_code == 401
    assert api.get("/api/user", params={"api_token": fresh}).json()["username"] == "tester-user"


def test_failed_logins_beyond_the_limit_are_a_429_with_retry_after(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_LOGIN_ATTEMPTS_PER_MINUTE": "3"}) as client:
        admin(client)
        for _ in range(3):
            assert client.post("/api/auth", json={"username": "admin", "password": "guess-guess"}).status_code == 401
        limited = client.post("/api/auth", json={"username": "admin", "password": TEST_ADMIN[1]})
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert set(limited.json()) == ERROR_KEYS


def test_failed_logins_from_one_address_are_limited_whatever_the_username(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_LOGIN_ATTEMPTS_PER_MINUTE": "3"}) as client:
        admin(client)
        for name in ("a", "b", "c"):
            assert client.post("/api/auth", json={"username": name, "password": "guess-guess"}).status_code == 401
        assert client.post("/api/auth", json={"username": "d", "password": "guess-guess"}).status_code == 429


def test_deleted_users_token_stops_working_at_once(api: TestClient) -> None:
    headers = user_with_role(api, "tester")
    assert api.get("/api/user", headers=headers).status_code == 200
    assert api.delete("/api/users/tester-user", headers=admin(api)).status_code == 204
    response = api.get("/api/user", headers=headers)
    assert_unauthenticated(response, 'Bearer error="invalid_token"')
    assert "no longer exists" in response.json()["message"]


def test_token_of_a_deleted_user_does_not_let_in_a_new_user_of_the_same_name(api: TestClient) -> None:
    old_token = user_with_role(api, "tester", "bob")
    assert api.delete("/api/users/bob", headers=admin(api)).status_code == 204
    new_token = user_with_role(api, "tester", "bob")
    assert api.get("/api/user", headers=new_token).status_code == 200
    assert_unauthenticated(api.get("/api/user", headers=old_token), 'Bearer error="invalid_token"')


def test_user_deleted_through_another_gateway_is_refused_within_five_seconds(
    api: TestClient, other_replica: users_pb2_grpc.UserServiceStub
) -> None:
    headers = user_with_role(api, "tester")
    assert api.get("/api/user", headers=headers).status_code == 200
    other_replica.DeleteUser(users_pb2.DeleteUserRequest(username="tester-user"))
    deadline = time.monotonic() + 5.5
    while api.get("/api/user", headers=headers).status_code == 200:
        assert time.monotonic() < deadline, "a deleted user was still let in after 5 s"
        time.sleep(0.2)


def test_a_new_role_applies_to_an_existing_token(api: TestClient) -> None:
    headers = user_with_role(api, "tester")
    assert api.get("/api/users", headers=headers).status_code == 403
    assert api.put("/api/users/tester-user/roles", json=["admin"], headers=admin(api)).status_code == 200
    assert api.get("/api/users", headers=headers).status_code == 200


def test_login_is_a_503_until_storage_serves_then_the_admin_is_created(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ready = threading.Event()
    with storage_server_address(sqlite_sessions, ready=ready) as address:
        settings = Settings(data_dir=tmp_path, storage_address=address, admin_password=TEST_ADMIN[1])
        with TestClient(create_app(settings)) as client:
            time.sleep(0.5)
            waiting = client.post("/api/auth", json={"username": "admin", "password": TEST_ADMIN[1]})
            assert waiting.status_code == 503
            assert "retry" in waiting.json()["message"]
            ready.set()
            login(client, *TEST_ADMIN)


def test_gateway_starts_and_answers_while_storage_is_down(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, storage_address=f"127.0.0.1:{free_port()}")
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/auth", json={"username": "a", "password": "b"}).status_code == 503
        assert client.get("/api/version").json()["keys"]


def test_admin_is_created_with_the_configured_password(api: TestClient, tmp_path: Path) -> None:
    me = api.get("/api/user", headers=admin(api)).json()
    assert (me["username"], me["roles"]) == ("admin", ["admin"])
    assert not (tmp_path / "admin-password").exists()


def test_without_a_configured_password_the_admins_is_random_in_a_private_file(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path, captured_logs: io.StringIO
) -> None:
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_ADMIN_PASSWORD": ""}) as client:
        path = tmp_path / "admin-password"
        deadline = time.monotonic() + 10
        while not path.exists():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        password = path.read_text().strip()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(password) >= 16
        login(client, "admin", password)
    created = [json.loads(line) for line in captured_logs.getvalue().splitlines() if "admin_created" in line]
    assert [line["password_file"] for line in created] == [str(path.resolve())]
    assert password not in captured_logs.getvalue()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no pending file left


def test_admin_is_created_only_when_no_user_exists(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with gateway_client(sqlite_sessions, tmp_path) as client:
        admin(client)
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_ADMIN_PASSWORD": "another-password"}) as client:
        login(client, *TEST_ADMIN)
        assert client.post("/api/auth", json={"username": "admin", "password": "another-password"}).status_code == 401
        assert not (tmp_path / "admin-password").exists()


def test_built_in_roles_get_their_grants_from_the_code_at_every_start(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path, other_replica: users_pb2_grpc.UserServiceStub
) -> None:
    with gateway_client(sqlite_sessions, tmp_path) as client:
        admin(client)
    other_replica.PutRole(users_pb2.PutRoleRequest(role=users_pb2.Role(name="tester", grants=["stale.grant"])))
    with gateway_client(sqlite_sessions, tmp_path) as client:
        roles = {role["role"]: role for role in client.get("/api/roles", headers=admin(client)).json()}
    assert {name: set(role["grants"]) for name, role in roles.items()} == dict(BUILT_IN_ROLES)
    assert [name for name, role in roles.items() if role["is_default"]] == ["annotator"]


def test_invalid_admin_username_is_a_start_up_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CONVERSELY_ADMIN_USERNAME"):
        create_app(Settings(data_dir=tmp_path, admin_username=" admin"))


@pytest.mark.parametrize(
    ("setting", "value"),
    [("CONVERSELY_JWT_PRIVATE_KEY", "not a key"), ("CONVERSELY_JWT_PRIVATE_KEY_FILE", "/nonexistent/key.pem")],
)
def test_unusable_key_stops_the_gateway_with_a_message_naming_the_setting(
    tmp_path: Path, setting: str, value: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "conversely", "serve", "gateway"],
        env=stack_environment(tmp_path, {setting: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"conversely: {setting}")
    assert "Traceback" not in result.stderr


def test_no_password_or_token_reaches_the_logs(api: TestClient, captured_logs: io.StringIO) -> None:
    headers = admin(api)
    api_token = api.get("/api/user", headers=headers).json()["api_token"]
    api.get("/api/user", params={"api_token": api_token})
    api.post("/api/auth", json={"username": "admin", "password": "a-wrong-guess"})
    api.post("/api/users", json={"username": "bob", "password": "bobs-secret"}, headers=headers)
    bob = login(api, "bob", "bobs-secret")
    body = {"username": "bob", "old_password": "bobs-secret", "new_password": "bobs-new-secret"}
    api.post("/api/user/password", json={**body, "new_password_confirm": "bobs-new-secret"}, headers=bob)
    logged = captured_logs.getvalue()
    assert '"event": "login"' in logged and '"event": "request"' in logged  # the capture works
    for secret in [TEST_ADMIN[1], "a-wrong-guess", "bobs-secret", "bobs-new-secret", api_token, token_of(headers)]:
        assert secret not in logged
