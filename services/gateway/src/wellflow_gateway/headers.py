"""Header handling of the proxy hop: hop-by-hop stripping, trace context, forwarding headers.

Headers are handled as ASGI-style lists of (lowercase bytes name, bytes value) pairs so nothing is
decoded on the hot path that does not need to be.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

# RFC 9110 section 7.6.1 and the classic list; `Connection` may name more.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Set by the gateway for the upstream request; a client's own values are dropped.
REQUEST_OWNED = frozenset(
    {
        b"host",
        b"content-length",
        b"expect",  # 100-continue is answered on our side (the body is read before or while forwarding)
        b"x-request-id",
        b"traceparent",
        b"tracestate",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"forwarded",
        b"x-real-ip",
    }
)
# uvicorn adds its own Date and Server. Content-Length passes through: bodies are relayed byte for byte
# (no decompression), and with it uvicorn need not switch to chunked framing.
RESPONSE_OWNED = frozenset({b"date", b"server"})

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$")


def connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Header names listed in `Connection` (they are hop-by-hop for this message only)."""
    named: set[bytes] = set()
    for name, value in headers:
        if name == b"connection":
            named.update(token.strip().lower() for token in value.split(b",") if token.strip())
    return frozenset(named)


def filter_request_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Client headers to pass on: without hop-by-hop headers and without those the gateway sets itself."""
    extra = connection_tokens(headers)
    return [
        (name, value)
        for name, value in headers
        if name not in HOP_BY_HOP and name not in REQUEST_OWNED and name not in extra
    ]


def filter_response_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Upstream response headers to pass back: without hop-by-hop headers."""
    headers = list(headers)
    extra = connection_tokens(headers)
    return [
        (name, value)
        for name, value in headers
        if name not in HOP_BY_HOP and name not in extra and name not in RESPONSE_OWNED
    ]


def child_traceparent(incoming: str | None) -> str:
    """The traceparent for the upstream request: continues a valid incoming trace (new span id, same
    trace id and flags), or starts a new sampled trace. Version 00 only, per W3C Trace Context."""
    if incoming:
        match = _TRACEPARENT.match(incoming.strip().lower())
        if match:
            version, trace_id, parent_id, flags = match.groups()
            if version != "ff" and trace_id != "0" * 32 and parent_id != "0" * 16:
                return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def trace_id_of(traceparent: str) -> str:
    return traceparent.split("-")[1]


def append_forwarded_for(existing: str | None, client_ip: str | None) -> str | None:
    if not client_ip:
        return existing
    return f"{existing}, {client_ip}" if existing else client_ip


def client_ip(peer: str | None, forwarded_for: str | None, trusted_hops: int) -> str:
    """The client address for rate limits: the socket peer, or with `trusted_hops` load balancers in front,
    the X-Forwarded-For entry they appended for the client (entries further left are the client's own say)."""
    if trusted_hops > 0 and forwarded_for:
        entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
        if len(entries) >= trusted_hops:
            return entries[-trusted_hops]
    return peer or "unknown"
