"""ModelService over real gRPC on real SQLite and PostgreSQL, archives in a real models folder.

Every refusal is checked to leave nothing behind: no file in the models folder (not even a temporary one) and no row.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from conversely.storage.v1 import models_pb2, models_pb2_grpc
from storage_service.model_store import CHUNK_BYTES
from storage_service.models import ModelTag, StoredModel
from tests.conftest import FIXTURES
from tests.storage_server import storage_server

FIXTURE_MODEL = FIXTURES / "model-capture.tar.gz"
MAX_BYTES = 1_000_000
Stub = models_pb2_grpc.ModelServiceStub


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def models(sessions: sessionmaker[Session], models_dir: Path) -> Iterator[Stub]:
    with storage_server(sessions, models_dir=models_dir, max_model_bytes=MAX_BYTES) as channel:
        yield Stub(channel)


def upload_requests(data: bytes, name: str = "", filename: str = "", chunk: int = 1000) -> Iterator[Any]:
    yield models_pb2.UploadModelRequest(header=models_pb2.UploadModelHeader(name=name, filename=filename))
    for start in range(0, len(data), chunk):
        yield models_pb2.UploadModelRequest(chunk=data[start : start + chunk])


def upload(models: Stub, data: bytes, name: str = "", filename: str = "", chunk: int = 1000) -> models_pb2.Model:
    return models.UploadModel(upload_requests(data, name, filename, chunk)).model


def download(models: Stub, **key: str) -> tuple[models_pb2.Model, bytes, list[int]]:
    """The first message's model, the bytes, and every message's chunk size."""
    responses = list(models.DownloadModel(models_pb2.DownloadModelRequest(**key)))
    assert all(not response.HasField("model") for response in responses[1:])
    return responses[0].model, b"".join(r.chunk for r in responses), [len(r.chunk) for r in responses]


def refusal(call: Callable[..., object], *args: Any, **kwargs: Any) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call(*args, **kwargs)
    return raised.value


def metadata(**changes: Any) -> bytes:
    document = {
        "trained_at": "2026-11-24T00:04:51.471284",
        "model_id": "0123456789abcdef",
        "assistant_id": "test-bot",
        "rasa_open_source_version": "3.6.21",
        "domain": {"intents": ["greet"]},
    }
    document.update(changes)
    return json.dumps({key: value for key, value in document.items() if value is not ...}).encode()


def archive(members: Iterable[tuple[str, bytes]], pax_headers: dict[str, str] | None = None) -> bytes:
    """A tar.gz of regular files (name, content), in memory."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers=pax_headers) as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def model_archive(extra: bytes = b"", **changes: Any) -> bytes:
    return archive([("metadata.json", metadata(**changes)), ("components/data.bin", extra)])


def with_symlink(target: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        content = metadata()
        info = tarfile.TarInfo("metadata.json")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
        link = tarfile.TarInfo("components/link")
        link.type, link.linkname = tarfile.SYMTYPE, target
        tar.addfile(link)
    return buffer.getvalue()


def files_in(folder: Path) -> list[str]:
    """Every entry of the folder, hidden temporary files included."""
    return sorted(path.name for path in folder.iterdir())


def stored_rows(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return sorted(session.scalars(select(StoredModel.name)))


def assert_nothing_kept(sessions: sessionmaker[Session], models_dir: Path) -> None:
    assert files_in(models_dir) == []
    assert stored_rows(sessions) == []


def test_uploaded_rasa_model_reports_its_metadata_and_hash(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    data = FIXTURE_MODEL.read_bytes()
    before = time.time()
    model = upload(models, data, filename="model-capture.tar.gz", chunk=1000)
    assert (model.name, model.rasa_version, model.model_id, model.assistant_id) == (
        "model-capture",
        "3.6.21",
        "67ec9ee01ad34ca2be24fd146a1b2604",
        "capture-bot",
    )
    assert model.trained_at == datetime(2026, 11, 24, 0, 4, 51, 471284, tzinfo=UTC).timestamp()
    assert (model.hash, model.size_bytes) == (hashlib.sha256(data).hexdigest(), len(data))
    assert before <= model.uploaded_at <= time.time()
    assert list(model.tags) == []
    assert files_in(models_dir) == ["model-capture.tar.gz"]
    assert (models_dir / "model-capture.tar.gz").read_bytes() == data
    assert stored_rows(sessions) == ["model-capture"]
    assert models.GetModel(models_pb2.GetModelRequest(name="model-capture")).model == model


def test_header_name_is_used_over_the_filename(models: Stub, models_dir: Path) -> None:
    model = upload(models, FIXTURE_MODEL.read_bytes(), name="20261124-000451-brave-fox", filename="upload.tar.gz")
    assert model.name == "20261124-000451-brave-fox"
    assert files_in(models_dir) == ["20261124-000451-brave-fox.tar.gz"]


def test_download_returns_the_identical_bytes_after_the_metadata(models: Stub) -> None:
    data = FIXTURE_MODEL.read_bytes()
    uploaded = upload(models, data, name="capture")
    models.TagModel(models_pb2.TagModelRequest(name="capture", tag="production"))
    for key in ({"name": "capture"}, {"tag": "production"}):
        model, downloaded, _ = download(models, **key)
        assert downloaded == data
        assert (model.name, model.hash, list(model.tags)) == ("capture", uploaded.hash, ["production"])


def test_download_streams_chunks_of_one_mebibyte(models: Stub, sessions: sessionmaker[Session], tmp_path: Path) -> None:
    # Bigger than the 1 MB upload limit of `models`, so served by a server with the default limit.
    data = model_archive(extra=os.urandom(2 * CHUNK_BYTES + 12345))
    with storage_server(sessions, models_dir=tmp_path / "big") as channel:
        big = Stub(channel)
        upload(big, data, name="big", chunk=64 * 1024)
        model, downloaded, sizes = download(big, name="big")
    assert downloaded == data
    assert model.size_bytes == len(data)
    assert sizes == [CHUNK_BYTES, CHUNK_BYTES, len(data) - 2 * CHUNK_BYTES]


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "a/../../etc/passwd",
        "/abs",
        "..",
        "a..b",
        "a\\b",
        "x\x00y",
        "a/b",
        ".hidden",
        "-starts-with-dash",
        "x\n",
        "ünïcode",
        "\uff41",  # FULLWIDTH LATIN SMALL LETTER A
        "a" * 201,
    ],
)
def test_name_that_is_not_a_plain_file_name_is_refused(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session], tmp_path: Path, name: str
) -> None:
    for header in ({"name": name}, {"filename": name + ".tar.gz"}):
        error = refusal(upload, models, FIXTURE_MODEL.read_bytes(), **header)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, header
        assert "not allowed" in str(error.details())
    assert_nothing_kept(sessions, models_dir)
    assert list(tmp_path.rglob("*.tar.gz")) == []


def test_longest_allowed_name_is_accepted(models: Stub, models_dir: Path) -> None:
    name = "a" + "b._-" * 49 + "xyz"
    assert len(name) == 200
    assert upload(models, FIXTURE_MODEL.read_bytes(), name=name).name == name
    assert files_in(models_dir) == [name + ".tar.gz"]


def test_filename_that_is_not_tar_gz_is_refused(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    error = refusal(lambda: upload(models, FIXTURE_MODEL.read_bytes(), filename="model.zip"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "a Rasa model is a .tar.gz archive" in str(error.details())
    assert_nothing_kept(sessions, models_dir)


def test_header_without_name_or_filename_is_refused(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    assert refusal(lambda: upload(models, FIXTURE_MODEL.read_bytes())).code() == grpc.StatusCode.INVALID_ARGUMENT
    assert_nothing_kept(sessions, models_dir)


def test_upload_must_start_with_its_header(models: Stub, models_dir: Path, sessions: sessionmaker[Session]) -> None:
    chunk_first = iter([models_pb2.UploadModelRequest(chunk=FIXTURE_MODEL.read_bytes())])
    error = refusal(lambda: models.UploadModel(chunk_first))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "first message" in str(error.details())
    assert refusal(lambda: models.UploadModel(iter([]))).code() == grpc.StatusCode.INVALID_ARGUMENT
    assert_nothing_kept(sessions, models_dir)


def test_second_header_is_refused_and_the_received_bytes_are_removed(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    requests = [
        *upload_requests(FIXTURE_MODEL.read_bytes(), name="twice"),
        models_pb2.UploadModelRequest(header=models_pb2.UploadModelHeader(name="again")),
    ]
    error = refusal(lambda: models.UploadModel(iter(requests)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "every message of an upload must carry a chunk" in str(error.details())
    assert_nothing_kept(sessions, models_dir)


def _truncated() -> bytes:
    return FIXTURE_MODEL.read_bytes()[:3000]


def _corrupted() -> bytes:
    data = bytearray(FIXTURE_MODEL.read_bytes())
    data[5000] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (lambda: b"PK\x03\x04 a zip file", "not a gzip file"),
        (lambda: b"", "not a tar archive"),
        (lambda: gzip.compress(b"plain text, not tar"), "not a tar archive"),
        (_truncated, "truncated"),
        (_corrupted, "corrupt gzip data"),
        (lambda: archive([("domain.yml", b"intents: []")]), "no metadata.json"),
        (lambda: archive([("components/metadata.json", metadata())]), "no metadata.json"),
        (lambda: archive([("metadata.json", b"{not json")]), "metadata.json is not JSON: "),
        (lambda: archive([("metadata.json", b"\xff\xfe")]), "metadata.json is not JSON: "),
        (lambda: archive([("metadata.json", b"[" * 100_000)]), "metadata.json is not JSON: "),
        (lambda: archive([("metadata.json", b"[1, 2]")]), "not a JSON object"),
        (lambda: model_archive(rasa_open_source_version=...), "rasa_open_source_version"),
        (lambda: model_archive(rasa_open_source_version=3.6), "rasa_open_source_version"),
        (lambda: model_archive(trained_at=...), "trained_at"),
        (lambda: model_archive(trained_at="yesterday"), "trained_at is not an ISO-8601 time"),
        (lambda: model_archive(model_id=12), "model_id is not a string"),
        (lambda: archive([("metadata.json", metadata()), ("metadata.json", metadata())]), "twice"),
        (lambda: archive([("metadata.json", metadata()), ("../evil.sh", b"#!")]), "outside"),
        (lambda: archive([("metadata.json", metadata()), ("a/../../evil.sh", b"#!")]), "outside"),
        (lambda: archive([("metadata.json", metadata()), ("/etc/cron.d/evil", b"#!")]), "outside"),
        (lambda: with_symlink("/etc/passwd"), "outside"),
        (lambda: with_symlink("../../etc/passwd"), "outside"),
        (lambda: archive([("metadata.json", metadata())], {"comment": "x" * 2_000_000}), "extended header"),
        (lambda: archive([("metadata.json", metadata())] + [(f"f{i}", b"") for i in range(10_001)]), "files"),
    ],
)
def test_archive_that_is_not_a_rasa_model_is_refused_naming_the_problem(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session], content: Callable[[], bytes], problem: str
) -> None:
    error = refusal(lambda: upload(models, content(), name="bad", chunk=64 * 1024))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert problem in str(error.details())
    assert_nothing_kept(sessions, models_dir)


def test_optional_ids_may_be_missing(models: Stub) -> None:
    data = model_archive(model_id=..., assistant_id=None, trained_at="2026-01-02T03:04:05+01:00")
    model = upload(models, data, name="no-ids")
    assert (model.model_id, model.assistant_id) == ("", "")
    assert model.trained_at == datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC).timestamp()


def test_taken_name_is_already_exists_and_the_stored_file_is_untouched(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    first = upload(models, FIXTURE_MODEL.read_bytes(), name="taken")
    error = refusal(lambda: upload(models, model_archive(), name="taken"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert files_in(models_dir) == ["taken.tar.gz"]
    assert (models_dir / "taken.tar.gz").read_bytes() == FIXTURE_MODEL.read_bytes()
    assert models.GetModel(models_pb2.GetModelRequest(name="taken")).model == first


def test_file_already_in_the_folder_blocks_its_name_and_is_not_overwritten(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    stray = models_dir / "stray.tar.gz"
    stray.write_bytes(b"left by an interrupted delete")
    error = refusal(lambda: upload(models, FIXTURE_MODEL.read_bytes(), name="stray"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "remove the file" in str(error.details())
    assert stray.read_bytes() == b"left by an interrupted delete"
    assert files_in(models_dir) == ["stray.tar.gz"]
    assert stored_rows(sessions) == []


def test_concurrent_uploads_of_one_name_store_exactly_one(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    candidates = [model_archive(extra=bytes([i]) * 1000) for i in range(4)]
    with futures.ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda data: _outcome(lambda: upload(models, data, name="race")), candidates))
    assert sorted(outcome for outcome, _ in outcomes) == ["ALREADY_EXISTS"] * 3 + ["OK"]
    winner = next(model for outcome, model in outcomes if outcome == "OK")
    assert files_in(models_dir) == ["race.tar.gz"]
    assert hashlib.sha256((models_dir / "race.tar.gz").read_bytes()).hexdigest() == winner.hash
    assert stored_rows(sessions) == ["race"]


def _outcome(call: Callable[[], models_pb2.Model]) -> tuple[str, models_pb2.Model | None]:
    try:
        return "OK", call()
    except grpc.RpcError as error:
        return error.code().name, None


def test_upload_over_the_size_limit_is_resource_exhausted_and_leaves_nothing(
    models: Stub, models_dir: Path, sessions: sessionmaker[Session]
) -> None:
    too_big = model_archive(extra=os.urandom(MAX_BYTES))
    error = refusal(lambda: upload(models, too_big, name="huge", chunk=64 * 1024))
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert str(MAX_BYTES) in str(error.details())
    assert_nothing_kept(sessions, models_dir)


def test_cancelled_upload_leaves_nothing(models: Stub, models_dir: Path, sessions: sessionmaker[Session]) -> None:
    release = threading.Event()

    def requests() -> Iterator[Any]:
        yield from upload_requests(FIXTURE_MODEL.read_bytes()[:3000], name="cancelled")
        release.wait(10)

    call = models.UploadModel.future(requests())
    _wait_for(lambda: files_in(models_dir) != [])
    call.cancel()
    release.set()
    _wait_for(lambda: files_in(models_dir) == [])
    assert stored_rows(sessions) == []


def _wait_for(condition: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_models_are_listed_newest_first_with_their_tags(models: Stub) -> None:
    for name in ("first", "second", "third"):
        upload(models, model_archive(model_id=name), name=name)
    models.TagModel(models_pb2.TagModelRequest(name="first", tag="production"))
    models.TagModel(models_pb2.TagModelRequest(name="first", tag="archive"))
    listed = models.ListModels(models_pb2.ListModelsRequest())
    assert [m.name for m in listed.models] == ["third", "second", "first"]
    assert [list(m.tags) for m in listed.models] == [[], [], ["archive", "production"]]
    assert listed.total_count == 3
    page = models.ListModels(models_pb2.ListModelsRequest(limit=1, offset=1))
    assert ([m.name for m in page.models], page.total_count) == (["second"], 3)
    tagged = models.ListModels(models_pb2.ListModelsRequest(tag="production"))
    assert ([m.name for m in tagged.models], tagged.total_count) == (["first"], 1)
    assert models.ListModels(models_pb2.ListModelsRequest(tag="nobody")).total_count == 0


@pytest.mark.parametrize("request_fields", [{"limit": -1}, {"offset": -1}])
def test_negative_paging_is_invalid(models: Stub, request_fields: dict[str, int]) -> None:
    error = refusal(lambda: models.ListModels(models_pb2.ListModelsRequest(**request_fields)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_get_model_by_name_or_tag(models: Stub) -> None:
    upload(models, FIXTURE_MODEL.read_bytes(), name="capture")
    tagged = models.TagModel(models_pb2.TagModelRequest(name="capture", tag="production")).model
    assert models.GetModel(models_pb2.GetModelRequest(tag="production")).model == tagged
    assert models.GetModel(models_pb2.GetModelRequest(name="capture")).model == tagged
    for key, code in [
        ({}, grpc.StatusCode.INVALID_ARGUMENT),
        ({"name": ""}, grpc.StatusCode.INVALID_ARGUMENT),
        ({"name": "unknown"}, grpc.StatusCode.NOT_FOUND),
        ({"tag": "unknown"}, grpc.StatusCode.NOT_FOUND),
    ]:
        request = models_pb2.GetModelRequest(**key)
        assert refusal(models.GetModel, request).code() == code, key
        assert refusal(download, models, **key).code() == code, key


def test_tag_moves_to_the_model_it_is_put_on(models: Stub, sessions: sessionmaker[Session]) -> None:
    upload(models, model_archive(), name="old")
    upload(models, model_archive(), name="new")
    models.TagModel(models_pb2.TagModelRequest(name="old", tag="production"))
    moved = models.TagModel(models_pb2.TagModelRequest(name="new", tag="production")).model
    assert list(moved.tags) == ["production"]
    assert list(models.GetModel(models_pb2.GetModelRequest(name="old")).model.tags) == []
    assert models.GetModel(models_pb2.GetModelRequest(tag="production")).model.name == "new"
    again = models.TagModel(models_pb2.TagModelRequest(name="new", tag="production")).model
    assert list(again.tags) == ["production"]
    with sessions() as session:
        assert session.execute(select(ModelTag.tag, ModelTag.model_name)).all() == [("production", "new")]


@pytest.mark.parametrize("tag", ["", "two words", "../x", "-x", "a/b", "t" * 101, "ünï"])
def test_tag_that_is_not_allowed_is_invalid(models: Stub, tag: str) -> None:
    upload(models, model_archive(), name="m")
    error = refusal(lambda: models.TagModel(models_pb2.TagModelRequest(name="m", tag=tag)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert list(models.GetModel(models_pb2.GetModelRequest(name="m")).model.tags) == []


def test_tagging_an_unknown_model_is_not_found(models: Stub) -> None:
    error = refusal(lambda: models.TagModel(models_pb2.TagModelRequest(name="unknown", tag="production")))
    assert error.code() == grpc.StatusCode.NOT_FOUND


def test_untag_takes_the_tag_and_is_not_found_when_the_model_lacks_it(models: Stub) -> None:
    upload(models, model_archive(), name="a")
    upload(models, model_archive(), name="b")
    models.TagModel(models_pb2.TagModelRequest(name="a", tag="production"))
    missing = refusal(lambda: models.UntagModel(models_pb2.UntagModelRequest(name="b", tag="production")))
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    models.UntagModel(models_pb2.UntagModelRequest(name="a", tag="production"))
    gone = refusal(lambda: models.GetModel(models_pb2.GetModelRequest(tag="production")))
    assert gone.code() == grpc.StatusCode.NOT_FOUND
    again = refusal(lambda: models.UntagModel(models_pb2.UntagModelRequest(name="a", tag="production")))
    assert again.code() == grpc.StatusCode.NOT_FOUND


def test_delete_removes_file_row_and_tags(models: Stub, models_dir: Path, sessions: sessionmaker[Session]) -> None:
    upload(models, FIXTURE_MODEL.read_bytes(), name="doomed")
    upload(models, model_archive(), name="kept")
    models.TagModel(models_pb2.TagModelRequest(name="doomed", tag="production"))
    models.DeleteModel(models_pb2.DeleteModelRequest(name="doomed"))
    assert files_in(models_dir) == ["kept.tar.gz"]
    assert stored_rows(sessions) == ["kept"]
    with sessions() as session:
        assert session.scalars(select(ModelTag.tag)).all() == []
    assert refusal(lambda: download(models, name="doomed")).code() == grpc.StatusCode.NOT_FOUND
    unknown = refusal(lambda: models.DeleteModel(models_pb2.DeleteModelRequest(name="doomed")))
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
    assert upload(models, model_archive(), name="doomed").name == "doomed"


def test_model_file_deleted_by_hand_is_data_loss(models: Stub, models_dir: Path) -> None:
    upload(models, FIXTURE_MODEL.read_bytes(), name="lost")
    (models_dir / "lost.tar.gz").unlink()
    error = refusal(lambda: download(models, name="lost"))
    assert error.code() == grpc.StatusCode.DATA_LOSS
    assert "missing" in str(error.details())
    assert models.GetModel(models_pb2.GetModelRequest(name="lost")).model.name == "lost"


def test_model_file_changed_by_hand_is_data_loss(models: Stub, models_dir: Path) -> None:
    upload(models, FIXTURE_MODEL.read_bytes(), name="changed")
    (models_dir / "changed.tar.gz").write_bytes(b"truncated")
    error = refusal(lambda: download(models, name="changed"))
    assert error.code() == grpc.StatusCode.DATA_LOSS
    assert "was changed" in str(error.details())


def test_abandoned_temporary_files_are_removed_when_storage_starts(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    old, recent = folder / ".upload-old.part", folder / ".upload-recent.part"
    old.write_bytes(b"x")
    recent.write_bytes(b"y")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    with storage_server(sqlite_sessions, models_dir=folder):
        assert files_in(folder) == [".upload-recent.part"]


class RandomBytes:
    """A file-like source of `size` random bytes, made as they are read."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        self.left -= size
        return os.urandom(size)


def write_big_archive(path: Path, random_bytes: int) -> None:
    with tarfile.open(path, mode="w:gz", compresslevel=1) as tar:
        content = metadata()
        info = tarfile.TarInfo("metadata.json")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
        big = tarfile.TarInfo("components/weights.bin")
        big.size = random_bytes
        tar.addfile(big, RandomBytes(random_bytes))  # type: ignore[arg-type]


def file_requests(path: Path, name: str) -> Iterator[Any]:
    yield models_pb2.UploadModelRequest(header=models_pb2.UploadModelHeader(name=name))
    with path.open("rb") as file:
        while chunk := file.read(256 * 1024):
            yield models_pb2.UploadModelRequest(chunk=chunk)


def test_fifty_megabyte_model_goes_in_and_out_in_constant_memory(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    source = tmp_path / "big.tar.gz"
    write_big_archive(source, 50 * 1000 * 1000)
    expected = hashlib.sha256()
    with source.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            expected.update(chunk)
    with storage_server(sqlite_sessions, models_dir=tmp_path / "models") as channel:
        models = Stub(channel)
        tracemalloc.start()
        try:
            uploaded = models.UploadModel(file_requests(source, "big")).model
            downloaded = hashlib.sha256()
            for response in models.DownloadModel(models_pb2.DownloadModelRequest(name="big")):
                downloaded.update(response.chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert uploaded.size_bytes == source.stat().st_size > 50 * 1000 * 1000
    assert uploaded.hash == downloaded.hexdigest() == expected.hexdigest()
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MiB"
