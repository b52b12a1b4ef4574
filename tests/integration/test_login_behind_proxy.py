"""Behind a reverse proxy the login rate limit counts the real client (X-Forwarded-For from a trusted proxy)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.stack import Stack, stack_environment


def test_failed_logins_are_counted_per_forwarded_client_not_per_proxy(tmp_path: Path) -> None:
    env = stack_environment(tmp_path, {"CONVERSELY_LOGIN_ATTEMPTS_PER_MINUTE": "2"})  # loopback is trusted
    stack = Stack(env, tmp_path).start("migrate", "storage", "gateway")
    try:
        stack.wait_until_serving("storage", "gateway")
        stack.api()  # the gateway's accounts are set up

        def login(username: str, client: str) -> int:
            response = httpx.post(
                stack.gateway_url + "/api/auth",
                json={"username": username, "password": "wrong-password"},
                headers={"X-Forwarded-For": client},
                timeout=10,
            )
            return response.status_code

        assert [login("ann", "203.0.113.1"), login("bob", "203.0.113.1")] == [401, 401]
        assert login("cid", "203.0.113.1") == 429  # that client used up its attempts
        assert login("dee", "203.0.113.2") == 401  # another client behind the same proxy did not
    finally:
        stack.stop()
