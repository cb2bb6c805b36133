"""The CSV body as a stream: its header line read off, the rest handed on size-checked."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from wellflow_servicekit.errors import Problem, UnprocessableContent


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = "Payload too large"


async def lines_after_header(chunks: AsyncIterator[bytes], limit: int) -> tuple[list[str], AsyncIterator[bytes]]:
    """Read the header line off the stream; return its columns and the rest of the stream (size-checked)."""
    buffer = b""
    seen = 0
    iterator = chunks.__aiter__()
    while b"\n" not in buffer:
        try:
            chunk = await iterator.__anext__()
        except StopAsyncIteration:
            break
        seen += len(chunk)
        buffer += chunk
        if b"\n" not in buffer and len(buffer) > 64 * 1024:
            raise UnprocessableContent("The first line of the file is not a CSV header.", slug="bad-csv-header")
    head, _, rest = buffer.partition(b"\n")
    try:
        header = next(csv.reader([head.decode("utf-8-sig").rstrip("\r")]))
    except (UnicodeDecodeError, StopIteration):
        raise UnprocessableContent(
            "The file must be UTF-8 CSV text with a header line.", slug="bad-csv-header"
        ) from None

    async def remainder() -> AsyncIterator[bytes]:
        nonlocal seen
        if rest:
            yield rest
        async for chunk in iterator:
            seen += len(chunk)
            if seen > limit:
                raise PayloadTooLarge(f"The file is larger than the {limit // (1024 * 1024)} MiB an import accepts.")
            yield chunk

    return header, remainder()


def text_chunks(data: bytes, size: int = 1 << 16) -> AsyncIterator[bytes]:
    """An in-memory body as a stream (tests and small uploads)."""

    async def gen() -> AsyncIterator[bytes]:
        view = io.BytesIO(data)
        while chunk := view.read(size):
            yield chunk

    return gen()
