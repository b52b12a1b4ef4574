"""Rasa model archives for tests and benchmarks, made from the recorded Rasa 3.6.21 model, written as streams."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES

FIXTURE_MODEL = FIXTURES / "model-capture.tar.gz"
METADATA = "metadata.json"
CHUNK_BYTES = 1 << 20


def fixture_metadata() -> dict[str, Any]:
    """The recorded model's metadata.json."""
    with tarfile.open(FIXTURE_MODEL) as archive:
        member = archive.extractfile(METADATA)
        assert member is not None
        return json.load(member)  # type: ignore[no-any-return]


def repack(target: Path, source: Path = FIXTURE_MODEL, **metadata: Any) -> Path:
    """Copy the archive `source` to `target` member by member, with `metadata` written over its metadata.json's
    fields (e.g. another model_id): a different model that Rasa still loads."""
    with tarfile.open(str(source), "r|gz") as reader, tarfile.open(str(target), "w|gz") as writer:
        for member in reader:
            content = reader.extractfile(member) if member.isfile() else None
            if member.name == METADATA and content is not None:
                rewritten = json.dumps({**json.load(content), **metadata}).encode()
                member.size = len(rewritten)
                writer.addfile(member, io.BytesIO(rewritten))
            else:
                writer.addfile(member, content)
    return target


def write_large_model(target: Path, megabytes: int) -> Path:
    """A valid model archive of about `megabytes` MB: a member of random bytes (gzip cannot shrink them), then the
    recorded model's metadata.json last, as Rasa orders it; written in pieces, never whole in memory."""
    metadata = json.dumps(fixture_metadata()).encode()
    size = megabytes * 1_000_000
    # Level 0 (stored): random bytes keep their size at any level, and this one costs no time.
    with gzip.open(target, "wb", compresslevel=0) as compressed, tarfile.open(fileobj=compressed, mode="w|") as writer:
        padding = tarfile.TarInfo("components/train_Padding0/random.bin")
        padding.size = size
        writer.addfile(padding, _RandomReader(size))
        info = tarfile.TarInfo(METADATA)
        info.size = len(metadata)
        writer.addfile(info, io.BytesIO(metadata))
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class _RandomReader(io.RawIOBase):
    """`size` random bytes, read in pieces."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return os.urandom(n)
