"""Slows password guessing: too many failed logins for one username, or from one client address, within a
minute, and further attempts are refused (429) until the oldest failure is a minute old.

The counts live in this process: each gateway replica counts separately, so N replicas allow up to N times the
configured attempts. That still bounds guessing; a shared counter (Redis) would make it exact.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable

WINDOW_S = 60.0
# Forget idle keys once this many are tracked, so a flood of made-up usernames cannot grow memory without bound.
MAX_TRACKED_KEYS = 100_000


class LoginLimiter:
    def __init__(self, attempts: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._attempts = attempts
        self._window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, keys: Iterable[str]) -> int | None:
        """Whole seconds until any of `keys` may try again, or None when none of them is over the limit."""
        now = self._clock()
        waits = []
        for key in keys:
            failures = self._recent(key, now) if key in self._failures else deque()
            if len(failures) >= self._attempts:
                waits.append(failures[-self._attempts] + self._window_s - now)
        return max(1, math.ceil(max(waits))) if waits else None

    def record_failure(self, keys: Iterable[str]) -> None:
        now = self._clock()
        if len(self._failures) >= MAX_TRACKED_KEYS:
            self._forget_idle(now)
        for key in keys:
            self._recent(key, now).append(now)

    def forget(self, key: str) -> None:
        """Clear `key`'s failures (after it logged in successfully)."""
        self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque(maxlen=self._attempts))
        while failures and failures[0] <= now - self._window_s:
            failures.popleft()
        return failures

    def _forget_idle(self, now: float) -> None:
        for key in [
            k for k, failures in self._failures.items() if not failures or failures[-1] <= now - self._window_s
        ]:
            del self._failures[key]
