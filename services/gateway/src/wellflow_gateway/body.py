"""The client's request body on its way upstream: small bodies read whole, others streamed, and the
body limit enforced either way."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.types import Receive

from wellflow_servicekit.problems import Problem

# Bodies up to this size are read whole and sent with a Content-Length (cheaper for the many small
# JSON requests); larger or chunked bodies are streamed through. Answers of up to this size are also
# relayed in one write.
BUFFER_LIMIT = 64 * 1024

Body = bytes | AsyncIterator[bytes] | None


class BodyTooLarge(Exception):
    """A streamed body went over the limit (raised inside the upstream client, which wraps it)."""


class ClientGone(Exception):
    """The client disconnected before its request was complete."""


def declared_length(content_length: bytes | None, max_bytes: int) -> int | None:
    """The request's Content-Length, checked: 400 when it is not a number, 413 when over ``max_bytes``."""
    if content_length is None:
        return None
    try:
        declared = int(content_length)
    except ValueError:
        raise Problem("Content-Length is not a number.", status=400) from None
    if declared < 0:
        raise Problem("Content-Length is negative.", status=400)
    if declared > max_bytes:
        raise too_large(max_bytes)
    return declared


def too_large(max_bytes: int) -> Problem:
    return Problem(f"The request body is larger than {max_bytes} bytes.", status=413, max_bytes=max_bytes)


async def read_body(receive: Receive, declared: int) -> bytes:
    """The whole body of a request that declared ``declared`` bytes (400 if it sends more)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > declared:
            raise Problem("The request body is longer than its Content-Length.", status=400)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def stream_body(receive: Receive, limit: int) -> AsyncIterator[bytes]:
    """The body's chunks as they come; ``BodyTooLarge`` once more than ``limit`` bytes came."""
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def request_body(
    receive: Receive, declared: int | None, chunked: bool, limit: int, headers: list[tuple[str, str]]
) -> Body:
    """What to send upstream: bytes, a stream or nothing; adds the Content-Length to ``headers``."""
    if declared is not None and declared <= BUFFER_LIMIT:
        if not declared:
            return None
        data = await read_body(receive, declared)
        headers.append(("content-length", str(declared)))
        return data
    if declared is not None or chunked:
        if declared is not None:
            headers.append(("content-length", str(declared)))
        return stream_body(receive, limit)
    return None


def cause(exc: BaseException) -> BaseException:
    """Our own body exceptions may arrive wrapped by aiohttp (as the cause or context of a ClientError)."""
    seen = exc
    for _ in range(5):
        if isinstance(seen, BodyTooLarge | ClientGone):
            return seen
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    return exc
