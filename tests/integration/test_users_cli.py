"""`conversely users ...` against real storage and gateway processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import httpx
import pytest

from conversely.storage.v1 import users_pb2, users_pb2_grpc
from gateway.passwords import verify_password
from tests.stack import Stack, free_port, stack_environment


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log_dir = tmp_path_factory.mktemp("users-cli")
    running = Stack(stack_environment(log_dir), log_dir).start("migrate", "storage", "gateway")
    try:
        running.wait_until_serving("storage", "gateway")
        running.api()  # logs the admin in: the gateway has finished setting up its accounts
        yield running
    finally:
        running.stop()


def conversely(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conversely", *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )


def stored_user(stack: Stack, username: str) -> users_pb2.User:
    with grpc.insecure_channel(stack.address("storage")) as channel:
        stub = users_pb2_grpc.UserServiceStub(channel)
        return stub.GetUser(users_pb2.GetUserRequest(username=username), timeout=5).user


def test_created_user_logs_in_to_the_gateway(stack: Stack) -> None:
    created = conversely(
        stack.env, "users", "create", "alice", "--role", "tester", "--password-stdin", stdin="alice-pw-1\n"
    )
    assert (created.returncode, created.stdout.strip()) == (0, "created alice (roles: tester)"), created.stderr
    response = httpx.post(stack.gateway_url + "/api/auth", json={"username": "alice", "password": "alice-pw-1"})
    assert response.status_code == 200, response.text


def test_users_are_listed_with_their_roles(stack: Stack) -> None:
    conversely(
        stack.env,
        "users",
        "create",
        "bob",
        "--role",
        "admin",
        "--role",
        "tester",
        "--password-stdin",
        stdin="bob-pw-12\n",
    )
    listed = conversely(stack.env, "users", "list")
    assert listed.returncode == 0, listed.stderr
    assert "bob\tadmin,tester" in listed.stdout.splitlines()


def test_user_without_a_role_gets_the_default_role(stack: Stack) -> None:
    created = conversely(stack.env, "users", "create", "carol", "--password-stdin", stdin="carol-pw-1\n")
    assert created.stdout.strip() == "created carol (roles: annotator)", created.stderr


def test_password_is_set_and_stored_only_as_a_hash(stack: Stack) -> None:
    conversely(stack.env, "users", "create", "dave", "--password-stdin", stdin="dave-pw-old\n")
    changed = conversely(stack.env, "users", "set-password", "dave", "--password-stdin", stdin="dave-pw-new\n")
    assert (changed.returncode, changed.stdout.strip()) == (0, "password of dave changed"), changed.stderr
    password_hash = stored_user(stack, "dave").password_hash
    assert verify_password(password_hash, "dave-pw-new")
    assert "dave-pw-new" not in password_hash


def test_deleted_user_is_gone(stack: Stack) -> None:
    conversely(stack.env, "users", "create", "erin", "--password-stdin", stdin="erin-pw-12\n")
    deleted = conversely(stack.env, "users", "delete", "erin")
    assert (deleted.returncode, deleted.stdout.strip()) == (0, "deleted erin"), deleted.stderr
    assert "erin" not in conversely(stack.env, "users", "list").stdout
    again = conversely(stack.env, "users", "delete", "erin")
    assert (again.returncode, again.stderr.strip()) == (1, "conversely: no user 'erin'")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["create", "frank", "--password-stdin"], "short\n", "at least 8 characters"),
        (["create", "frank", "--password-stdin"], "\n", "no password on stdin"),
        (["create", "frank", "--role", "wizard", "--password-stdin"], "frank-pw-1\n", "unknown role(s): wizard"),
        (["create", "frank"], "frank-pw-1\n", "--password-stdin"),
        (["set-password", "nobody", "--password-stdin"], "nobody-pw-1\n", "no user 'nobody'"),
    ],
)
def test_refusals_are_one_line_and_a_failure_status(stack: Stack, args: list[str], stdin: str, message: str) -> None:
    result = conversely(stack.env, "users", *args, stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "frank" not in conversely(stack.env, "users", "list").stdout


def test_taken_username_is_refused(stack: Stack) -> None:
    conversely(stack.env, "users", "create", "gina", "--password-stdin", stdin="gina-pw-12\n")
    again = conversely(stack.env, "users", "create", "gina", "--password-stdin", stdin="gina-pw-12\n")
    assert (again.returncode, again.stderr.strip()) == (1, "conversely: user 'gina' already exists")


def test_storage_not_running_is_a_clear_error(tmp_path: Path) -> None:
    env = stack_environment(tmp_path, {"CONVERSELY_STORAGE_ADDRESS": f"127.0.0.1:{free_port()}"})
    result = conversely(env, "users", "list")
    assert result.returncode == 1
    assert "storage is not reachable at 127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
