"""The models folder: every stored Rasa model archive is a file <name>.tar.gz in it.

Why the filesystem and not the database: an archive is hundreds of MB of opaque bytes that are only ever written
once and read whole, in order. A file streams in and out with constant memory (a bytea value is read and written
whole by both database drivers), keeps the database small (no TOAST and WAL churn, no bloat for VACUUM, quick
backups of what matters), and the folder is easy to back up or to put on its own volume. The database holds what
is queried: each model's metadata and tags (storage_service/queries/models.py).

A file appears under its final name only complete and synced (written to a hidden temporary file in the same
folder, then hard-linked: atomic, and it never replaces an existing file), so a reader never sees half a model.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import structlog

from storage_service.queries.errors import AlreadyExists, InvalidRequest

log = structlog.get_logger()

ARCHIVE_SUFFIX = ".tar.gz"
CHUNK_BYTES = 1024 * 1024
# ASCII only, no separators: a name is always a plain file name in the folder (no "/", "\\", NUL, look-alikes).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", re.ASCII)
# Temporary files start with a dot, which no model name does, so they never collide with a model's file.
_UPLOAD_PREFIX = ".upload-"
_UPLOAD_SUFFIX = ".part"
# A temporary file untouched for this long belongs to an upload that died with its process.
_ABANDONED_AFTER_S = 24 * 3600


class ModelTooLarge(Exception):
    """The upload is larger than the configured limit."""


class ModelFileLost(Exception):
    """A stored model's file is gone or damaged (deleted or changed by hand)."""


@dataclass(frozen=True)
class ReceivedArchive:
    """Bytes received completely into a temporary file in the models folder, not yet a model."""

    path: Path
    sha256: str
    size_bytes: int


def check_name(name: str) -> str:
    """`name` when it may name a model file, else InvalidRequest."""
    if not _NAME.fullmatch(name) or ".." in name:
        raise InvalidRequest(
            f"model name {name!r} is not allowed: 1 to 200 of A-Z a-z 0-9 . _ - starting with a letter or digit, "
            'without ".."'
        )
    return name


def upload_name(name: str, filename: str) -> str:
    """The name an upload is stored under: `name`, or else `filename` without ".tar.gz"."""
    if filename and not filename.endswith(ARCHIVE_SUFFIX):
        raise InvalidRequest(f"a Rasa model is a {ARCHIVE_SUFFIX} archive, not {filename!r}")
    if not name and not filename:
        raise InvalidRequest("the upload header needs a name or a filename")
    return check_name(name or filename.removesuffix(ARCHIVE_SUFFIX))


class ModelStore:
    """The models folder (created if missing) and the largest archive it accepts."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        folder.mkdir(parents=True, exist_ok=True)
        self._remove_abandoned_uploads()

    def path_of(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}{ARCHIVE_SUFFIX}"

    @contextmanager
    def receive(self, chunks: Iterable[bytes]) -> Iterator[ReceivedArchive]:
        """Write `chunks` to a temporary file in the folder, hashing and counting them; the file is removed on exit.

        ModelTooLarge as soon as the bytes exceed the limit. The file is synced to disk before it is yielded.
        """
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=_UPLOAD_PREFIX, suffix=_UPLOAD_SUFFIX)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(descriptor, "wb") as file:
                for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ModelTooLarge(
                            f"the model is larger than the {self.max_bytes} bytes allowed (CONVERSELY_MAX_MODEL_BYTES)"
                        )
                    digest.update(chunk)
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            yield ReceivedArchive(Path(temporary), digest.hexdigest(), size)
        finally:
            Path(temporary).unlink(missing_ok=True)

    def publish(self, received: ReceivedArchive, name: str) -> None:
        """Give the received file its final name; AlreadyExists (nothing changed) when that file exists."""
        final = self.path_of(name)
        try:
            os.link(received.path, final)
        except FileExistsError:
            raise AlreadyExists(
                f"{final.name} is already in the models folder without being a stored model (left by an interrupted "
                "upload or delete?); remove the file to use this name"
            ) from None
        self._sync_folder()

    def open(self, name: str, size_bytes: int) -> BinaryIO:
        """The model's file opened for reading; ModelFileLost when it is gone or not `size_bytes` long."""
        path = self.path_of(name)
        try:
            file = path.open("rb")
        except FileNotFoundError:
            raise ModelFileLost(f"the file of model {name!r} is missing from the models folder ({path})") from None
        actual = os.fstat(file.fileno()).st_size
        if actual != size_bytes:
            file.close()
            raise ModelFileLost(
                f"the file of model {name!r} ({path}) has {actual} bytes instead of {size_bytes}: it was changed"
            )
        return file

    def delete(self, name: str) -> None:
        """Remove the model's file if it is there."""
        self.path_of(name).unlink(missing_ok=True)
        self._sync_folder()

    def _sync_folder(self) -> None:
        # A new or removed name is durable only once the folder itself is synced.
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def _remove_abandoned_uploads(self) -> None:
        cutoff = time.time() - _ABANDONED_AFTER_S
        for path in self.folder.glob(f"{_UPLOAD_PREFIX}*{_UPLOAD_SUFFIX}"):
            with suppress(FileNotFoundError):  # another storage process removed it first
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    log.info("abandoned_upload_removed", path=str(path))


def chunks_of(file: BinaryIO) -> Iterator[bytes]:
    """The rest of `file`, CHUNK_BYTES at a time."""
    while chunk := file.read(CHUNK_BYTES):
        yield chunk
