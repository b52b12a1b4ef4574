"""Synthetic Rasa traffic shaped like the recorded fixture: same event types in the same mix and shapes."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "rasa-3.6.21" / "broker-messages.jsonl"
TEXTS = ["hello", "book a table for two", "in berlin", "yes please", "no", "what can you do", "bye", "thanks"]


def fixture_events() -> list[dict[str, Any]]:
    return [json.loads(line)["body"] for line in FIXTURE.read_text().splitlines() if line.strip()]


def conversations(total_events: int, senders: int, seed: int = 7) -> Iterator[tuple[str, list[bytes]]]:
    """Yield (sender, event bodies) until `total_events`: 10-50 events per conversation, fixture's type mix."""
    rng = random.Random(seed)
    templates = fixture_events()
    produced = 0
    number = 0
    while produced < total_events:
        sender = f"bench-{number % senders:06d}-{number // senders}"
        number += 1
        length = min(rng.randint(10, 50), total_events - produced)
        start = rng.randrange(len(templates))
        clock = 1_800_000_000.0 + number * 60 + rng.random()
        bodies = []
        for offset in range(length):
            body = dict(templates[(start + offset) % len(templates)])
            body["sender_id"] = sender
            clock += rng.uniform(0.001, 2.0)
            body["timestamp"] = clock
            if body["event"] == "user":
                body["text"] = f"{rng.choice(TEXTS)} {rng.randrange(1000)}"
            bodies.append(json.dumps(body).encode())
        produced += length
        yield sender, bodies
