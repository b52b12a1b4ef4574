"""An in-process storage_service gRPC server on a test database, for tests of the storage RPCs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager

import grpc
from sqlalchemy.orm import Session, sessionmaker

from storage_service.cache import InProcessCache, QueryCache
from storage_service.server import add_servicers
from storage_service.services.base import Database


@contextmanager
def storage_server_address(sessions: sessionmaker[Session], cache: QueryCache | None = None) -> Iterator[str]:
    """Serve every storage RPC on `sessions` (migrations done) on a free loopback port; yield its host:port."""
    ready = threading.Event()
    ready.set()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    add_servicers(server, Database(sessions, ready, cache if cache is not None else InProcessCache()))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


@contextmanager
def storage_server(sessions: sessionmaker[Session], cache: QueryCache | None = None) -> Iterator[grpc.Channel]:
    """The same server, as a channel to it."""
    with storage_server_address(sessions, cache) as address, grpc.insecure_channel(address) as channel:
        yield channel
