"""Is a file a Rasa model archive, and what does its metadata.json say: read as a stream, never extracted."""

from __future__ import annotations

import gzip
import json
import tarfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Self

from storage_service.queries.errors import InvalidRequest

METADATA_FILE = "metadata.json"
# Rasa's metadata.json holds the domain and the training schema: kilobytes to a few MB.
MAX_METADATA_BYTES = 8 * 1024 * 1024
# A Rasa model has tens to hundreds of files; tarfile keeps one small object per member while streaming.
MAX_MEMBERS = 10_000
# Extended headers (long names, pax records) are read whole into memory: a few KB is plenty.
MAX_EXTENDED_HEADER_BYTES = 1024 * 1024
_EXTENDED_HEADERS = {tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE, tarfile.GNUTYPE_LONGNAME}
_EXTENDED_HEADERS |= {tarfile.GNUTYPE_LONGLINK}
_READ_BYTES = 1024 * 1024


class InvalidArchive(InvalidRequest):
    """The file is not a Rasa model archive (the message says why)."""


@dataclass(frozen=True)
class ModelMetadata:
    """What a Rasa model's metadata.json says about it."""

    rasa_version: str
    trained_at: float
    model_id: str | None
    assistant_id: str | None


def read_metadata(path: Path) -> ModelMetadata:
    """The metadata of the Rasa model archive at `path`; InvalidArchive when it is not one.

    The whole archive is read once, in constant memory: it must be a complete gzip stream (its checksum is verified)
    holding a tar archive with metadata.json at its root and no member outside the archive.
    """
    try:
        with path.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            metadata = _metadata_in_tar(unzipped)
            # tarfile stops at the end-of-archive marker and gzip checks its CRC only at the end of the stream.
            while unzipped.read(_READ_BYTES):
                pass
    except gzip.BadGzipFile as error:
        if str(error).startswith("Not a gzipped file"):
            raise InvalidArchive("not a gzip file") from None
        raise InvalidArchive(f"corrupt gzip data: {error}") from None
    except EOFError:
        raise InvalidArchive("the archive is truncated: the gzip stream ends early") from None
    except zlib.error as error:
        raise InvalidArchive(f"corrupt gzip data: {error}") from None
    except tarfile.TarError as error:
        raise InvalidArchive(f"not a tar archive: {error}") from None
    return _parsed_metadata(metadata)


class _BoundedTarInfo(tarfile.TarInfo):
    @classmethod
    def frombuf(cls, buf: bytes | bytearray, encoding: str, errors: str) -> Self:
        info = super().frombuf(buf, encoding, errors)
        if info.type in _EXTENDED_HEADERS and info.size > MAX_EXTENDED_HEADER_BYTES:
            raise InvalidArchive(f"a tar extended header of {info.size} bytes is too large")
        return info


def _metadata_in_tar(unzipped: gzip.GzipFile) -> bytes:
    metadata: bytes | None = None
    with tarfile.open(fileobj=unzipped, mode="r|", tarinfo=_BoundedTarInfo) as archive:
        for count, member in enumerate(archive, start=1):
            if count > MAX_MEMBERS:
                raise InvalidArchive(f"more than {MAX_MEMBERS} files: not a Rasa model")
            path = _member_path(member)
            if path != PurePosixPath(METADATA_FILE):
                continue
            if metadata is not None:
                raise InvalidArchive(f"{METADATA_FILE} is in the archive twice")
            metadata = _member_bytes(archive, member)
    if metadata is None:
        raise InvalidArchive(f"no {METADATA_FILE} at the root of the archive: not a Rasa model")
    return metadata


def _member_path(member: tarfile.TarInfo) -> PurePosixPath:
    # Conversely never extracts a model (Rasa does, from its own copy), but a member that would land outside the
    # archive's folder is refused anyway: such an archive is not a Rasa model and could harm whoever unpacks it.
    # Rasa 3 writes its root folder as "/" (tarfile reads it as ""), so that one entry is allowed.
    if member.isdir() and member.name in ("", "/", "."):
        return PurePosixPath(".")
    for name in (member.name, member.linkname if member.issym() or member.islnk() else ""):
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name:
            raise InvalidArchive(f"the archive has a member outside it: {name!r}")
    return PurePosixPath(member.name)


def _member_bytes(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    if not member.isfile():
        raise InvalidArchive(f"{METADATA_FILE} is not a regular file")
    if member.size > MAX_METADATA_BYTES:
        raise InvalidArchive(f"{METADATA_FILE} is larger than {MAX_METADATA_BYTES} bytes")
    content = archive.extractfile(member)
    assert content is not None  # a regular file always has content
    return content.read()


def _parsed_metadata(content: bytes) -> ModelMetadata:
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as error:  # ValueError covers bad UTF-8 too
        raise InvalidArchive(f"{METADATA_FILE} is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise InvalidArchive(f"{METADATA_FILE} is not a JSON object")
    version = document.get("rasa_open_source_version")
    if not isinstance(version, str) or not version:
        raise InvalidArchive(f"{METADATA_FILE} has no rasa_open_source_version string")
    return ModelMetadata(
        rasa_version=version,
        trained_at=_unix_seconds(document.get("trained_at")),
        model_id=_optional_string(document, "model_id"),
        assistant_id=_optional_string(document, "assistant_id"),
    )


def _unix_seconds(value: Any) -> float:
    if not isinstance(value, str):
        raise InvalidArchive(f"{METADATA_FILE} has no trained_at string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidArchive(f"{METADATA_FILE}'s trained_at is not an ISO-8601 time: {value!r}") from None
    if moment.tzinfo is None:  # Rasa writes datetime.utcnow().isoformat(): UTC without an offset
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _optional_string(document: dict[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InvalidArchive(f"{METADATA_FILE}'s {key} is not a string")
