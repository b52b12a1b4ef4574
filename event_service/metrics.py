"""What event_service consumed, stored and rejected: shared by its sources, its gRPC status and /metrics."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

BATCH_SIZE_BUCKETS = (1, 10, 50, 100, 250, 500, 1000, 2500, 5000)


@dataclass
class IngestMetrics:
    sources: list[str] = field(default_factory=list)
    consumed: int = 0
    stored: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    last_error: str = ""
    queue_depth: int = 0
    batches: int = 0
    last_batch_size: int = 0
    _batch_size_counts: list[int] = field(default_factory=lambda: [0] * len(BATCH_SIZE_BUCKETS))
    _batch_size_sum: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record_consumed(self, count: int) -> None:
        with self._lock:
            self.consumed += count

    def record_stored(self, stored: int, duplicates: int) -> None:
        with self._lock:
            self.stored += stored
            self.duplicates += duplicates

    def record_dead_letter(self, reason: str) -> None:
        with self._lock:
            self.dead_lettered += 1
            self.last_error = reason

    def record_batch(self, size: int) -> None:
        with self._lock:
            self.batches += 1
            self.last_batch_size = size
            self._batch_size_sum += size
            for index, bound in enumerate(BATCH_SIZE_BUCKETS):
                if size <= bound:
                    self._batch_size_counts[index] += 1

    def set_queue_depth(self, depth: int) -> None:
        self.queue_depth = depth

    def record_error(self, error: str) -> None:
        with self._lock:
            self.last_error = error

    def prometheus_text(self) -> bytes:
        """The Prometheus text exposition of these counters."""
        registry = CollectorRegistry(auto_describe=True)
        registry.register(_Exposition(self))
        return generate_latest(registry)


class _Exposition(Collector):
    def __init__(self, metrics: IngestMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily | HistogramMetricFamily]:
        m = self._metrics
        with m._lock:
            for name, value, help in (
                ("consumed", m.consumed, "Events taken from every source."),
                ("stored", m.stored, "Events newly stored."),
                ("duplicates", m.duplicates, "Events skipped because they were stored before."),
                ("dead_lettered", m.dead_lettered, "Messages that can never be stored, set aside with the reason."),
            ):
                yield CounterMetricFamily(f"conversely_events_{name}", help, value=value)
            yield GaugeMetricFamily(
                "conversely_events_queue_depth", "Messages ready in the RabbitMQ queue.", value=m.queue_depth
            )
            cumulative = [
                (str(bound), count) for bound, count in zip(BATCH_SIZE_BUCKETS, m._batch_size_counts, strict=True)
            ]
            yield HistogramMetricFamily(
                "conversely_events_batch_size",
                "Events per batch handed to storage.",
                buckets=[*cumulative, ("+Inf", m.batches)],
                sum_value=m._batch_size_sum,
            )
