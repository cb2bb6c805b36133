"""The proxy hop: authenticate, rate limit, pick the tenant's cell, forward, stream the answer back.

A plain ASGI app, mounted under the gateway's FastAPI app (which gives it request ids, the latency
histogram and problem handling), so the hot path has no routing or dependency machinery of its own.

Order of checks for one request, cheapest first, and nothing reaches a service before all passed:

1. the path is safe (no dot or empty segments) and some prefix routes it, else 400 / 404;
2. public paths (sign-in, sign-up, ...): the client IP's bucket, else 429;
   other paths: a bearer token (401 without), an API key exchanged for a token, the token verified
   (401), then the principal's bucket (429). Clients whose tokens keep failing are limited per IP;
3. the tenant's cell has the service, else 503; a declared body larger than the limit, 413;
4. forwarded with the original Authorization (or the exchanged token), a request id, a traceparent
   that continues the caller's trace, X-Forwarded-For/-Proto/-Host, and without hop-by-hop headers.
   Upstream refused the connection: 503; connect or read timeout: 504; broken answer: 502.

The client is aiohttp, chosen by measurement (see README.md): httpx's pool collapses under concurrency.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import aiohttp
from opentelemetry.trace import SpanKind, Tracer
from prometheus_client import Counter, Histogram
from starlette.requests import Request
from starlette.types import Receive, Scope, Send
from yarl import URL

from wellflow_gateway.apikeys import API_KEY_PREFIX, ApiKeyExchanger
from wellflow_gateway.cells import CellRouter
from wellflow_gateway.headers import (
    append_forwarded_for,
    child_traceparent,
    client_ip,
    filter_request_headers,
    filter_response_headers,
)
from wellflow_gateway.ratelimit import TokenBucketLimiter, retry_after_seconds
from wellflow_gateway.routes import RouteTable, is_safe_path
from wellflow_servicekit.auth import Principal, TokenVerifier
from wellflow_servicekit.context import tenant_id_var
from wellflow_servicekit.metrics import HTTP_LATENCY_BUCKETS
from wellflow_servicekit.problems import Problem, ServiceUnavailable, TooManyRequests, Unauthorized, problem_response
from wellflow_servicekit.telemetry import context_from_traceparent, trace_headers

logger = logging.getLogger(__name__)

# Bodies up to this size are read whole and sent with a Content-Length (cheaper for the many small
# JSON requests); larger or chunked bodies are streamed through.
_BUFFER_LIMIT = 64 * 1024


class _BodyTooLarge(Exception):
    pass


class _ClientGone(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _RouteLabel:
    """Stands in for a matched route in scope["route"], so the latency histogram gets the prefix."""

    path_format: str


@dataclass(slots=True)
class ProxyLimits:
    max_body_bytes: int
    connect_timeout: float
    read_timeout: float
    trusted_proxy_hops: int = 0


class GatewayMetrics:
    def __init__(self, registry) -> None:  # type: ignore[no-untyped-def]
        self.upstream_requests = Counter(
            "gateway_upstream_requests_total",
            "Requests forwarded to an upstream, by service, cell and upstream status (or error kind).",
            ["service", "cell", "status"],
            registry=registry,
        )
        self.upstream_duration = Histogram(
            "gateway_upstream_duration_seconds",
            "Time from forwarding a request to receiving the upstream's response headers.",
            ["service", "cell"],
            buckets=HTTP_LATENCY_BUCKETS,
            registry=registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.rejections = Counter(
            "gateway_rejections_total",
            "Requests the gateway answered itself, by reason.",
            ["reason"],
            registry=registry,
        )

    def observe_upstream(self, service: str, cell: str, status: int, seconds: float) -> None:
        """Count one upstream answer (label children cached: `labels()` costs more than the increment)."""
        key = (service, cell, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.upstream_requests.labels(service, cell, str(status)),
                self.upstream_duration.labels(service, cell),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


class Proxy:
    def __init__(
        self,
        *,
        routes: RouteTable,
        cells: CellRouter,
        verifier: TokenVerifier,
        principal_limiter: TokenBucketLimiter,
        ip_limiter: TokenBucketLimiter,
        auth_failure_limiter: TokenBucketLimiter,
        exchanger: ApiKeyExchanger,
        limits: ProxyLimits,
        metrics: GatewayMetrics,
        tracer: Tracer | None = None,
    ) -> None:
        self.tracer = tracer
        self.routes = routes
        self.cells = cells
        self.verifier = verifier
        self.principal_limiter = principal_limiter
        self.ip_limiter = ip_limiter
        self.auth_failure_limiter = auth_failure_limiter
        self.exchanger = exchanger
        self.limits = limits
        self.metrics = metrics
        self.timeout = aiohttp.ClientTimeout(
            total=None,
            connect=limits.connect_timeout,
            sock_connect=limits.connect_timeout,
            sock_read=limits.read_timeout,
        )
        self.session: aiohttp.ClientSession | None = None

    # -- lifecycle

    async def start(self, pool_size: int) -> None:
        connector = aiohttp.TCPConnector(
            limit=pool_size,
            limit_per_host=0,
            # Below uvicorn's default keep-alive (5 s), so we close an idle connection before the upstream does.
            keepalive_timeout=4.0,
            ttl_dns_cache=60,
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,  # pass bodies through byte for byte, with their Content-Encoding
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            cookie_jar=aiohttp.DummyCookieJar(),  # never keep one client's cookies for another
            timeout=self.timeout,
        )

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    def client(self) -> aiohttp.ClientSession:
        if self.session is None:
            raise RuntimeError("the gateway's upstream client is not started")
        return self.session

    # -- ASGI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websockets are not proxied
            return
        try:
            await self._handle(scope, receive, send)
        except _ClientGone:
            return
        except Problem as problem:
            self.metrics.rejections.labels(reason=problem.slug).inc()
            await problem_response(Request(scope), problem)(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if not is_safe_path(path):
            raise Problem("The path has empty or dot segments; send a normalized path.", status=400, slug="bad-path")
        route = self.routes.match(path)
        if route is None:
            raise Problem(f"No service serves {path[:200]}.", status=404)
        scope["route"] = _RouteLabel(route.prefix + "/...")

        headers: list[tuple[bytes, bytes]] = scope["headers"]
        authorization: bytes | None = None
        forwarded_for: bytes | None = None
        incoming_traceparent: bytes | None = None
        incoming_tracestate: bytes | None = None
        content_length: bytes | None = None
        chunked = False
        host: bytes | None = None
        for name, value in headers:
            if name == b"authorization":
                authorization = value
            elif name == b"x-forwarded-for":
                forwarded_for = value if forwarded_for is None else forwarded_for + b", " + value
            elif name == b"traceparent":
                incoming_traceparent = value
            elif name == b"tracestate":
                incoming_tracestate = value
            elif name == b"content-length":
                content_length = value
            elif name == b"transfer-encoding":
                chunked = True
            elif name == b"host":
                host = value
        peer = scope.get("client")
        peer_ip = peer[0] if peer else None
        xff = forwarded_for.decode("latin-1") if forwarded_for else None
        ip = client_ip(peer_ip, xff, self.limits.trusted_proxy_hops)

        principal: Principal | None = None
        if self.routes.is_public(path):
            self._limit(self.ip_limiter, ip, "your address")
        else:
            principal, authorization = await self._authenticate(authorization, ip)
            self._limit(self.principal_limiter, f"{principal.organization_id}:{principal.subject}", "you")
            tenant_id_var.set(principal.organization_id)

        organization: UUID | None = principal.organization_id if principal else None
        cell, base = self.cells.resolve(organization, route.service)
        if base is None:
            raise ServiceUnavailable(
                f"The {route.service} service is not available{'' if cell == 'default' else ' in this cell'} yet.",
                retry_after=30,
            )

        declared: int | None = None
        if content_length is not None:
            try:
                declared = int(content_length)
            except ValueError:
                raise Problem("Content-Length is not a number.", status=400) from None
            if declared < 0:
                raise Problem("Content-Length is negative.", status=400)
            if declared > self.limits.max_body_bytes:
                raise Problem(
                    f"The request body is larger than {self.limits.max_body_bytes} bytes.",
                    status=413,
                    max_bytes=self.limits.max_body_bytes,
                )

        # The upstream request's headers.
        out: list[tuple[str, str]] = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in filter_request_headers(headers)
        ]
        if authorization is not None:
            out = [(n, v) for n, v in out if n != "authorization"]
            out.append(("authorization", authorization.decode("latin-1")))
        request_id = scope.get("state", {}).get("request_id")
        if request_id:
            out.append(("x-request-id", request_id))
        forwarded = append_forwarded_for(xff, peer_ip)
        if forwarded:
            out.append(("x-forwarded-for", forwarded))
        out.append(("x-forwarded-proto", scope.get("scheme", "http")))
        if host:
            out.append(("x-forwarded-host", host.decode("latin-1")))

        data: bytes | AsyncIterator[bytes] | None = None
        if declared is not None and declared <= _BUFFER_LIMIT:
            data = await self._read_body(receive, declared) if declared else None
            if declared:
                out.append(("content-length", str(declared)))
        elif declared is not None or chunked:
            data = self._stream_body(receive)
            if declared is not None:
                out.append(("content-length", str(declared)))

        target = base + scope.get("raw_path", path.encode()).decode("latin-1")
        query: bytes = scope.get("query_string", b"")
        if query:
            target += "?" + query.decode("latin-1")
        method: str = scope["method"]
        traceparent = incoming_traceparent.decode("latin-1") if incoming_traceparent else None
        tracestate = incoming_tracestate.decode("latin-1") if incoming_tracestate else None
        if self.tracer is None:
            # No exporter configured: continue the caller's trace id without the cost of a span.
            out.append(("traceparent", child_traceparent(traceparent)))
            if tracestate and traceparent:
                out.append(("tracestate", tracestate))
            await self._forward(scope, send, route.service, cell, method, URL(target, encoded=True), out, data)
            return
        with self.tracer.start_as_current_span(
            f"{method} {route.prefix}",
            context=context_from_traceparent(traceparent, tracestate),
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "http.route": route.prefix,
                "wellflow.service": route.service,
                "wellflow.cell": cell,
                "wellflow.request_id": request_id or "",
            },
        ) as span:
            if organization is not None:
                span.set_attribute("wellflow.organization_id", str(organization))
            out.extend(trace_headers().items())
            await self._forward(scope, send, route.service, cell, method, URL(target, encoded=True), out, data)

    async def _authenticate(self, authorization: bytes | None, ip: str) -> tuple[Principal, bytes]:
        if authorization is None:
            raise Unauthorized("This endpoint needs an access token: send 'Authorization: Bearer <token>'.", error=None)
        if self.auth_failure_limiter.peek(ip) < 1:
            wait = self.auth_failure_limiter.acquire(ip)
            raise TooManyRequests(
                "Too many requests with invalid credentials from your address; wait before retrying.",
                retry_after=retry_after_seconds(wait),
            )
        scheme, _, credential = authorization.decode("latin-1").partition(" ")
        token = credential.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Send the access token as 'Authorization: Bearer <token>'.", error="invalid_request")
        try:
            if token.startswith(API_KEY_PREFIX):
                token = await self.exchanger.access_token(token)
                authorization = f"Bearer {token}".encode("latin-1")
            principal = await self.verifier.verify(token)
        except Unauthorized:
            self.auth_failure_limiter.acquire(ip)
            raise
        return principal, authorization

    def _limit(self, limiter: TokenBucketLimiter, key: str, who: str) -> None:
        wait = limiter.acquire(key)
        if wait > 0:
            seconds = retry_after_seconds(wait)
            raise TooManyRequests(
                f"Too many requests from {who}; retry in {seconds} s.",
                retry_after=seconds,
            )

    async def _read_body(self, receive: Receive, declared: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > declared:
                raise Problem("The request body is longer than its Content-Length.", status=400)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _stream_body(self, receive: Receive) -> AsyncIterator[bytes]:
        size = 0
        limit = self.limits.max_body_bytes
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _BodyTooLarge
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return

    async def _forward(
        self,
        scope: Scope,
        send: Send,
        service: str,
        cell: str,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        data: bytes | AsyncIterator[bytes] | None,
    ) -> None:
        started = time.perf_counter()
        try:
            response = await self.client().request(
                method, url, headers=headers, data=data, allow_redirects=False, timeout=self.timeout
            )
        except (_ClientGone, _BodyTooLarge, aiohttp.ClientError, TimeoutError) as exc:
            cause = _cause(exc)
            if isinstance(cause, _ClientGone):
                self.metrics.upstream_requests.labels(service, cell, "client_gone").inc()
                return
            raise self._problem_for(exc, cause, service, cell) from None
        self.metrics.observe_upstream(service, cell, response.status, time.perf_counter() - started)
        try:
            response_headers = [(name.lower(), value) for name, value in response.raw_headers]
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": filter_response_headers(response_headers),
                }
            )
            if method == "HEAD":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            length = response.content_length
            try:
                if length is not None and length <= _BUFFER_LIMIT:
                    # The common small JSON answer: one write instead of a write per chunk.
                    body = await response.read()
                    await send({"type": "http.response.body", "body": body, "more_body": False})
                    return
                async for chunk in response.content.iter_any():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except (aiohttp.ClientError, TimeoutError) as exc:
                # Too late for a problem response: the status is sent. Cut the connection so the client
                # sees a truncated body rather than a short one that looks complete.
                logger.warning("upstream %s broke off its answer: %s", service, type(exc).__name__)
                self.metrics.upstream_requests.labels(service, cell, "broken_body").inc()
                raise _ResponseAborted from None
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            response.release()

    def _problem_for(self, exc: BaseException, cause: BaseException, service: str, cell: str) -> Problem:
        if isinstance(cause, _BodyTooLarge):
            self.metrics.upstream_requests.labels(service, cell, "body_too_large").inc()
            return Problem(
                f"The request body is larger than {self.limits.max_body_bytes} bytes.",
                status=413,
                max_bytes=self.limits.max_body_bytes,
            )
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            kind, problem = (
                "connect_timeout",
                Problem(f"The {service} service did not accept a connection in time.", status=504),
            )
        elif isinstance(exc, aiohttp.ClientConnectorError):
            kind, problem = (
                "connect_refused",
                ServiceUnavailable(f"The {service} service is not reachable right now.", retry_after=5),
            )
        elif isinstance(exc, TimeoutError):
            kind, problem = (
                "read_timeout",
                Problem(f"The {service} service did not answer within {self.limits.read_timeout:g} s.", status=504),
            )
        else:
            kind, problem = (
                "bad_response",
                Problem(f"The {service} service gave no valid answer.", status=502),
            )
        logger.warning("forwarding to %s (cell %s) failed: %s %s", service, cell, kind, type(exc).__name__)
        self.metrics.upstream_requests.labels(service, cell, kind).inc()
        return problem


class _ResponseAborted(Exception):
    """Raised after a response started, so the server closes the connection instead of finishing it."""


def _cause(exc: BaseException) -> BaseException:
    """Our own body exceptions may arrive wrapped by aiohttp (as the cause or context of a ClientError)."""
    seen = exc
    for _ in range(5):
        if isinstance(seen, _BodyTooLarge | _ClientGone):
            return seen
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    return exc
