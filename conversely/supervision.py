"""The services `conversely up` starts stop when it is gone, even when it was killed outright (SIGKILL, the OOM
killer), so that none is left holding its port and the next `conversely up` starts cleanly.

`conversely up` names itself in CONVERSELY_SUPERVISOR_PID; a service started so checks that its parent is still that
process and, once it is not, stops itself as SIGTERM stops it: gracefully. A service started on its own (a container)
has no supervisor and is not watched.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Mapping

import structlog

SUPERVISOR_PID_ENV = "CONVERSELY_SUPERVISOR_PID"
CHECK_EVERY_S = 1.0

log = structlog.get_logger()


def supervised_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` for a service this process supervises."""
    return {**environ, SUPERVISOR_PID_ENV: str(os.getpid())}


def stop_when_supervisor_is_gone(environ: Mapping[str, str]) -> None:
    """When started by a supervisor, send this process SIGTERM as soon as the supervisor is no longer its parent."""
    supervisor = environ.get(SUPERVISOR_PID_ENV, "")
    if not supervisor.isdigit():
        return

    def watch() -> None:
        while os.getppid() == int(supervisor):
            time.sleep(CHECK_EVERY_S)
        log.warning("supervisor_gone", supervisor_pid=int(supervisor))
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="supervisor-watch", daemon=True).start()
