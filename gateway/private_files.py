"""Secrets the gateway keeps in its data folder (signing key, Rasa token): created once, whole, readable by us only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def create_once(path: Path, content: bytes) -> bool:
    """Write `content` to `path` (mode 600) unless the file exists; True when this call created it.

    The content is written whole to a private temporary file, then hard-linked to `path`, which fails if `path`
    exists: gateways starting together all end up reading the one file the first of them created, never a half
    written one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False  # another gateway created it first; use theirs
        return True
    finally:
        temporary.unlink(missing_ok=True)
