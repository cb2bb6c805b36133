from __future__ import annotations

import re

from wellflow_gateway.headers import (
    child_traceparent,
    client_ip,
    filter_request_headers,
    filter_response_headers,
)


def test_request_headers_lose_hop_by_hop_named_and_gateway_owned_ones():
    headers = [
        (b"authorization", b"Bearer x"),
        (b"connection", b"keep-alive, x-secret"),
        (b"x-secret", b"1"),
        (b"keep-alive", b"timeout=5"),
        (b"te", b"trailers"),
        (b"transfer-encoding", b"chunked"),
        (b"upgrade", b"h2c"),
        (b"proxy-authorization", b"Basic x"),
        (b"host", b"gateway"),
        (b"x-request-id", b"spoof"),
        (b"traceparent", b"00-..."),
        (b"x-forwarded-for", b"1.2.3.4"),
        (b"content-length", b"3"),
        (b"accept", b"application/json"),
        (b"cookie", b"a=b"),
    ]
    assert filter_request_headers(headers) == [
        (b"authorization", b"Bearer x"),
        (b"accept", b"application/json"),
        (b"cookie", b"a=b"),
    ]


def test_response_headers_keep_length_and_lose_hop_by_hop():
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"12"),
        (b"connection", b"close"),
        (b"transfer-encoding", b"chunked"),
        (b"date", b"x"),
        (b"server", b"uvicorn"),
        (b"set-cookie", b"a=1"),
        (b"set-cookie", b"b=2"),
    ]
    assert filter_response_headers(headers) == [
        (b"content-type", b"application/json"),
        (b"content-length", b"12"),
        (b"set-cookie", b"a=1"),
        (b"set-cookie", b"b=2"),
    ]


def test_traceparent_continues_a_valid_trace_and_starts_one_otherwise():
    incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    child = child_traceparent(incoming)
    assert child.startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert child.endswith("-01")
    assert child.split("-")[2] != "00f067aa0ba902b7"
    for bad in (
        None,
        "",
        "garbage",
        "00-" + "0" * 32 + "-00f067aa0ba902b7-01",
        "ff-" + "a" * 32 + "-" + "b" * 16 + "-01",
    ):
        fresh = child_traceparent(bad)
        assert re.match(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", fresh)
        assert fresh.split("-")[1] != "0" * 32


def test_client_ip_trusts_only_the_configured_proxies():
    assert client_ip("10.0.0.5", "6.6.6.6", 0) == "10.0.0.5"
    assert client_ip("10.0.0.5", "6.6.6.6, 203.0.113.9", 1) == "203.0.113.9"
    assert client_ip("10.0.0.5", "6.6.6.6, 203.0.113.9, 10.0.0.4", 2) == "203.0.113.9"
    assert client_ip("10.0.0.5", None, 1) == "10.0.0.5"
    assert client_ip(None, None, 0) == "unknown"
