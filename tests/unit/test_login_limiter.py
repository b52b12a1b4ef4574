"""Failed logins are counted per key over a sliding minute; over the limit, callers wait for the oldest to age."""

from __future__ import annotations

from gateway.login_limiter import LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_key_is_refused_after_the_allowed_failures_until_the_oldest_is_a_minute_old() -> None:
    clock = Clock()
    limiter = LoginLimiter(attempts=3, clock=clock)
    for second in (0, 10, 20):
        clock.now = 1000.0 + second
        assert limiter.retry_after(["user:a"]) is None
        limiter.record_failure(["user:a"])
    clock.now = 1030.0
    assert limiter.retry_after(["user:a"]) == 30  # the first failure (at 1000) ages out at 1060
    clock.now = 1060.0
    assert limiter.retry_after(["user:a"]) is None
    limiter.record_failure(["user:a"])
    assert limiter.retry_after(["user:a"]) == 10  # the failure at 1010 ages out at 1070


def test_any_limited_key_refuses_the_attempt() -> None:
    limiter = LoginLimiter(attempts=2, clock=Clock())
    limiter.record_failure(["user:a", "address:x"])
    limiter.record_failure(["user:b", "address:x"])
    assert limiter.retry_after(["user:c", "address:x"]) is not None
    assert limiter.retry_after(["user:a", "address:y"]) is None


def test_forgetting_a_key_clears_its_failures() -> None:
    limiter = LoginLimiter(attempts=1, clock=Clock())
    limiter.record_failure(["user:a"])
    assert limiter.retry_after(["user:a"]) is not None
    limiter.forget("user:a")
    assert limiter.retry_after(["user:a"]) is None


def test_checking_unknown_keys_remembers_nothing() -> None:
    limiter = LoginLimiter(attempts=1, clock=Clock())
    for n in range(100):
        limiter.retry_after([f"user:{n}"])
    assert limiter._failures == {}
