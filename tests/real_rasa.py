"""The real Rasa 3.6.21 for interop tests: where it is installed, and `rasa run` as a managed process.

../shared/interop/install-rasa.sh installs it (CONVERSELY_RASA_VENV, default ~/.cache/conversely/rasa-3.6.21); tests
marked `requires_real_rasa` are skipped, saying so, where it is not installed.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.model_archives import FIXTURE_MODEL
from tests.stack import free_port, wait_for

RASA_VENV = Path(os.environ.get("CONVERSELY_RASA_VENV", Path.home() / ".cache" / "conversely" / "rasa-3.6.21"))
RASA = RASA_VENV / "bin" / "rasa"
# Rasa must neither phone home nor look for updates.
RASA_ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
# Rasa's own commands (validate, train a small project) may take this long on a loaded 2-core machine.
RASA_TIMEOUT_S = 600
requires_real_rasa = pytest.mark.skipif(
    not RASA.exists(), reason=f"needs the real Rasa 3.6.21 at {RASA_VENV}: run ../shared/interop/install-rasa.sh"
)


class RasaServer:
    """`rasa run` with the given endpoints.yml (and credentials.yml) and the fixture's model, or with no `--model`
    (`model=None`: it pulls its model from the model server endpoints.yml names)."""

    def __init__(
        self, workdir: Path, endpoints: str, credentials: str = "rest:\n", model: Path | None = FIXTURE_MODEL
    ) -> None:
        (workdir / "endpoints.yml").write_text(endpoints)
        (workdir / "credentials.yml").write_text(credentials)
        model_args = ["--model", str(model)] if model is not None else []
        self.start(workdir, ["run", "--enable-api", *model_args,
                             "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"])  # fmt: skip

    @classmethod
    def with_args(
        cls, workdir: Path, args: list[str], ready_path: str = "/status", port: int | None = None
    ) -> RasaServer:
        """`rasa <args>` (port and interface added), ready once `ready_path` answers 200."""
        server = cls.__new__(cls)
        server.start(workdir, args, ready_path, port)
        return server

    def start(self, workdir: Path, args: list[str], ready_path: str = "/status", port: int | None = None) -> None:
        self.port = port or free_port()
        self.log = workdir / "rasa.log"
        self.ready_path = ready_path
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(RASA), *args, "--port", str(self.port), "--interface", "127.0.0.1"],
                cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                env={**RASA_ENV, "RASA_ENVIRONMENT": "production"},
            )  # fmt: skip
        wait_for(self._ready, f"Rasa to answer {ready_path}", timeout_s=240)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"rasa exited:\n{self.log.read_text()[-3000:]}")
        try:
            return httpx.get(self.url + self.ready_path, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def status(self) -> dict[str, Any]:
        """Rasa's GET /status: the loaded model's `model_id` and `model_file`."""
        response = httpx.get(self.url + "/status", timeout=10)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        response = httpx.post(self.url + "/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def tracker_events(self, sender: str) -> list[dict[str, Any]]:
        response = httpx.get(f"{self.url}/conversations/{quote(sender, safe='')}/tracker", timeout=30)
        response.raise_for_status()
        return response.json()["events"]  # type: ignore[no-any-return]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
