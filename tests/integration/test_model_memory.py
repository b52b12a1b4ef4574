"""A 200 MB model goes up, down and out through the model server without the gateway or storage holding it.

Real gateway, storage and migration processes; the archive is written, uploaded and downloaded as streams (the test
process does not hold it either). Each service's peak RSS (VmHWM, reset before each transfer) may rise less than
30 MB above its RSS before the transfer: a fraction of the model's size, so neither holds the model in memory.
"""

from __future__ import annotations

from pathlib import Path

from bench.models import SERVICES, measure, start_stack
from tests.model_archives import write_large_model

MEGABYTES = 200
MAX_GROWTH_MIB = 30


def test_a_200_mb_model_streams_through_gateway_and_storage_in_bounded_memory(tmp_path: Path) -> None:
    archive = write_large_model(tmp_path / "large-model.tar.gz", MEGABYTES)
    stack = start_stack(tmp_path / "stack")
    try:
        figures = measure(stack, archive, tmp_path)
    finally:
        stack.stop()
    assert figures.size_bytes > MEGABYTES * 1_000_000
    for what, transfer in (("upload", figures.upload), ("download", figures.download), ("pull", figures.pull)):
        assert transfer.sha256 == figures.sha256, f"the {what} changed the archive"
        for service in SERVICES:
            assert transfer.growth_mib[service] < MAX_GROWTH_MIB, (what, service, transfer)
