"""An in-process storage_service gRPC server on a test database, for tests of the storage RPCs."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent import futures
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage_service.cache import InProcessCache, QueryCache
from storage_service.server import add_servicers
from storage_service.services.base import Database

TEST_MAX_MODEL_BYTES = 200_000_000


@contextmanager
def storage_server_address(
    sessions: sessionmaker[Session],
    cache: QueryCache | None = None,
    models_dir: Path | None = None,
    max_model_bytes: int = TEST_MAX_MODEL_BYTES,
    ready: threading.Event | None = None,
) -> Iterator[str]:
    """Serve every storage RPC on `sessions` (migrations done) on a free loopback port; yield its host:port.

    Model archives go to `models_dir` (default: a temporary folder, removed afterwards). With `ready` given, the
    server answers UNAVAILABLE until it is set, as a real storage_service does until migrations complete.
    """
    with ExitStack() as cleanup:
        if models_dir is None:
            models_dir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="conversely-models-")))
        if ready is None:
            ready = threading.Event()
            ready.set()
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        cache = cache if cache is not None else InProcessCache()
        add_servicers(server, Database(sessions, ready, cache, models_dir, max_model_bytes))
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        cleanup.callback(server.stop, grace=None)
        yield f"127.0.0.1:{port}"


@contextmanager
def storage_server(
    sessions: sessionmaker[Session],
    cache: QueryCache | None = None,
    models_dir: Path | None = None,
    max_model_bytes: int = TEST_MAX_MODEL_BYTES,
) -> Iterator[grpc.Channel]:
    """The same server, as a channel to it."""
    with (
        storage_server_address(sessions, cache, models_dir, max_model_bytes) as address,
        grpc.insecure_channel(address) as channel,
    ):
        yield channel


def rejected(call: Callable[..., Any], request: Any, code: grpc.StatusCode = grpc.StatusCode.INVALID_ARGUMENT) -> str:
    """Call the RPC, check it fails with `code`; the status details."""
    with pytest.raises(grpc.RpcError) as raised:
        call(request)
    assert raised.value.code() == code, raised.value.details()
    return str(raised.value.details())
