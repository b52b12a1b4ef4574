"""Training data benchmark: a large Rasa project imported, listed, filtered and exported through the real gateway.

    .venv/bin/python -m bench.training_data --examples 50000

Starts real migration, storage and gateway processes (SQLite in a temporary folder), writes a Rasa 3 NLU file of
`--examples` examples over 200 intents (a third with an entity annotation), plus a domain, and measures:

- the import (`POST /api/projects/default/import?mode=replace`, multipart): seconds, examples/s, and how far the
  gateway's and storage's peak RSS rose;
- the baseline, in the same run: the same examples sent one per request (`POST …/training_examples`), as a script
  against Rasa X's API had to, on a sample of `--naive-sample` examples; the ratio is bulk examples/s over naive;
- latency percentiles of `GET …/training_examples` (first page; `q`; `intent`; `entity`; a deep page) and of
  `GET /api/projects/default/intents`, each repeated (cached) and with a new offset every call (uncached; the
  intents list has no paging, so its "uncached" figure is cached too), and the export (`GET …/export`, JSON).
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.api import Timing, timed
from bench.ingest import rss_mib
from bench.models import reset_peak_rss, start_stack

PROJECT = "/api/projects/default"
SERVICES = ("gateway", "storage")
INTENTS = 200
WORDS = [
    "book",
    "table",
    "flight",
    "hotel",
    "weather",
    "city",
    "train",
    "ticket",
    "price",
    "cancel",
    "change",
    "order",
    "pizza",
    "help",
    "account",
]
CITIES = ["berlin", "paris", "lisbon", "oslo", "rome", "madrid", "vienna", "prague"]
TIMEOUT_S = 900


def nlu_yaml(examples: int, seed: int = 5) -> str:
    """A Rasa 3 NLU file with `examples` distinct examples spread over INTENTS intents."""
    rng = random.Random(seed)
    by_intent: dict[str, list[str]] = {f"intent_{number:03d}": [] for number in range(INTENTS)}
    intents = list(by_intent)
    for number in range(examples):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
        text = f"{words} number {number}"
        if number % 3 == 0:
            text += f" in [{rng.choice(CITIES)}](city)"
        by_intent[intents[number % INTENTS]].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def domain_yaml() -> str:
    intents = "\n".join(f"  - intent_{number:03d}" for number in range(INTENTS))
    return f'version: "3.1"\nintents:\n{intents}\nentities:\n  - city\n'


def measured(pids: dict[str, int], work: Callable[[], Any]) -> tuple[float, dict[str, float]]:
    """Seconds `work` took, and how far each service's peak RSS rose above its RSS before it (MiB)."""
    for pid in pids.values():
        reset_peak_rss(pid)
    before = {name: rss_mib(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return seconds, {name: rss_mib(pid, "VmHWM") - before[name] for name, pid in pids.items()}


def import_project(client: httpx.Client, nlu: str) -> None:
    files = [("files", ("data/nlu.yml", nlu, "application/x-yaml")), ("files", ("domain.yml", domain_yaml(), ""))]
    response = client.post(f"{PROJECT}/import", params={"mode": "replace"}, files=files)
    response.raise_for_status()


def naive_import(client: httpx.Client, sample: int) -> None:
    """One example per request, as scripts against Rasa X's API did."""
    for number in range(sample):
        example = {"text": f"naive example number {number}", "intent": f"intent_{number % INTENTS:03d}"}
        client.post(f"{PROJECT}/training_examples", json=example).raise_for_status()


def latencies(client: httpx.Client, examples: int, calls: int) -> list[Timing]:
    """Each query twice: repeated as is (answered from the query cache after the first call), and with a new offset
    every call, so that no answer can come from the cache."""
    listing = f"{PROJECT}/training_examples"
    queries: list[tuple[str, str, dict[str, Any]]] = [
        ("examples, first page", listing, {}),
        ("examples, q=berlin", listing, {"q": "berlin"}),
        ("examples, intent=intent_042", listing, {"intent": "intent_042"}),
        ("examples, entity=city", listing, {"entity": "city"}),
        ("examples, near the end", listing, {"offset": max(0, examples - 40)}),
        ("intents (with counts)", f"{PROJECT}/intents", {}),
    ]
    timings = []
    for label, path, params in queries:
        timings.append(timed(f"{label}, cached", _getter(client, path, _same(params)), calls, budget_s=60))
        timings.append(timed(f"{label}, uncached", _getter(client, path, _moving(params)), calls, budget_s=60))
    return timings


def _same(params: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: params


def _moving(params: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """The params with a page of 20 at a new offset each call."""
    offsets = itertools.count(params.get("offset", 0) + 1)
    return lambda: {**params, "limit": 20, "offset": next(offsets)}


def _getter(client: httpx.Client, path: str, params: Callable[[], dict[str, Any]]) -> Callable[[], httpx.Response]:
    return lambda: client.get(path, params=params()).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=50_000)
    parser.add_argument("--naive-sample", type=int, default=1_000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()

    nlu = nlu_yaml(args.examples)
    with tempfile.TemporaryDirectory(prefix="conversely-bench-") as work:
        stack = start_stack(Path(work))
        try:
            api = stack.api()
            pids = {name: stack.processes[name].process.pid for name in SERVICES}
            with httpx.Client(base_url=stack.gateway_url, headers=api.headers, timeout=TIMEOUT_S) as client:
                naive_seconds, _ = measured(pids, lambda: naive_import(client, args.naive_sample))
                bulk_seconds, bulk_rss = measured(pids, lambda: import_project(client, nlu))
                timings = latencies(client, args.examples, args.calls)
                export_seconds, export_rss = measured(
                    pids, lambda: client.get(f"{PROJECT}/export", headers={"Accept": "application/json"})
                )
        finally:
            stack.stop()

    bulk_rate = args.examples / bulk_seconds
    naive_rate = args.naive_sample / naive_seconds
    print(f"NLU file: {args.examples} examples, {INTENTS} intents, {len(nlu) / 1e6:.1f} MB")
    print(
        f"import (replace, multipart): {bulk_seconds:.2f} s = {bulk_rate:,.0f} examples/s; peak RSS rise "
        + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in bulk_rss.items())
    )
    print(f"baseline, one POST per example ({args.naive_sample}): {naive_rate:,.0f} examples/s")
    print(f"ratio bulk / baseline: {bulk_rate / naive_rate:.1f}x")
    print(
        f"export (JSON): {export_seconds * 1000:.0f} ms; peak RSS rise "
        + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in export_rss.items())
    )
    for timing in timings:
        print(f"{timing.label:46} {timing.line()}")


if __name__ == "__main__":
    main()
