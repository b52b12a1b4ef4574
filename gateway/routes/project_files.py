"""Importing and exporting a whole Rasa project: its config, domain, NLU data, stories, rules and tests.

An import is multipart/form-data with one file part per project file, each part's filename being the file's path
relative to the project folder (`data/nlu.yml`), or one YAML file as the body with `?path=`. Storage imports the
files all or nothing. An export is a zip of the project's files, or their list as JSON.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from email.message import Message

import grpc
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conversely.storage.v1 import project_pb2
from gateway.annotation import annotation
from gateway.auth import requires
from gateway.body import read_body
from gateway.clients import clients
from gateway.errors import ApiError
from gateway.multipart import MultipartParts, body_chunks
from gateway.params import check_project
from gateway.permissions import PROJECT_EXPORT, PROJECT_IMPORT

MAX_FILES = 200
MAX_IMPORT_BYTES = 20_000_000
# Everything in a multipart body besides the files' contents: boundaries, part headers, other fields.
MAX_OTHER_BYTES = 1 << 20
MAX_PATH_CHARS = 1000
MODES = {"merge": project_pb2.IMPORT_MODE_MERGE, "replace": project_pb2.IMPORT_MODE_REPLACE}
SUMMARY_FIELDS = (
    "examples",
    "synonyms",
    "regexes",
    "lookup_tables",
    "stories",
    "rules",
    "test_stories",
    "responses",
    "domain",
    "config",
)
# Imports and exports of large projects take longer than a single item's change.
PROJECT_CALL_TIMEOUT_S = 120.0
_DRIVE = re.compile(r"^[A-Za-z]:")


def _invalid(message: str) -> ApiError:
    return ApiError(400, "InvalidImport", message)


def _too_large() -> ApiError:
    return ApiError(413, "ImportTooLarge", f"the files of an import may be at most {MAX_IMPORT_BYTES} bytes in all")


@requires(PROJECT_IMPORT)
async def import_project(request: Request) -> JSONResponse:
    """Merge the uploaded project files into the stored data, or replace it (`?mode=`) → what was stored."""
    check_project(request)
    mode = request.query_params.get("mode") or "merge"
    if mode not in MODES:
        raise ApiError(400, "InvalidParameter", f"mode must be merge or replace, got {mode!r}")
    files = await uploaded_files(request)
    try:
        response = await clients(request).project.ImportProject(
            project_pb2.ImportProjectRequest(files=files, mode=MODES[mode], annotation=annotation(request)),
            timeout=PROJECT_CALL_TIMEOUT_S,
        )
    except grpc.aio.AioRpcError as error:
        # The files fit MAX_IMPORT_BYTES but not one gRPC message to storage (16 MiB with its framing).
        if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
            raise ApiError(
                413, "ImportTooLarge", "the files are too large for one import; import them in parts"
            ) from None
        raise
    return JSONResponse({"mode": mode, "summary": summary_item(response.summary)})


@requires(PROJECT_EXPORT)
async def export_project(request: Request) -> Response:
    """The project's files as `project.zip`, or as JSON `{files, fingerprint}`; the ETag is the fingerprint."""
    check_project(request)
    response = await clients(request).project.ExportProject(
        project_pb2.ExportProjectRequest(), timeout=PROJECT_CALL_TIMEOUT_S
    )
    etag = {"ETag": f'"{response.fingerprint}"'}
    if "application/json" in request.headers.get("accept", ""):
        files = [{"path": file.path, "content": file.content} for file in response.files]
        return JSONResponse({"files": files, "fingerprint": response.fingerprint}, headers=etag)
    return Response(
        zipped(response.files),
        media_type="application/zip",
        headers={**etag, "Content-Disposition": 'attachment; filename="project.zip"'},
    )


def summary_item(summary: project_pb2.ImportSummary) -> dict[str, int | bool]:
    """How many of each kind the import stored, and whether it stored a domain and a config."""
    return {field: getattr(summary, field) for field in SUMMARY_FIELDS}


def zipped(files: Iterable[project_pb2.ProjectFile]) -> bytes:
    """A zip archive holding each ProjectFile at its path."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipping:
        for file in files:
            zipping.writestr(file.path, file.content)
    return archive.getvalue()


async def uploaded_files(request: Request) -> list[project_pb2.ProjectFile]:
    """The project files of the request: its multipart file parts, or its body as the file `?path=`."""
    content_type, options = parse_options_header(request.headers.get("content-type"))
    if content_type == b"multipart/form-data":
        boundary = options.get(b"boundary")
        if not boundary:
            raise _invalid("the multipart/form-data Content-Type has no boundary")
        return await _multipart_files(request, boundary)
    path = request.query_params.get("path")
    if not path:
        raise _invalid(
            "send the files as multipart/form-data (each part's filename its path), or one file as the "
            "body with ?path=<its path in the project>"
        )
    content = await read_body(request, MAX_IMPORT_BYTES)
    if not content.strip():
        raise _invalid("the request body is empty")
    return [project_pb2.ProjectFile(path=project_path(path), content=_text(content, path))]


def project_path(raw: str) -> str:
    """`raw` as a path relative to the project folder (`\\` read as `/`); 400 for an absolute path or one that
    leaves the folder."""
    path = raw.replace("\\", "/")
    parts = path.split("/")
    if path.startswith("/") or _DRIVE.match(path) or ".." in parts or "\x00" in path or len(path) > MAX_PATH_CHARS:
        raise _invalid(f"{raw!r} is not a path inside the project: give it relative to the project folder")
    normalized = "/".join(part for part in parts if part not in {"", "."})
    if not normalized:
        raise _invalid(f"{raw!r} names no file")
    return normalized


def _text(content: bytes, path: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(f"{path} is not UTF-8 text") from None


class _FileParts(MultipartParts):
    """Collects each file part's filename and content; other fields are ignored."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[tuple[str, bytearray]] = []
        self.file_bytes = 0
        self._current: bytearray | None = None

    def part_begins(self, disposition: bytes) -> None:
        filename = _part_filename(disposition)
        if not filename:  # a form field, or a file input left empty
            return
        if len(self.files) == MAX_FILES:
            raise _invalid(f"an import may hold at most {MAX_FILES} files")
        self._current = bytearray()
        self.files.append((filename, self._current))

    def part_data(self, data: bytes) -> None:
        if self._current is None:
            return
        self.file_bytes += len(data)
        if self.file_bytes > MAX_IMPORT_BYTES:
            raise _too_large()
        self._current += data

    def part_ends(self) -> None:
        self._current = None


def _part_filename(disposition: bytes) -> str | None:
    """The filename a part's Content-Disposition gives, exactly as sent: python-multipart's own parsing cuts a
    Windows path down to its last name, which would hide an absolute path."""
    try:
        header = Message()
        header["content-disposition"] = disposition.decode()
    except UnicodeDecodeError:
        raise _invalid("a file part's filename is not UTF-8") from None
    return header.get_filename()


async def _multipart_files(request: Request, boundary: bytes) -> list[project_pb2.ProjectFile]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_IMPORT_BYTES + MAX_OTHER_BYTES:
        raise _too_large()
    parts = _FileParts()
    parser = MultipartParser(boundary, parts.callbacks())  # type: ignore[arg-type]
    body_bytes = 0
    async for data in body_chunks(request):
        body_bytes += len(data)
        if body_bytes > MAX_IMPORT_BYTES + MAX_OTHER_BYTES:
            raise _too_large()
        try:
            parser.write(data)
        except FormParserError as error:
            raise _invalid(f"the body is not valid multipart/form-data: {error}") from None
    if not parts.ended:
        raise _invalid("the body ended before the multipart closing boundary")
    if not parts.files:
        raise _invalid("the form has no files: each project file must be a file part whose filename is its path")
    files, seen = [], set()
    for filename, content in parts.files:
        path = project_path(filename)
        if path in seen:
            raise _invalid(f"{path} is in the form twice")
        seen.add(path)
        files.append(project_pb2.ProjectFile(path=path, content=_text(bytes(content), path)))
    return files


routes = [
    Route("/api/projects/{project_id}/import", import_project, methods=["POST"]),
    Route("/api/projects/{project_id}/export", export_project, methods=["GET"]),
]
