"""The streamed multipart reader: a well-formed body gives its file and fields; a body that is not well-formed
multipart is a 422 naming the body (the client's error), never a server error."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from wellflow_documents.entrypoints.multipart import MultipartForm
from wellflow_servicekit.kernel import UnprocessableContent

BOUNDARY = "7c5156fb04a2177cf9e322ad31ebde44"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


async def _body(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def _read(form: MultipartForm) -> bytes:
    return b"".join([chunk async for chunk in form.chunks()])


async def test_a_well_formed_body_gives_the_file_and_the_fields() -> None:
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nRanch A lease\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="lease.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nOIL, GAS AND MINERAL LEASE\r\n--{BOUNDARY}--\r\n"
    ).encode()
    form = MultipartForm(CONTENT_TYPE, _body(body[:40], body[40:]))
    assert await _read(form) == b"OIL, GAS AND MINERAL LEASE"
    assert form.value("title") == "Ranch A lease"
    assert form.file_name == "lease.txt"


async def test_a_body_that_is_not_multipart_is_a_422_naming_the_body() -> None:
    form = MultipartForm(CONTENT_TYPE, _body(f"--{BOUNDARY}\r\nNone--{BOUNDARY}--\r\n".encode()))
    with pytest.raises(UnprocessableContent) as refused:
        await _read(form)
    assert refused.value.errors[0]["field"] == "body"
