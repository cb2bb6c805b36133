"""A ``multipart/form-data`` body read as it arrives: the one file part (``file``) is handed on chunk by chunk
(to staging, which writes and hashes it), the small fields are collected. Nothing holds the whole file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from wellflow_servicekit.kernel import invalid

MAX_FIELD = 64 * 1024
FILE_FIELD = "file"


class MultipartForm:
    """``chunks()`` yields the file's bytes; after it is exhausted, ``fields`` and ``file_name`` are known
    (fields may come before or after the file)."""

    def __init__(self, content_type: str | None, body: AsyncIterator[bytes]) -> None:
        kind, options = parse_options_header(content_type or "")
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise invalid("header.content-type", "send multipart/form-data with a boundary", slug="validation-error")
        self.body = body
        self.fields: dict[str, list[str]] = {}
        self.file_name: str | None = None
        self.seen_file = False
        self._pending: list[bytes] = []
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name: str | None = None
        self._is_file = False
        self._buffer = bytearray()
        callbacks: Any = {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_part,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }
        self.parser = MultipartParser(boundary, callbacks)

    async def chunks(self) -> AsyncIterator[bytes]:
        async for chunk in self.body:
            self._write(chunk)
            while self._pending:
                yield self._pending.pop(0)
        self._write(None)
        while self._pending:
            yield self._pending.pop(0)
        if not self.seen_file:
            raise invalid("body.file", "attach the file as the form field 'file'")

    def _write(self, chunk: bytes | None) -> None:
        """Feed the parser (``None``: the body ended); a body that is not well-formed multipart is the client's
        error (422), not the server's."""
        try:
            if chunk is None:
                self.parser.finalize()
            else:
                self.parser.write(chunk)
        except MultipartParseError as exc:
            raise invalid("body", f"a well-formed multipart/form-data body ({exc})") from None

    def value(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[-1] if values else None

    def _part_begin(self) -> None:
        self._headers, self._name, self._is_file, self._buffer = {}, None, False, bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.strip().lower()] = self._header_value.strip()
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == FILE_FIELD:
            if self.seen_file:
                raise invalid("body.file", "send one file per request")
            self.seen_file = self._is_file = True
            raw = options.get(b"filename")
            self.file_name = raw.decode("utf-8", "replace") if raw is not None else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            self._pending.append(bytes(data[start:end]))
            return
        self._buffer.extend(data[start:end])
        if len(self._buffer) > MAX_FIELD:
            raise invalid(f"body.{self._name}", f"a form field is at most {MAX_FIELD} bytes")

    def _part_end(self) -> None:
        if not self._is_file and self._name:
            self.fields.setdefault(self._name, []).append(self._buffer.decode("utf-8", "replace"))
