"""Real Conversely service processes for tests, each on free loopback ports, with its log kept for failures."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx

from conversely.events.v1 import events_pb2, events_pb2_grpc
from conversely.grpc_runtime import is_serving
from conversely.supervision import supervised_environment

TEST_ADMIN = ("admin", "test-admin-password")

SERVICE_ADDRESS_SETTING = {
    "storage": "CONVERSELY_STORAGE_ADDRESS",
    "events": "CONVERSELY_EVENTS_ADDRESS",
    "migrate": "CONVERSELY_MIGRATION_ADDRESS",
}


def _below_outgoing_ports() -> range:
    """Ports below the kernel's range for outgoing connections (ip_local_port_range): between a probe and a
    service's bind, a port in that range can be taken by any client's connection; these only by a bind."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32_768
    return range(20_000, max(low, 20_001))


_PORTS = _below_outgoing_ports()
_handed_out: set[int] = set()  # never the same port twice in one test run, so two services never clash


def free_port() -> int:
    """A loopback port nothing listens on now, for a service about to start."""
    while len(_handed_out) < len(_PORTS):
        port = random.choice(_PORTS)
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"every port from {_PORTS.start} to {_PORTS.stop - 1} was handed out in this test run")


def stack_environment(log_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Settings for a whole stack on fresh ports; `extra` adds or overrides settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONVERSELY_")}
    env.update(
        {
            "CONVERSELY_DATA_DIR": str(log_dir / "data"),
            "CONVERSELY_GATEWAY_PORT": str(free_port()),
            "CONVERSELY_MIGRATION_HTTP_PORT": str(free_port()),
            "CONVERSELY_EVENTS_HTTP_PORT": str(free_port()),
            "CONVERSELY_STORAGE_ADDRESS": f"127.0.0.1:{free_port()}",
            "CONVERSELY_EVENTS_ADDRESS": f"127.0.0.1:{free_port()}",
            "CONVERSELY_MIGRATION_ADDRESS": f"127.0.0.1:{free_port()}",
            "CONVERSELY_SQL_BROKER_POLL_MS": "100",
            "CONVERSELY_SHUTDOWN_GRACE_S": "5",
            "CONVERSELY_ADMIN_USERNAME": TEST_ADMIN[0],
            "CONVERSELY_ADMIN_PASSWORD": TEST_ADMIN[1],
        }
    )
    env.update(extra or {})
    return env


@dataclass
class ServiceProcess:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout_s: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_process(name: str, args: list[str], env: Mapping[str, str], log_dir: Path) -> ServiceProcess:
    """`conversely <args>` with this process as its supervisor: a service stops when the tests are killed."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "conversely", *args],
            env=supervised_environment(env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return ServiceProcess(name, process, log_path)


@dataclass
class Stack:
    """Some or all of the four services, started with one environment."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    _api: httpx.Client | None = field(default=None, repr=False)

    def start(self, *services: str) -> Stack:
        for service in services:
            self.processes[service] = start_process(service, ["serve", service], self.env, self.log_dir)
        return self

    def address(self, service: str) -> str:
        return self.env[SERVICE_ADDRESS_SETTING[service]]

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.env['CONVERSELY_GATEWAY_PORT']}"

    def wait_until_serving(self, *services: str, timeout_s: float = 60) -> None:
        for service in services:
            if service == "gateway":
                self._wait(lambda: _http_ok(self.gateway_url + "/api/health"), service, timeout_s)
            else:
                with grpc.insecure_channel(self.address(service)) as grpc_channel:
                    self._wait(lambda c=grpc_channel: is_serving(c, timeout_s=1), service, timeout_s)  # type: ignore[misc]

    def _wait(self, ready: Callable[[], bool], service: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if ready():
                return
            for process in self.processes.values():
                if process.process.poll() is not None:
                    raise AssertionError(f"{process.name} exited with {process.process.returncode}:\n{process.log()}")
            time.sleep(0.1)
        raise AssertionError(f"{service} not serving after {timeout_s}s:\n{self.logs()}")

    def api(self) -> httpx.Client:
        """A client of this stack's gateway, logged in as its admin (logged in once)."""
        if self._api is None:
            self._api = api_client(self.gateway_url)
        return self._api

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log()[-4000:]}" for p in self.processes.values())

    def stop(self) -> dict[str, int]:
        """Stop every process this stack started: extra ones first, then gateway, events, storage, migrate."""
        order = ["gateway", "events", "storage", "migrate"]
        extra = [name for name in self.processes if name not in order]
        return {name: self.processes[name].stop() for name in [*extra, *order] if name in self.processes}


def api_client(gateway_url: str, credentials: tuple[str, str] = TEST_ADMIN, timeout_s: float = 60) -> httpx.Client:
    """An HTTP client of the gateway logged in as `credentials` (the admin the gateway creates at start)."""
    token: list[str] = []

    def logged_in() -> bool:
        try:
            response = httpx.post(
                gateway_url + "/api/auth", json={"username": credentials[0], "password": credentials[1]}, timeout=5
            )
        except httpx.HTTPError:
            return False
        if response.status_code == 200:
            token.append(response.json()["access_token"])
        return bool(token)

    wait_for(logged_in, f"logging in to {gateway_url} as {credentials[0]}", timeout_s)
    return httpx.Client(base_url=gateway_url, headers={"Authorization": f"Bearer {token[0]}"}, timeout=10)


def as_rasa_sent(event: dict[str, Any]) -> dict[str, Any]:
    """A tracker event without what the gateway adds (Rasa X's is_flagged, metadata rasa_x_flagged/rasa_x_id)."""
    metadata = {k: v for k, v in event["metadata"].items() if k not in {"rasa_x_flagged", "rasa_x_id"}}
    return {**{k: v for k, v in event.items() if k != "is_flagged"}, "metadata": metadata}


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 60, stack: Stack | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f":\n{stack.logs()}" if stack else ""))


def events_status(address: str) -> events_pb2.GetStatusResponse:
    """An event service's counters, read over gRPC with the generated client stub."""
    with grpc.insecure_channel(address) as grpc_channel:
        return events_pb2_grpc.EventServiceStub(grpc_channel).GetStatus(events_pb2.GetStatusRequest(), timeout=5)
