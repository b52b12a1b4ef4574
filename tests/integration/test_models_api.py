"""The models API and the model server Rasa pulls from, through the real gateway app and a real storage server."""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from bench.models import start_stack
from tests.gateway_app import Headers, admin, gateway_client, user_with_role
from tests.model_archives import FIXTURE_MODEL, fixture_metadata, repack
from tests.stack import wait_for

MODELS = "/api/projects/default/models"
NAME = "model-capture"
RASA_TOKEN = "the-rasa-token-of-these-tests"
ARCHIVE = FIXTURE_MODEL.read_bytes()
# Where the traversing names below would land, from storage's temporary models folder or the test's folders.
OUTSIDE = [Path("/x.tar.gz"), Path("/tmp/x.tar.gz"), Path("/x"), Path("/tmp/x")]


@pytest.fixture
def client(sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    with gateway_client(sqlite_sessions, tmp_path / "gateway", {"CONVERSELY_RASA_TOKEN": RASA_TOKEN}) as client:
        yield client


@pytest.fixture
def headers(client: TestClient) -> Headers:
    return admin(client)


def upload(client: TestClient, headers: Headers, content: bytes = ARCHIVE, filename: str = NAME + ".tar.gz") -> Any:
    return client.post(MODELS, files={"model": (filename, content, "application/gzip")}, headers=headers)


def other_model(tmp_path: Path, name: str = "second-model") -> bytes:
    """The fixture model with another model_id: another archive, another hash."""
    return repack(tmp_path / f"{name}.tar.gz", model_id=f"{name}-id").read_bytes()


def listed(client: TestClient, headers: Headers, **params: str) -> list[str]:
    response = client.get(MODELS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["model"] for item in response.json()]


def test_an_uploaded_model_is_listed_and_downloads_byte_for_byte(client: TestClient, headers: Headers) -> None:
    uploaded = upload(client, headers)
    assert uploaded.status_code == 201, uploaded.text
    digest = hashlib.sha256(ARCHIVE).hexdigest()
    item = uploaded.json()
    assert item == {
        "hash": digest,
        "model": NAME,
        "path": NAME + ".tar.gz",
        "project": "default",
        "trained_at": item["trained_at"],
        "version": "3.6.21",
        "model_id": fixture_metadata()["model_id"],
        "tags": [],
        "is_compatible": True,
        "size_bytes": len(ARCHIVE),
        "uploaded_at": item["uploaded_at"],
    }
    assert item["trained_at"] > 1.7e9  # 2026-11-24, from metadata.json
    listing = client.get(MODELS, headers=headers)
    assert listing.json() == [item]
    assert listing.headers["X-Total-Count"] == "1"

    downloaded = client.get(f"{MODELS}/{NAME}", headers=headers)
    assert downloaded.status_code == 200
    assert downloaded.content == ARCHIVE
    assert downloaded.headers["content-type"] == "application/gzip"
    assert downloaded.headers["content-length"] == str(len(ARCHIVE))
    assert downloaded.headers["etag"] == f'"{digest}"'
    assert downloaded.headers["content-disposition"].startswith(f'attachment; filename="{NAME}.tar.gz"')
    head = client.head(f"{MODELS}/{NAME}", headers=headers)
    assert head.status_code == 200
    assert (head.headers["content-length"], head.headers["etag"]) == (str(len(ARCHIVE)), f'"{digest}"')


def test_an_upload_is_pushed_to_the_subscribers_of_models(client: TestClient, headers: Headers) -> None:
    with client.websocket_connect("/api/ws") as socket:
        socket.send_json({"token": headers["Authorization"].removeprefix("Bearer ")})
        socket.send_json({"subscribe": "models"})
        assert [socket.receive_json()["type"] for _ in range(2)] == ["authenticated", "subscribed"]
        uploaded = upload(client, headers)
        pushed = socket.receive_json()
    assert uploaded.status_code == 201
    assert pushed == {"topic": "models", "type": "model_added", "model": uploaded.json()}


def test_models_are_listed_newest_first_in_pages(client: TestClient, headers: Headers, tmp_path: Path) -> None:
    for name in ("first", "second", "third"):
        assert upload(client, headers, other_model(tmp_path, name), f"{name}.tar.gz").status_code == 201
    assert listed(client, headers) == ["third", "second", "first"]
    page = client.get(MODELS, params={"limit": 1, "offset": 1}, headers=headers)
    assert [item["model"] for item in page.json()] == ["second"]
    assert page.headers["X-Total-Count"] == "3"
    assert client.get(MODELS, params={"limit": 0}, headers=headers).status_code == 400


def test_a_tag_is_on_one_model_at_a_time(client: TestClient, headers: Headers, tmp_path: Path) -> None:
    assert upload(client, headers).status_code == 201
    assert upload(client, headers, other_model(tmp_path), "second-model.tar.gz").status_code == 201
    assert client.put(f"{MODELS}/{NAME}/tags/production", headers=headers).status_code == 204
    assert listed(client, headers, tag="production") == [NAME]
    assert client.put(f"{MODELS}/second-model/tags/production", headers=headers).status_code == 204
    assert listed(client, headers, tag="production") == ["second-model"]
    tags = {item["model"]: item["tags"] for item in client.get(MODELS, headers=headers).json()}
    assert tags == {NAME: [], "second-model": ["production"]}

    assert client.delete(f"{MODELS}/second-model/tags/production", headers=headers).status_code == 204
    assert listed(client, headers, tag="production") == []
    again = client.delete(f"{MODELS}/second-model/tags/production", headers=headers)
    assert again.status_code == 404
    assert client.put(f"{MODELS}/no-such-model/tags/production", headers=headers).status_code == 404


def test_the_model_server_serves_the_tagged_archive_then_304_while_it_is_unchanged(
    client: TestClient, headers: Headers, tmp_path: Path
) -> None:
    server = f"{MODELS}/tags/production"
    untagged = client.get(server, headers=headers)
    assert untagged.status_code == 404
    assert untagged.json()["status"] == "failure"
    assert upload(client, headers).status_code == 201
    assert client.put(f"{MODELS}/{NAME}/tags/production", headers=headers).status_code == 204

    pulled = client.get(server, headers=headers)
    assert pulled.status_code == 200
    assert pulled.content == ARCHIVE
    etag = pulled.headers["etag"]
    assert etag == f'"{hashlib.sha256(ARCHIVE).hexdigest()}"'
    assert pulled.headers["filename"] == NAME + ".tar.gz"  # Rasa saves the pulled model under this name
    for sent_back in (etag, etag.strip('"'), f"W/{etag}", f'"other", {etag}'):
        unchanged = client.get(server, headers={**headers, "If-None-Match": sent_back})
        assert unchanged.status_code == 304, sent_back
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == etag
    assert client.get("/api/models/tags/production", headers={**headers, "If-None-Match": etag}).status_code == 304

    second = other_model(tmp_path)
    assert upload(client, headers, second, "second-model.tar.gz").status_code == 201
    assert client.put(f"{MODELS}/second-model/tags/production", headers=headers).status_code == 204
    promoted = client.get(server, headers={**headers, "If-None-Match": etag})
    assert promoted.status_code == 200
    assert promoted.content == second
    assert promoted.headers["etag"] == f'"{hashlib.sha256(second).hexdigest()}"'
    assert client.get("/api/models/tags/production", headers=headers).content == second
    assert client.get(f"{MODELS}/tags/staging", headers=headers).status_code == 404


def test_the_rasa_token_pulls_and_lists_models_but_changes_nothing(client: TestClient, headers: Headers) -> None:
    assert upload(client, headers).status_code == 201
    assert client.put(f"{MODELS}/{NAME}/tags/production", headers=headers).status_code == 204
    token = {"token": RASA_TOKEN}
    assert client.get(f"{MODELS}/tags/production", params=token).content == ARCHIVE
    assert client.get("/api/models/tags/production", params=token).content == ARCHIVE
    assert client.get(f"{MODELS}/{NAME}", params=token).content == ARCHIVE
    assert [item["model"] for item in client.get(MODELS, params=token).json()] == [NAME]

    for wrong in ("wrong", RASA_TOKEN[:-1], RASA_TOKEN + "x", ""):
        refused = client.get(f"{MODELS}/tags/production", params={"token": wrong})
        assert refused.status_code == 401, wrong
        assert refused.json()["status"] == "failure"
    assert client.get(f"{MODELS}/tags/production").status_code == 401
    # The token only reads: everything else still needs a user with the permission.
    assert client.post(MODELS, params=token, files={"model": ("x.tar.gz", ARCHIVE)}).status_code == 401
    assert client.put(f"{MODELS}/{NAME}/tags/staging", params=token).status_code == 401
    assert client.delete(f"{MODELS}/{NAME}", params=token).status_code == 401
    assert client.get("/api/conversations", params=token).status_code == 401
    assert listed(client, headers) == [NAME]


def test_without_a_configured_rasa_token_a_random_one_is_kept_private_in_the_data_dir(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    token_file = tmp_path / "rasa-token"
    with gateway_client(sqlite_sessions, tmp_path) as client:
        token = token_file.read_text().strip()
        assert len(token) >= 32
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert client.get(MODELS, params={"token": token}).status_code == 200
        assert client.get(MODELS, params={"token": "guess"}).status_code == 401
    with gateway_client(sqlite_sessions, tmp_path) as client:  # a restart keeps it
        assert token_file.read_text().strip() == token
        assert client.get(MODELS, params={"token": token}).status_code == 200


def test_uploads_that_are_not_rasa_models_are_refused_and_nothing_is_kept(
    client: TestClient, headers: Headers, tmp_path: Path
) -> None:
    no_metadata = tmp_path / "no-metadata.tar.gz"
    with tarfile.open(no_metadata, "w:gz") as archive:
        archive.add(__file__, arcname="components/readme.txt")
    refusals: dict[str, Any] = {
        "text named .tar.gz": upload(client, headers, b"just some text\n", "text.tar.gz"),
        "gzip without metadata.json": upload(client, headers, no_metadata.read_bytes(), "no-metadata.tar.gz"),
        "truncated archive": upload(client, headers, ARCHIVE[: len(ARCHIVE) // 2], "cut.tar.gz"),
        "wrong extension": upload(client, headers, ARCHIVE, "model-capture.zip"),
        "empty file": upload(client, headers, b"", "empty.tar.gz"),
        "missing field": client.post(MODELS, files={"file": ("m.tar.gz", ARCHIVE)}, headers=headers),
        "a field, not a file": client.post(MODELS, data={"model": "m.tar.gz"}, headers=headers),
        "json body": client.post(MODELS, json={"model": "m.tar.gz"}, headers=headers),
        "no boundary": client.post(MODELS, content=ARCHIVE, headers={**headers, "Content-Type": "multipart/form-data"}),
    }
    for what, response in refusals.items():
        assert response.status_code == 400, (what, response.text)
        assert response.json()["status"] == "failure", what
    assert listed(client, headers) == []
    assert client.get(f"{MODELS}/text", headers=headers).status_code == 404


def test_a_body_cut_off_before_its_closing_boundary_stores_nothing(client: TestClient, headers: Headers) -> None:
    part = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="model"; filename="cut-off.tar.gz"\r\n'
        b"Content-Type: application/gzip\r\n\r\n"
    )
    response = client.post(
        MODELS, content=part + ARCHIVE, headers={**headers, "Content-Type": "multipart/form-data; boundary=B"}
    )
    assert response.status_code == 400, response.text
    assert "boundary" in response.json()["message"]
    assert listed(client, headers) == []


def test_a_second_model_with_the_same_name_is_a_conflict(client: TestClient, headers: Headers, tmp_path: Path) -> None:
    assert upload(client, headers).status_code == 201
    conflict = upload(client, headers, other_model(tmp_path))
    assert conflict.status_code == 409, conflict.text
    assert client.get(f"{MODELS}/{NAME}", headers=headers).content == ARCHIVE
    assert listed(client, headers) == [NAME]


def test_a_model_over_the_size_limit_is_refused_with_413(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with gateway_client(sqlite_sessions, tmp_path, {"CONVERSELY_MAX_MODEL_BYTES": str(len(ARCHIVE) - 1)}) as client:
        headers = admin(client)
        refused = upload(client, headers)
        assert refused.status_code == 413, refused.text
        assert listed(client, headers) == []


def test_path_traversal_names_neither_reach_nor_write_outside_the_models_folder(
    client: TestClient, headers: Headers, tmp_path: Path
) -> None:
    before = set(tmp_path.rglob("*"))
    existed_outside = [p.exists() for p in OUTSIDE]
    for filename in ("../../x.tar.gz", "..\\..\\x.tar.gz", "/tmp/x.tar.gz", "..tar.gz", ".hidden.tar.gz"):
        response = upload(client, headers, ARCHIVE, filename)
        assert response.status_code == 400, (filename, response.text)
    assert listed(client, headers) == []
    for path in ("..%2F..%2Fetc%2Fpasswd", "..", "%2E%2E", "..%5C..%5Cx", "x%00y"):
        for method in ("GET", "DELETE"):
            answer = client.request(method, f"{MODELS}/{path}", headers=headers)
            assert answer.status_code in {400, 404}, (method, path, answer.text)
        tagged = client.put(f"{MODELS}/{path}/tags/production", headers=headers)
        assert tagged.status_code in {400, 404}, (path, tagged.text)
    written = {p for p in set(tmp_path.rglob("*")) - before if not p.name.endswith((".db", ".db-journal"))}
    assert written == set()
    assert [p.exists() for p in OUTSIDE] == existed_outside


def test_delete_removes_the_model_its_archive_and_its_tags(client: TestClient, headers: Headers) -> None:
    assert upload(client, headers).status_code == 201
    assert client.put(f"{MODELS}/{NAME}/tags/production", headers=headers).status_code == 204
    assert client.delete(f"{MODELS}/{NAME}", headers=headers).status_code == 204
    assert client.get(f"{MODELS}/{NAME}", headers=headers).status_code == 404
    assert client.get(f"{MODELS}/tags/production", headers=headers).status_code == 404
    assert listed(client, headers) == []
    assert client.delete(f"{MODELS}/{NAME}", headers=headers).status_code == 404
    assert upload(client, headers).status_code == 201  # the name is free again


def test_a_tester_sees_and_downloads_models_but_cannot_change_them(client: TestClient, headers: Headers) -> None:
    assert upload(client, headers).status_code == 201
    tester = user_with_role(client, "tester")
    assert listed(client, tester) == [NAME]
    assert client.get(f"{MODELS}/{NAME}", headers=tester).content == ARCHIVE
    assert upload(client, tester, ARCHIVE, "mine.tar.gz").status_code == 403
    assert client.put(f"{MODELS}/{NAME}/tags/production", headers=tester).status_code == 403
    assert client.delete(f"{MODELS}/{NAME}/tags/production", headers=tester).status_code == 403
    assert client.delete(f"{MODELS}/{NAME}", headers=tester).status_code == 403
    guest = user_with_role(client, "guest")
    assert client.get(MODELS, headers=guest).status_code == 403
    assert listed(client, headers) == [NAME]


def test_only_the_default_project_has_models(client: TestClient, headers: Headers) -> None:
    assert client.get("/api/projects/other/models", headers=headers).status_code == 404
    assert (
        client.post("/api/projects/other/models", files={"model": ("m.tar.gz", ARCHIVE)}, headers=headers).status_code
        == 404
    )
    assert client.get("/api/projects/other/models/tags/production", headers=headers).status_code == 404


def test_an_upload_the_client_abandons_leaves_no_model_and_no_file(tmp_path: Path) -> None:
    """Real processes: the client sends 8 MiB of a model, then its connection breaks."""
    stack = start_stack(tmp_path)
    models_dir = Path(stack.env["CONVERSELY_DATA_DIR"]) / "models"
    try:

        def abandoned() -> Iterator[bytes]:
            yield b'--B\r\nContent-Disposition: form-data; name="model"; filename="abandoned.tar.gz"\r\n\r\n'
            yield ARCHIVE
            for _ in range(8):
                yield os.urandom(1 << 20)
            raise ConnectionAbortedError("the client dies")

        multipart = {"Content-Type": "multipart/form-data; boundary=B"}
        with pytest.raises(ConnectionAbortedError):
            stack.api().post(MODELS, content=abandoned(), headers=multipart)
        wait_for(lambda: not any(models_dir.iterdir()), "storage to remove the partial upload", 10, stack)
        assert stack.api().get(MODELS).json() == []
        assert "unhandled_error" not in stack.processes["gateway"].log()
    finally:
        stack.stop()
