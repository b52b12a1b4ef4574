"""Bootstrap shared by every gRPC service: health, reflection, and a graceful stop on SIGTERM."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from concurrent import futures

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

log = structlog.get_logger()

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
_CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
]


class GrpcService:
    """A gRPC server with the standard health service and server reflection.

    Health starts NOT_SERVING; the service calls `set_serving()` once it can do its job.
    """

    def __init__(self, bind_address: str, service_names: Iterable[str], max_workers: int = 16) -> None:
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers), options=_CHANNEL_OPTIONS)
        self._service_names = list(service_names)
        self._health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self.server)
        reflection.enable_server_reflection(
            [*self._service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server
        )
        self.port = self.server.add_insecure_port(bind_address)
        if self.port == 0:
            raise OSError(f"cannot listen on {bind_address}")
        self._set_all(health_pb2.HealthCheckResponse.NOT_SERVING)

    def set_serving(self) -> None:
        self._set_all(health_pb2.HealthCheckResponse.SERVING)

    def _set_all(self, status: int) -> None:
        for name in ["", *self._service_names]:
            self._health.set(name, status)

    def run(self, grace_s: float, on_stop: Callable[[], None] | None = None) -> None:
        """Serve until SIGTERM or SIGINT, then refuse new calls and let in-flight ones finish within `grace_s`."""
        stopping = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.set())
        self.server.start()
        log.info("grpc_serving", port=self.port)
        stopping.wait()
        log.info("stopping", grace_s=grace_s)
        self._health.enter_graceful_shutdown()
        if on_stop is not None:
            on_stop()
        self.server.stop(grace_s).wait()
        log.info("stopped")


def bind_address(host: str, address: str) -> str:
    """The address a server listens on: the configured bind host with the port of its public address."""
    return f"{host}:{address.rsplit(':', 1)[1]}"


def channel(address: str) -> grpc.Channel:
    return grpc.insecure_channel(address, options=_CHANNEL_OPTIONS)


# The gateway relays streams (model downloads) to HTTP clients from one event loop. With BDP probing, gRPC grows the
# flow-control window to many megabytes while a busy loop is not reading, and buffers that much per stream; the
# fixed 64 KiB window keeps what is buffered small at no measurable cost on loopback (bench/models.py).
_AIO_CHANNEL_OPTIONS = [*_CHANNEL_OPTIONS, ("grpc.http2.bdp_probe", 0)]


def aio_channel(address: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(address, options=_AIO_CHANNEL_OPTIONS)


def is_serving(grpc_channel: grpc.Channel, service: str = "", timeout_s: float = 2.0) -> bool:
    try:
        response = health_pb2_grpc.HealthStub(grpc_channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=timeout_s
        )
    except grpc.RpcError:
        return False
    return response.status == health_pb2.HealthCheckResponse.SERVING


def wait_until(ready: Callable[[], bool], what: str, stop: threading.Event, max_delay_s: float = 5.0) -> bool:
    """Call `ready` with exponential backoff until it is true (returns True) or `stop` is set (False)."""
    delay = 0.1
    attempts = 0
    while not stop.is_set():
        if ready():
            if attempts:
                log.info("ready", waited_for=what, attempts=attempts + 1)
            return True
        attempts += 1
        if attempts == 1 or attempts % 10 == 0:
            log.info("waiting", waiting_for=what, attempts=attempts, retry_in_s=round(delay, 2))
        stop.wait(delay)
        delay = min(delay * 2, max_delay_s)
    return False
