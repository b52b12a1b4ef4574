"""Streaming multipart/form-data: python-multipart's push parser, with each part's Content-Disposition at hand."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from starlette.requests import ClientDisconnect, Request

from gateway.errors import ApiError


class MultipartParts:
    """python-multipart callbacks that collect each part's Content-Disposition header and hand the part on.

    Subclasses decide what a part is for: `part_begins` sees its Content-Disposition once its headers are read,
    `part_data` its bytes as they arrive, `part_ends` its end. `ended` tells whether the closing boundary came.
    """

    def __init__(self) -> None:
        self.ended = False
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self.part_begins(self._disposition),
            "on_part_data": lambda data, start, end: self.part_data(data[start:end]),
            "on_part_end": self.part_ends,
            "on_end": self._end,
        }

    def part_begins(self, disposition: bytes) -> None:
        """A part starts; `disposition` is its raw Content-Disposition header (b"" without one)."""

    def part_data(self, data: bytes) -> None:
        """The next bytes of the current part."""

    def part_ends(self) -> None:
        """The current part is complete."""

    def _part_begin(self) -> None:
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _end(self) -> None:
        self.ended = True


async def body_chunks(request: Request) -> AsyncGenerator[bytes, None]:
    """The request body as it arrives; a client that goes away part-way is a 400 (for the access log)."""
    try:
        async for data in request.stream():
            yield data
    except ClientDisconnect:
        raise ApiError(400, "UploadInterrupted", "the client went away before the end of the upload") from None
