"""What every event source shares: its dependencies, and a supervised loop that never dies quietly."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod

import structlog

from conversely.settings import Settings
from event_service.metrics import IngestMetrics
from event_service.storage_writer import StorageStopped, StorageWriter

log = structlog.get_logger()

RESTART_MAX_DELAY_S = 10.0


class EventSource(ABC):
    """A source of Rasa events (RabbitMQ, Rasa's SQL broker table) feeding storage."""

    def __init__(
        self, settings: Settings, writer: StorageWriter, metrics: IngestMetrics, stop: threading.Event
    ) -> None:
        self._settings = settings
        self._writer = writer
        self._metrics = metrics
        self._stop = stop

    @property
    @abstractmethod
    def source_name(self) -> str: ...

    @abstractmethod
    def _run_once(self) -> None:
        """Consume until stopped or until the source's connection fails (by raising)."""

    def run(self) -> None:
        """Wait for storage, then run the source, restarting it with backoff after any failure, until stopped.

        A source that died quietly would leave a healthy-looking service that ingests nothing (Rasa X's event
        service did that), so every failure is logged, counted, and followed by a fresh start.
        """
        if not self._writer.wait_until_serving():
            return
        delay = 0.5
        while not self._stop.is_set():
            try:
                self._run_once()
                delay = 0.5
            except StorageStopped:
                return
            except Exception as error:
                self._metrics.record_error(f"{self.source_name}: {error!r}")
                log.warning("source_failed", source=self.source_name, error=repr(error), retry_in_s=delay)
                self._stop.wait(delay)
                delay = min(delay * 2, RESTART_MAX_DELAY_S)
