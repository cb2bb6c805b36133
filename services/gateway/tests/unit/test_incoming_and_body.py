"""The proxy's parts without sockets: what it reads of a request, the headers it forwards, and bodies."""

from __future__ import annotations

import pytest

from wellflow_gateway.body import BodyTooLarge, ClientGone, cause, declared_length, read_body, request_body
from wellflow_gateway.incoming import Incoming, upstream_headers
from wellflow_servicekit.problems import Problem


def scope(*headers: tuple[bytes, bytes], request_id: str | None = "req-1") -> dict:
    return {
        "type": "http",
        "headers": list(headers),
        "client": ("10.0.0.9", 5000),
        "scheme": "https",
        "state": {"request_id": request_id} if request_id else {},
    }


def receiving(*messages: dict):
    queue = list(messages)

    async def receive() -> dict:
        return queue.pop(0)

    return receive


def test_incoming_joins_repeated_forwarded_for_and_notes_the_peer_and_the_trace():
    incoming = Incoming.read(
        scope(
            (b"x-forwarded-for", b"1.1.1.1"),
            (b"x-forwarded-for", b"2.2.2.2"),
            (b"traceparent", b"00-" + b"a" * 32 + b"-" + b"b" * 16 + b"-01"),
            (b"transfer-encoding", b"chunked"),
        )
    )
    assert incoming.xff == "1.1.1.1, 2.2.2.2" and incoming.peer_ip == "10.0.0.9" and incoming.chunked
    assert incoming.trace == ("00-" + "a" * 32 + "-" + "b" * 16 + "-01", None)


def test_upstream_headers_carry_the_exchanged_token_request_id_and_forwarding_headers():
    request = scope(
        (b"authorization", b"Bearer wfk_key"),
        (b"x-forwarded-for", b"1.1.1.1"),
        (b"host", b"api.example"),
        (b"accept", b"application/json"),
        (b"connection", b"keep-alive"),
    )
    headers = upstream_headers(request, Incoming.read(request), b"Bearer eyJ.exchanged")
    assert [v for n, v in headers if n == "authorization"] == ["Bearer eyJ.exchanged"]
    assert ("accept", "application/json") in headers and ("x-request-id", "req-1") in headers
    assert ("x-forwarded-for", "1.1.1.1, 10.0.0.9") in headers and ("x-forwarded-proto", "https") in headers
    assert ("x-forwarded-host", "api.example") in headers
    assert not any(n in ("connection", "host") for n, _ in headers)


@pytest.mark.parametrize(("value", "status"), [(b"ten", 400), (b"-1", 400), (b"101", 413)])
def test_a_bad_or_too_large_content_length_is_refused(value, status):
    with pytest.raises(Problem) as refused:
        declared_length(value, 100)
    assert refused.value.status == status
    assert declared_length(b"100", 100) == 100 and declared_length(None, 100) is None


async def test_a_small_body_is_read_whole_and_a_longer_one_than_declared_is_400():
    headers: list[tuple[str, str]] = []
    more = {"type": "http.request", "body": b"ab", "more_body": True}
    last = {"type": "http.request", "body": b"c", "more_body": False}
    assert await request_body(receiving(more, last), 3, False, 100, headers) == b"abc"
    assert headers == [("content-length", "3")]
    with pytest.raises(Problem):
        await read_body(receiving(more, last), 2)
    with pytest.raises(ClientGone):
        await read_body(receiving({"type": "http.disconnect"}), 2)


async def test_a_chunked_body_is_streamed_and_stops_at_the_limit():
    headers: list[tuple[str, str]] = []
    chunk = {"type": "http.request", "body": b"x" * 60, "more_body": True}
    stream = await request_body(receiving(chunk, chunk), None, True, 100, headers)
    assert headers == []
    received = []
    with pytest.raises(BodyTooLarge):
        async for part in stream:  # type: ignore[union-attr]
            received.append(part)
    assert received == [b"x" * 60]
    assert await request_body(receiving(), None, False, 100, headers) is None


def test_our_body_errors_are_found_inside_the_client_errors_that_wrap_them():
    try:
        try:
            raise BodyTooLarge
        except BodyTooLarge as inner:
            raise RuntimeError("client error") from inner
    except RuntimeError as outer:
        assert isinstance(cause(outer), BodyTooLarge)
    plain = ValueError("other")
    assert cause(plain) is plain
