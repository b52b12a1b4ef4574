"""Running the double (or any small ASGI app a test needs): uvicorn on a free loopback port in a background thread."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from tests.rasa_double.app import DoubleState, create_app
from tests.rasa_double.behaviour import Callback, RasaBehaviour, RecordedRequest, Recordings
from tests.rasa_double.callbacks import BackgroundTasks
from tests.rasa_double.chat_auth import RasaChatAuth
from tests.rasa_double.conversations import Conversations
from tests.rasa_double.events import Event, Sink
from tests.rasa_double.model_jobs import TrainingJobs
from tests.stack import free_port

START_TIMEOUT_S = 10.0


class BackgroundServer:
    """An ASGI app served by uvicorn on a free loopback port, in a daemon thread, between start() and stop().

    Its startup (lifespan) has run when start() returns, so a gateway app served this way is ready; tests use it
    for whatever Rasa must reach over HTTP (a gateway's `/api/version`, a callback URL).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="auto", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> BackgroundServer:
        if self._thread is not None:
            raise RuntimeError("this server has already been started")
        self._thread = threading.Thread(target=self._server.run, name=f"uvicorn-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.should_exit = True
            self._thread.join(START_TIMEOUT_S)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class RasaDouble:
    """A Rasa 3.6.21 server for tests: `with RasaDouble(gateway_url, sink) as rasa:` serves at `rasa.url`.

    `gateway_url` is where the `rasa` channel fetches the public key of chat tokens (`{gateway_url}/api/version`);
    `sink` receives the events Rasa's event broker would publish (None: the events are only kept in memory);
    `auth_token` is Rasa's `--auth-token` ("" : none, every caller is let in).
    """

    def __init__(
        self,
        gateway_url: str = "",
        sink: Sink | None = None,
        auth_token: str = "",
        behaviour: RasaBehaviour | None = None,
    ) -> None:
        recordings = Recordings()
        self._state = DoubleState(
            behaviour=behaviour or RasaBehaviour(),
            recordings=recordings,
            conversations=Conversations(sink, recordings),
            chat_auth=RasaChatAuth(gateway_url),
            auth_token=auth_token,
            tasks=BackgroundTasks(),
            training_jobs=TrainingJobs(),
        )
        self._server = BackgroundServer(create_app(self._state))

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def behaviour(self) -> RasaBehaviour:
        return self._state.behaviour

    @behaviour.setter
    def behaviour(self, behaviour: RasaBehaviour) -> None:
        self._state.behaviour = behaviour

    @property
    def recordings(self) -> Recordings:
        return self._state.recordings

    @property
    def train_requests(self) -> list[RecordedRequest]:
        return self._state.recordings.train_requests

    @property
    def evaluate_requests(self) -> list[RecordedRequest]:
        return self._state.recordings.evaluate_requests

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return self._state.recordings.chat_requests

    @property
    def callbacks(self) -> list[Callback]:
        return self._state.recordings.callbacks

    @property
    def publish_errors(self) -> list[str]:
        """What the sink raised (Rasa logs a failing broker and answers anyway)."""
        return self._state.recordings.publish_errors

    @property
    def server_errors(self) -> list[str]:
        """The exceptions answered 500 (Rasa does not catch them either), e.g. a chat token that does not verify."""
        return self._state.recordings.server_errors

    @property
    def public_key_fetches(self) -> int:
        """How often the `rasa` channel fetched the public key from `{gateway_url}/api/version`."""
        return self._state.chat_auth.key_fetches

    def wait_for_callbacks(self, n: int, timeout_s: float = 30) -> list[Callback]:
        return self._state.recordings.wait_for_callbacks(n, timeout_s)

    def events(self, sender_id: str) -> list[Event]:
        """The conversation's tracker events (without `sender_id`), as the double's tracker store holds them."""
        return self._state.conversations.events(sender_id)

    def start(self) -> RasaDouble:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> RasaDouble:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
