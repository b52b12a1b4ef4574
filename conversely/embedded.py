"""`conversely up`: all four services as child processes on loopback, stopped together and in order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import structlog
from sqlalchemy.engine import make_url

from conversely.settings import Settings
from conversely.supervision import supervised_environment

log = structlog.get_logger()

# Started in this order, stopped in reverse: the gateway stops taking requests first, storage last.
SERVICES = ("migrate", "storage", "events", "gateway")
STARTUP_TIMEOUT_S = 120.0
ADMIN_PASSWORD_WAIT_S = 6.0


def run_embedded(settings: Settings) -> int:
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name in SERVICES:
            # A session of their own: Ctrl-C reaches only this supervisor, which stops them in order.
            children[name] = subprocess.Popen(
                [sys.executable, "-m", "conversely", "serve", name],
                start_new_session=True,
                env=supervised_environment(os.environ),
            )
        if _wait_until_up(settings, children, stopping):
            _announce(settings)
        while not stopping.wait(0.5):
            exited = {name: child.returncode for name, child in children.items() if child.poll() is not None}
            if exited:
                log.error("service_exited", services=exited)
                return 1
        return 0
    finally:
        _stop_all(children, settings.shutdown_grace_s + 5)


def _wait_until_up(settings: Settings, children: dict[str, subprocess.Popen[bytes]], stopping: threading.Event) -> bool:
    url = f"http://127.0.0.1:{settings.gateway_port}/api/health"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not stopping.is_set() and time.monotonic() < deadline:
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = json.load(response)
            if all(status == "SERVING" for status in body["services"].values()):
                return True
        except (urllib.error.URLError, OSError, ValueError, KeyError):
            pass
        stopping.wait(0.5)
    if not stopping.is_set():
        log.warning("services_not_ready_yet", waited_s=STARTUP_TIMEOUT_S, check=url)
    return False


def _announce(settings: Settings) -> None:
    sources = ["gRPC Ingest at " + settings.events_address]
    if settings.rabbitmq_url:
        sources.append(f"RabbitMQ queue {settings.rabbitmq_queue}")
    if settings.effective_sql_broker_url:
        sources.append("Rasa's SQL event broker table `events`")
    lines = [
        "",
        f"Conversely is up: UI and API at http://127.0.0.1:{settings.gateway_port}",
        f"  database:    {_without_password(settings.effective_database_url)}",
        f"  events from: {', '.join(sources)}",
        *_login_hint(settings),
        f"  model server for Rasa: http://127.0.0.1:{settings.gateway_port}/api/projects/default/models/tags/production",
        f"               token: {_rasa_token_hint(settings)}",
        "  stop with Ctrl-C",
        "",
    ]
    print("\n".join(lines), flush=True)


def _login_hint(settings: Settings) -> list[str]:
    """Where the first admin's password is; the gateway writes the file moments after storage is ready."""
    if settings.admin_password:
        return [f"  log in as:   {settings.admin_username}, password from CONVERSELY_ADMIN_PASSWORD"]
    from gateway.accounts import ADMIN_PASSWORD_FILE

    password_file = settings.data_dir / ADMIN_PASSWORD_FILE
    deadline = time.monotonic() + ADMIN_PASSWORD_WAIT_S
    while not password_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if not password_file.exists():
        return []
    return [f"  log in as:   {settings.admin_username}, password in {password_file.resolve()} (if not changed since)"]


def _rasa_token_hint(settings: Settings) -> str:
    from gateway.rasa_token import rasa_token_file

    return "from CONVERSELY_RASA_TOKEN" if settings.rasa_token else f"in {rasa_token_file(settings).resolve()}"


def _without_password(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _stop_all(children: dict[str, subprocess.Popen[bytes]], timeout_s: float) -> None:
    for name in reversed(SERVICES):
        child = children.get(name)
        if child is None or child.poll() is not None:
            continue
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout_s)
        except subprocess.TimeoutExpired:
            log.warning("service_killed", service=name, after_s=timeout_s)
            child.kill()
            child.wait()
