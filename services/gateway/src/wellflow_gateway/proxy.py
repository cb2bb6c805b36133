"""The proxy hop: authenticate, rate limit, pick the tenant's cell, forward, stream the answer back.

A plain ASGI app, mounted under the gateway's FastAPI app (which gives it request ids, the latency
histogram and problem handling), so the hot path has no routing or dependency machinery of its own.

Order of checks for one request, cheapest first, and nothing reaches a service before all passed:

1. the path is safe (no dot or empty segments) and some prefix routes it, else 400 / 404;
2. public paths (sign-in, sign-up, ...): the client IP's bucket, else 429;
   other paths: a bearer token (401 without), an API key exchanged for a token, the token verified
   (401), then the principal's bucket (429). Clients whose tokens keep failing are limited per IP
   (`guard.py`);
3. the tenant's cell has the service, else 503; a declared body larger than the limit, 413 (`body.py`);
4. forwarded with the original Authorization (or the exchanged token), a request id, a traceparent
   that continues the caller's trace, X-Forwarded-For/-Proto/-Host, and without hop-by-hop headers
   (`incoming.py`). Upstream refused the connection: 503; connect or read timeout: 504; broken
   answer: 502 (`upstream.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from opentelemetry import context as otel_context
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer, set_span_in_context
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send
from yarl import URL

from wellflow_gateway.body import ClientGone, declared_length, request_body
from wellflow_gateway.cells import CellRouter
from wellflow_gateway.guard import Guard
from wellflow_gateway.headers import child_traceparent, client_ip
from wellflow_gateway.incoming import Incoming, upstream_headers
from wellflow_gateway.metrics import GatewayMetrics
from wellflow_gateway.routes import Route, RouteTable, is_safe_path
from wellflow_gateway.upstream import Hop, ProxyLimits, Upstream
from wellflow_servicekit.problems import Problem, ServiceUnavailable, problem_response
from wellflow_servicekit.telemetry import context_from_traceparent


@dataclass(frozen=True, slots=True)
class _RouteLabel:
    """Stands in for a matched route in scope["route"], so the latency histogram gets the prefix."""

    path_format: str


class Proxy:
    def __init__(
        self,
        *,
        routes: RouteTable,
        cells: CellRouter,
        guard: Guard,
        upstream: Upstream,
        limits: ProxyLimits,
        metrics: GatewayMetrics,
        tracer: Tracer | None = None,
    ) -> None:
        self.routes = routes
        self.cells = cells
        self.guard = guard
        self.upstream = upstream
        self.limits = limits
        self.metrics = metrics
        self.tracer = tracer
        self._labels: dict[str, _RouteLabel] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websockets are not proxied
            return
        try:
            await self._handle(scope, receive, send)
        except ClientGone:
            return
        except Problem as problem:
            self.metrics.rejections.labels(reason=problem.slug).inc()
            await problem_response(Request(scope), problem)(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        route = self._route(path)
        label = self._labels.get(route.prefix)
        if label is None:
            label = self._labels[route.prefix] = _RouteLabel(route.prefix + "/...")
        scope["route"] = label
        incoming = Incoming.read(scope)
        ip = client_ip(incoming.peer_ip, incoming.xff, self.limits.trusted_proxy_hops)
        principal, authorization = await self.guard.admit(self.routes.is_public(path), incoming.authorization, ip, path)
        organization = principal.organization_id if principal else None
        cell, base = self.upstream_for(organization, route.service)
        declared = declared_length(incoming.content_length, self.limits.max_body_bytes)
        headers = upstream_headers(scope, incoming, authorization)
        data = await request_body(receive, declared, incoming.chunked, self.limits.max_body_bytes, headers)
        target = base + scope.get("raw_path", path.encode()).decode("latin-1")
        query: bytes = scope.get("query_string", b"")
        if query:
            target += "?" + query.decode("latin-1")
        hop = Hop(route.service, cell, scope["method"], URL(target, encoded=True), headers, data)
        await self._forward_traced(scope, hop, route, incoming, organization, send)

    def _route(self, path: str) -> Route:
        if not is_safe_path(path):
            raise Problem("The path has empty or dot segments; send a normalized path.", status=400, slug="bad-path")
        route = self.routes.match(path)
        if route is None:
            raise Problem(f"No service serves {path[:200]}.", status=404)
        return route

    def upstream_for(self, organization: UUID | None, service: str) -> tuple[str, str]:
        cell, base = self.cells.resolve(organization, service)
        if base is None:
            where = "" if cell == "default" else " in this cell"
            raise ServiceUnavailable(f"The {service} service is not available{where} yet.", retry_after=30)
        return cell, base

    async def _forward_untraced(self, hop: Hop, traceparent: str | None, tracestate: str | None, send: Send) -> None:
        """No exporter configured: continue the caller's trace id without the cost of a span. The ids are made
        current all the same, so the gateway's own log lines carry the trace id the service's carry."""
        child = child_traceparent(traceparent)
        hop.headers.append(("traceparent", child))
        if tracestate and traceparent:
            hop.headers.append(("tracestate", tracestate))
        token = otel_context.attach(context_from_traceparent(child))
        try:
            await self.upstream.forward(hop, send)
        finally:
            otel_context.detach(token)

    async def _forward_traced(
        self, scope: Scope, hop: Hop, route: Route, incoming: Incoming, organization: UUID | None, send: Send
    ) -> None:
        traceparent, tracestate = incoming.trace
        if self.tracer is None:
            await self._forward_untraced(hop, traceparent, tracestate, send)
            return
        attributes: dict[str, str] = {
            "http.request.method": hop.method,
            "http.route": route.prefix,
            "wellflow.service": route.service,
            "wellflow.cell": hop.cell,
            "wellflow.request_id": scope.get("state", {}).get("request_id") or "",
        }
        if organization is not None:
            attributes["wellflow.organization_id"] = str(organization)
        # The span by hand rather than `start_as_current_span` + the propagator: the same span, made current
        # the same way, and its traceparent written directly (measured: a tenth of the traced hop's CPU).
        span = self.tracer.start_span(
            f"{hop.method} {route.prefix}",
            context=context_from_traceparent(traceparent, tracestate),
            kind=SpanKind.SERVER,
            attributes=attributes,
        )
        span_context = span.get_span_context()
        hop.headers.append(
            (
                "traceparent",
                f"00-{span_context.trace_id:032x}-{span_context.span_id:016x}-{span_context.trace_flags:02x}",
            )
        )
        if span_context.trace_state:
            hop.headers.append(("tracestate", span_context.trace_state.to_header()))
        token = otel_context.attach(set_span_in_context(span))
        try:

            async def send_noting_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(StatusCode.ERROR)
                await send(message)

            await self.upstream.forward(hop, send_noting_status)
        except Exception as exc:  # as `use_span` does: not GeneratorExit, cancellation and the like
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
            raise
        finally:
            otel_context.detach(token)
            span.end()
