"""The proxied path's one ASGI layer in front of the proxy: a request id, a clean tenant context, the latency
histogram, the last-resort 500 problem and the gateway's access line.

Every service (and the gateway's own endpoints) gets these from servicekit's `RequestMiddleware`. The gateway does
the same work for each request it forwards, in one layer with one `send` wrapper, with its access line added (when
three layers did this, bench/gateway_cpu.py measured a tenth of a proxied request's CPU in the layers and their
wrappers). What it does is `RequestMiddleware`'s, unchanged: the X-Request-ID kept when sane (else a new one), in
`scope["state"]` and on the answer; `request_id_var` set and `tenant_id_var` cleared for the request;
`http_request_duration_seconds` by method, route template (the routing prefix) and status; an exception nothing
handled answers a 500 problem when no answer has started, else it propagates so the server cuts the connection.

The access line. With GATEWAY_ACCESS_LOG=problems (the default) uvicorn's access log is off in the gateway
and this layer logs one line (logger ``wellflow_gateway.access``, INFO, uvicorn's format) for each answer
of 400 or more, whoever gave it: what the gateway refused or could not forward. A successful request is
in the access log of the service that answered it, under the same request id and trace id. With
GATEWAY_ACCESS_LOG=all uvicorn logs every request as in every service, and this layer logs none.
"""

from __future__ import annotations

import logging
import uuid
from time import perf_counter

from opentelemetry import trace
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wellflow_servicekit.context import request_id_var, tenant_id_var
from wellflow_servicekit.http import route_template
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.middleware import KNOWN_METHODS, SANE_REQUEST_ID  # one rule for both
from wellflow_servicekit.problems import InternalError, problem_response

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("wellflow_gateway.access")

_REQUEST_ID = b"x-request-id"


def incoming_request_id(scope: Scope) -> str:
    """The client's X-Request-ID when it is a sane id, else a new one."""
    for name, value in scope["headers"]:
        if name == _REQUEST_ID:
            text: str = value.decode("latin-1")
            if SANE_REQUEST_ID.match(text):
                return text
            break
    return str(uuid.uuid4())


class ProxiedRequests:
    def __init__(self, app: ASGIApp, metrics: Metrics, *, access_log_problems: bool = True) -> None:
        self.app = app
        self.observe = metrics.observe_request
        self.access_log_problems = access_log_problems

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = incoming_request_id(scope)
        state = scope.get("state")
        if state is None:
            scope["state"] = state = {}
        state["request_id"] = request_id
        request_id_header = request_id.encode("latin-1")
        started = perf_counter()
        status = 500
        response_started = False

        async def send_wrapped(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = message.get("headers")
                if headers is None:
                    message["headers"] = [(_REQUEST_ID, request_id_header)]
                elif not any(name.lower() == _REQUEST_ID for name, _ in headers):
                    message["headers"] = [*headers, (_REQUEST_ID, request_id_header)]
            await send(message)

        request_token = request_id_var.set(request_id)
        # The tenant is set only by the guard, from a verified token; every request starts without.
        tenant_token = tenant_id_var.set(None)
        try:
            await self.app(scope, receive, send_wrapped)
        except Exception as exc:
            logger.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            span = trace.get_current_span()
            span.record_exception(exc)
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
            if response_started:
                raise
            problem = InternalError(
                "An unexpected error occurred on our side. It has been logged; quote the request_id if you report it."
            )
            await problem_response(Request(scope), problem)(scope, receive, send_wrapped)
        finally:
            method = scope["method"]
            self.observe(
                method if method in KNOWN_METHODS else "OTHER", route_template(scope), status, perf_counter() - started
            )
            if status >= 400 and self.access_log_problems:
                _access_line(scope, status)
            tenant_id_var.reset(tenant_token)
            request_id_var.reset(request_token)


def _access_line(scope: Scope, status: int) -> None:
    """uvicorn's access line (same logger fields, same message), for an answer of 400 or more."""
    if not access_logger.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    address = f"{client[0]}:{client[1]}" if client else ""
    path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
    query = scope.get("query_string", b"")
    if query:
        path += "?" + query.decode("latin-1")
    access_logger.info(
        '%s - "%s %s HTTP/%s" %d', address, scope["method"], path, scope.get("http_version", "1.1"), status
    )
