"""The request middleware of every service: request ids, a clean tenant context, latency by route template,
and an unhandled exception answered as a 500 problem (`http.create_app` installs `RequestMiddleware`).

`RequestMiddleware` does all of it in one pure-ASGI layer, a coroutine and a send wrapper per request (three
layers did it before: docs/benchmarks.md, "Per-request cost of a read"). The gateway's own endpoints use it too;
its proxied path has its own layer with the same rules (`wellflow_gateway.front`).
"""

from __future__ import annotations

import re
import uuid
from time import perf_counter

from opentelemetry import trace
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wellflow_servicekit.context import request_id_var, tenant_id_var
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.problems import answer_unhandled

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(scope: Scope) -> str:
    """The matched route's full path template, or `unmatched` (raw unknown paths must not become labels).

    Since FastAPI 0.16x an included router's routes are not copied with their prefix: `scope["route"]`
    is the original route (`/{well_id}` without `/api/v1/wells`). FastAPI records the effective route,
    prefix included, under `scope["fastapi"]["effective_route_context"]`; that is read first (a unit test
    guards it against FastAPI changes), then the plain Starlette route.
    """
    effective = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(effective, "path_format", None)
    if not path:
        route = scope.get("route")
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not path:
        return "unmatched"
    mount_prefix = scope.get("root_path", "").rstrip("/")
    return f"{mount_prefix}{path}" if mount_prefix and not path.startswith(mount_prefix + "/") else path


class RequestMiddleware:
    """One layer, in this order from the outside: the request id (kept from X-Request-ID if sane) and a clean
    tenant context, `http_request_duration_seconds` by method, route template and status (a 500 included), and
    an exception nothing handled answered as a 500 problem from inside (so the request-id header is set and the
    histogram sees it)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.observe = metrics.observe_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and SANE_REQUEST_ID.match(incoming) else str(uuid.uuid4())
        # request.state survives the context reset below, for handlers that run after it.
        scope.setdefault("state", {})["request_id"] = request_id
        trace.get_current_span().set_attribute("wellflow.request_id", request_id)
        started = perf_counter()
        status = 0  # 0 until the response starts

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                if REQUEST_ID_HEADER not in headers:
                    headers.append(REQUEST_ID_HEADER, request_id)
            await send(message)

        request_token = request_id_var.set(request_id)
        # The tenant is set only by auth.get_principal from a verified token; start every request without.
        tenant_token = tenant_id_var.set(None)
        try:
            try:
                await self.app(scope, receive, send_with_id)
            except Exception as exc:
                await answer_unhandled(exc, scope, receive, send_with_id, response_started=status != 0)
        finally:
            method = scope.get("method", "OTHER")
            self.observe(
                method if method in KNOWN_METHODS else "OTHER",
                route_template(scope),
                status or 500,
                perf_counter() - started,
            )
            tenant_id_var.reset(tenant_token)
            request_id_var.reset(request_token)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:
                return None
    return None
