"""What the proxy reads of a client's request, in one pass over its headers, and the headers it sends
upstream in their place (see `headers.py` for what is dropped)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from wellflow_gateway.headers import append_forwarded_for, filter_request_headers


@dataclass(slots=True)
class Incoming:
    """The request headers the proxy acts on (raw bytes, as ASGI gives them), and the socket peer."""

    authorization: bytes | None = None
    forwarded_for: bytes | None = None
    traceparent: bytes | None = None
    tracestate: bytes | None = None
    content_length: bytes | None = None
    chunked: bool = False
    host: bytes | None = None
    peer_ip: str | None = None

    @classmethod
    def read(cls, scope: Scope) -> Incoming:
        incoming = cls()
        for name, value in scope["headers"]:
            if name == b"authorization":
                incoming.authorization = value
            elif name == b"x-forwarded-for":
                previous = incoming.forwarded_for
                incoming.forwarded_for = value if previous is None else previous + b", " + value
            elif name == b"traceparent":
                incoming.traceparent = value
            elif name == b"tracestate":
                incoming.tracestate = value
            elif name == b"content-length":
                incoming.content_length = value
            elif name == b"transfer-encoding":
                incoming.chunked = True
            elif name == b"host":
                incoming.host = value
        peer = scope.get("client")
        incoming.peer_ip = peer[0] if peer else None
        return incoming

    @property
    def xff(self) -> str | None:
        return self.forwarded_for.decode("latin-1") if self.forwarded_for else None

    @property
    def trace(self) -> tuple[str | None, str | None]:
        """The caller's (traceparent, tracestate), as text."""
        parent = self.traceparent.decode("latin-1") if self.traceparent else None
        state = self.tracestate.decode("latin-1") if self.tracestate else None
        return parent, state


def upstream_headers(scope: Scope, incoming: Incoming, authorization: bytes | None) -> list[tuple[str, str]]:
    """The client's end-to-end headers, the (possibly exchanged) Authorization, the request id and the
    X-Forwarded-For/-Proto/-Host the gateway vouches for."""
    out = [
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in filter_request_headers(scope["headers"])
    ]
    if authorization is not None:
        out = [(n, v) for n, v in out if n != "authorization"]
        out.append(("authorization", authorization.decode("latin-1")))
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        out.append(("x-request-id", request_id))
    forwarded = append_forwarded_for(incoming.xff, incoming.peer_ip)
    if forwarded:
        out.append(("x-forwarded-for", forwarded))
    out.append(("x-forwarded-proto", scope.get("scheme", "http")))
    if incoming.host:
        out.append(("x-forwarded-host", incoming.host.decode("latin-1")))
    return out
