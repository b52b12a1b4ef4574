"""The gateway app served by uvicorn on a real loopback port, for tests in which Rasa (the double) calls it back,
and `rasa_rig`: such a gateway with a Rasa double as its `worker` and the fixture project stored.

Beside it: an in-process storage server on the test's database and an in-process migration service whose status the
test sets. The gateway's PushHub can be subscribed to from the test's thread (`pushed`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx
import uvicorn
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette

from conversely.migration.v1 import migration_pb2_grpc
from conversely.settings import Settings
from conversely.storage.v1 import project_pb2, project_pb2_grpc
from gateway.app import create_app
from migration_service.runner import MigrationStatus
from migration_service.service import MigrationService
from tests.conftest import FIXTURES
from tests.rasa_double import RasaDouble
from tests.stack import TEST_ADMIN, api_client, free_port, wait_for
from tests.storage_server import storage_server_address

COMPLETED = MigrationStatus(
    state="completed", current_revisions=("head",), target_revisions=("head",), progress_percent=100
)


@dataclass
class MigrationState:
    """What the in-process migration service answers; a test may change `status` at any time."""

    status: MigrationStatus = COMPLETED


@contextmanager
def migration_server(state: MigrationState) -> Iterator[str]:
    """A MigrationService answering `state.status`, on a free loopback port; yields its host:port."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    migration_pb2_grpc.add_MigrationServiceServicer_to_server(MigrationService(lambda: state.status), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


@dataclass
class LiveGateway:
    url: str
    app: Starlette
    settings: Settings
    storage_address: str
    migration: MigrationState
    loop: asyncio.AbstractEventLoop
    _subscriptions: list[futures.Future[None]] = field(default_factory=list)
    _admin: httpx.Client | None = None

    def admin(self) -> httpx.Client:
        """A client logged in as the gateway's admin (logged in once)."""
        if self._admin is None:
            self._admin = api_client(self.url)
        return self._admin

    def pushed(self, *topics: str) -> list[dict[str, Any]]:
        """A list that receives every message the gateway's PushHub gives a subscriber of `topics` from now on."""
        received: list[dict[str, Any]] = []
        subscribed = threading.Event()

        async def collect() -> None:
            async with self.app.state.push.subscribe(*topics) as subscription:
                subscribed.set()
                while True:
                    received.append(await subscription.next())

        collecting = asyncio.run_coroutine_threadsafe(collect(), self.loop)
        self._subscriptions.append(collecting)
        if not subscribed.wait(10):
            raise AssertionError(f"could not subscribe to the gateway's PushHub: {collecting}")
        return received

    def close(self) -> None:
        for subscription in self._subscriptions:
            subscription.cancel()
        if self._admin is not None:
            self._admin.close()


@contextmanager
def live_gateway(
    sessions: sessionmaker[Session],
    data_dir: Path,
    extra: dict[str, str] | None = None,
    port: int | None = None,
    migration: MigrationState | None = None,
) -> Iterator[LiveGateway]:
    """The gateway on `port` (default: a free one) at http://127.0.0.1:<port>, which is also its public URL."""
    port = port or free_port()
    migration = migration or MigrationState()
    with ExitStack() as cleanup:
        storage_address = cleanup.enter_context(storage_server_address(sessions))
        settings = Settings.from_env(
            {
                "CONVERSELY_DATA_DIR": str(data_dir),
                "CONVERSELY_STORAGE_ADDRESS": storage_address,
                "CONVERSELY_MIGRATION_ADDRESS": cleanup.enter_context(migration_server(migration)),
                "CONVERSELY_EVENTS_ADDRESS": f"127.0.0.1:{free_port()}",
                "CONVERSELY_GATEWAY_PORT": str(port),
                "CONVERSELY_PUBLIC_URL": f"http://127.0.0.1:{port}",
                "CONVERSELY_ADMIN_USERNAME": TEST_ADMIN[0],
                "CONVERSELY_ADMIN_PASSWORD": TEST_ADMIN[1],
                **(extra or {}),
            }
        )
        app = create_app(settings)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), name="live-gateway")
        thread.start()
        gateway = LiveGateway(f"http://127.0.0.1:{port}", app, settings, storage_address, migration, loop)
        try:
            wait_for(lambda: server.started or not thread.is_alive(), "the gateway to start", 30)
            assert server.started, "the gateway did not start"
            yield gateway
        finally:
            gateway.close()
            server.should_exit = True
            thread.join(30)
            loop.close()


def wait_for_job(client: httpx.Client, job_id: int, *states: str, timeout_s: float = 30) -> dict[str, Any]:
    """The job once its status is one of `states`; AssertionError naming its last status when it does not get there."""
    deadline = time.monotonic() + timeout_s
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.get(f"/api/projects/default/models/jobs/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} is {job.get('status')}, not {'/'.join(states)}, after {timeout_s}s: {job}")


FIXTURE_PROJECT_FILES = ["config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml", "data/rules.yml"]


@dataclass
class RasaRig:
    """A live gateway whose `worker` environment is a Rasa double, with the fixture project stored."""

    gateway: LiveGateway
    rasa: RasaDouble
    project: project_pb2_grpc.ProjectServiceStub

    @property
    def api(self) -> httpx.Client:
        return self.gateway.admin()


@contextmanager
def rasa_rig(sessions: sessionmaker[Session], data_dir: Path, extra: dict[str, str] | None = None) -> Iterator[RasaRig]:
    port = free_port()
    with (
        RasaDouble(gateway_url=f"http://127.0.0.1:{port}") as rasa,
        live_gateway(
            sessions, data_dir, {"CONVERSELY_RASA_ENVIRONMENTS": f"worker={rasa.url}", **(extra or {})}, port
        ) as gateway,
        grpc.insecure_channel(gateway.storage_address) as channel,
    ):
        project = project_pb2_grpc.ProjectServiceStub(channel)
        files = [
            project_pb2.ProjectFile(path=path, content=(FIXTURES / "project" / path).read_text())
            for path in FIXTURE_PROJECT_FILES
        ]
        project.ImportProject(project_pb2.ImportProjectRequest(files=files, mode=project_pb2.IMPORT_MODE_REPLACE))
        yield RasaRig(gateway, rasa, project)
