"""Model transfer benchmark: a large model uploaded, downloaded and pulled through the real gateway and storage.

    .venv/bin/python -m bench.models --megabytes 200

Starts real migration, storage and gateway processes (SQLite, models in a temporary folder), writes a valid model
archive of the given size (random bytes, so gzip cannot shrink it, and the recorded model's metadata.json), then
measures, one after the other: the upload (`POST /api/projects/default/models`, multipart, streamed from the file),
the download (`GET …/models/{model}`, streamed to a file) and the model server's pull (`GET …/models/tags/production
?token=`, as Rasa pulls). For each it prints MB/s, the ratio to copying the same bytes file to file in this process
(the baseline, measured in the same run), and how far the gateway's and storage's peak RSS (VmHWM, reset before
each transfer) rose above their RSS before it: the services stream, so that growth does not depend on the size.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.ingest import rss_mib
from tests.model_archives import sha256_of, write_large_model
from tests.stack import Stack, stack_environment

MODELS = "/api/projects/default/models"
SERVICES = ("gateway", "storage")
RASA_TOKEN = "bench-rasa-token"
CHUNK_BYTES = 1 << 20
TIMEOUT_S = 600
WARM_UP_MEGABYTES = 32


@dataclass(frozen=True)
class Transfer:
    """One transfer of the archive: how long it took, and each service's peak RSS and its rise during it (MiB)."""

    seconds: float
    peak_mib: dict[str, float]
    growth_mib: dict[str, float]
    sha256: str


@dataclass(frozen=True)
class Figures:
    size_bytes: int
    sha256: str
    baseline_seconds: float
    upload: Transfer
    download: Transfer
    pull: Transfer


def start_stack(work_dir: Path, extra: dict[str, str] | None = None) -> Stack:
    """Migration, storage and gateway processes on SQLite in `work_dir`, serving, with the Rasa token RASA_TOKEN."""
    env = stack_environment(work_dir, {"CONVERSELY_RASA_TOKEN": RASA_TOKEN, **(extra or {})})
    stack = Stack(env, work_dir).start("migrate", "storage", "gateway")
    try:
        stack.wait_until_serving("migrate", "storage", "gateway")
    except BaseException:
        stack.stop()
        raise
    return stack


def measure(stack: Stack, archive: Path, work_dir: Path) -> Figures:
    """Upload `archive`, download it, tag it production and pull it with the Rasa token; the figures of each."""
    api = stack.api()
    pids = {name: stack.processes[name].process.pid for name in SERVICES}
    with httpx.Client(base_url=stack.gateway_url, headers=api.headers, timeout=TIMEOUT_S) as client:
        _warm_up(client, write_large_model(work_dir / "warm-up.tar.gz", WARM_UP_MEGABYTES))
        name = archive.name.removesuffix(".tar.gz")
        upload = _measured(pids, lambda: _upload(client, archive))
        download = _measured(pids, lambda: _download(client, f"{MODELS}/{name}", work_dir / "downloaded.tar.gz"))
        tagged = client.put(f"{MODELS}/{name}/tags/production")
        assert tagged.status_code == 204, tagged.text
    with httpx.Client(base_url=stack.gateway_url, timeout=TIMEOUT_S) as rasa:  # no user: only the token
        pulled = work_dir / "pulled.tar.gz"
        pull = _measured(pids, lambda: _download(rasa, f"{MODELS}/tags/production?token={RASA_TOKEN}", pulled))
    return Figures(
        size_bytes=archive.stat().st_size,
        sha256=sha256_of(archive),
        baseline_seconds=_copy_seconds(archive, work_dir / "copied.tar.gz"),
        upload=upload,
        download=download,
        pull=pull,
    )


def _warm_up(client: httpx.Client, archive: Path) -> None:
    """A smaller model through every path first, so that what is set up once is not counted as growth: modules
    loaded on first use, and the gRPC connection's flow-control window, which grows to its size over the first
    megabytes that pass (gRPC's bandwidth-delay probing)."""
    _upload(client, archive)
    assert client.put(f"{MODELS}/warm-up/tags/production").status_code == 204
    for path in (f"{MODELS}/warm-up", f"{MODELS}/tags/production?token={RASA_TOKEN}"):
        with client.stream("GET", path) as response:
            assert response.status_code == 200
            for _ in response.iter_raw(CHUNK_BYTES):
                pass
    assert client.delete(f"{MODELS}/warm-up").status_code == 204
    archive.unlink()


def _measured(pids: dict[str, int], transfer: Callable[[], str]) -> Transfer:
    for pid in pids.values():
        reset_peak_rss(pid)
    before = {name: rss_mib(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    sha256 = transfer()
    seconds = time.perf_counter() - started
    peak = {name: rss_mib(pid, "VmHWM") for name, pid in pids.items()}
    return Transfer(seconds, peak, {name: peak[name] - before[name] for name in pids}, sha256)


def reset_peak_rss(pid: int) -> None:
    """Make VmHWM the current RSS (Linux ≥ 4.0); without it VmHWM is the process's peak since it started."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def _upload(client: httpx.Client, archive: Path) -> str:
    with archive.open("rb") as file:  # httpx streams a file object's multipart body in pieces
        response = client.post(MODELS, files={"model": (archive.name, file, "application/gzip")})
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return str(item["hash"])


def _download(client: httpx.Client, path: str, target: Path) -> str:
    digest = hashlib.sha256()
    with client.stream("GET", path) as response, target.open("wb") as file:
        assert response.status_code == 200, response.read()
        for chunk in response.iter_raw(CHUNK_BYTES):
            digest.update(chunk)
            file.write(chunk)
    return digest.hexdigest()


def _copy_seconds(source: Path, target: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as reading, target.open("wb") as writing:
        shutil.copyfileobj(reading, writing, CHUNK_BYTES)
    seconds = time.perf_counter() - started
    target.unlink()
    return seconds


def report(figures: Figures) -> None:
    megabytes = figures.size_bytes / 1e6
    baseline = megabytes / figures.baseline_seconds
    print(f"model archive: {megabytes:,.1f} MB")
    print(f"baseline, file-to-file copy in this process: {baseline:,.0f} MB/s")
    for what, transfer in (("upload", figures.upload), ("download", figures.download), ("pull", figures.pull)):
        rate = megabytes / transfer.seconds
        rss = ", ".join(
            f"{name} peak {transfer.peak_mib[name]:.0f} MiB (+{transfer.growth_mib[name]:.1f})" for name in SERVICES
        )
        print(f"{what:9s} {rate:7,.0f} MB/s = {rate / baseline:.2f} x baseline; {rss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        archive = write_large_model(work_dir / f"bench-{args.megabytes}mb.tar.gz", args.megabytes)
        stack = start_stack(work_dir, {"CONVERSELY_LOG_LEVEL": "warning"})
        try:
            figures = measure(stack, archive, work_dir)
        finally:
            stack.stop()
    for transfer in (figures.upload, figures.download, figures.pull):
        assert transfer.sha256 == figures.sha256, "the archive changed on its way"
    report(figures)


if __name__ == "__main__":
    main()
