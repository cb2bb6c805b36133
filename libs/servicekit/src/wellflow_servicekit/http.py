"""The FastAPI app factory every service uses, with its probes, metrics, request ids and error shape.

`bootstrap` builds the engine, broker, relay and verifier from settings, then calls `create_app` with
routers, lifespan hooks (async context managers that start and stop those resources, entered in order
and left in reverse) and readiness checks (async callables that raise when a dependency is not usable).
Nothing is connected at import time or in `create_app`; all of it happens in the lifespan.

What every service gets:

- `GET /health/live`: 200 while the event loop answers; a restart is the only cure if it does not.
- `GET /health/ready`: runs every readiness check concurrently, each with a timeout; 200 with each
  check's result, or 503 (a problem document) naming the checks that failed and why. It also fails
  before start-up has finished and once shutdown begins, so a load balancer drains the instance first.
- `GET /metrics`: the service's own Prometheus registry (not the process-global one).
- A request id per request: an incoming `X-Request-ID` is kept when it looks sane (the gateway sets
  one), otherwise a UUID is made; it is echoed in the response, stored in `request_id_var` for logs
  and in every problem body.
- `http_request_duration_seconds{method, route, status}` with the route template (`/wells/{well_id}`),
  never the raw path, so ids do not explode the number of series.
- Server spans from FastAPI's native OpenTelemetry support: the incoming `traceparent` is continued,
  the span is named `METHOD /route/{template}`; probes and /metrics are not traced.
- RFC 9457 problem details for every error (see `problems.py`).
- Operation ids that read well in generated clients: `<service>_<handler name>` (`production_record_reading`),
  unique across the merged document because the service name leads (`operation_id`).
- No trailing-slash redirects: `/api/v1/wells/` is a 404, not a 307 whose absolute `Location` would name
  the service's internal host to a client behind the gateway.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from time import perf_counter
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.telemetry import TelemetryConfig
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client.exposition import choose_encoder

from wellflow_servicekit.auth import JwksTokenVerifier, TokenVerifier
from wellflow_servicekit.kernel import invalid
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.middleware import REQUEST_ID_HEADER as REQUEST_ID_HEADER
from wellflow_servicekit.middleware import RequestMiddleware
from wellflow_servicekit.middleware import route_template as route_template
from wellflow_servicekit.problems import Problem, install_problem_handlers, problem_response
from wellflow_servicekit.settings import ServiceSettings
from wellflow_servicekit.token_cache import CachingTokenVerifier

ReadinessCheck = Callable[[], Awaitable[object]]
"""Raises (or times out) when the dependency it checks cannot serve; its return value is ignored."""

LifespanHook = Callable[[], AbstractAsyncContextManager[object]]
"""A zero-argument factory of an async context manager: entered at start-up, exited at shutdown."""

PROBE_PATHS = frozenset({"/health/live", "/health/ready", "/metrics"})


def create_app(
    *,
    settings: ServiceSettings,
    title: str,
    version: str,
    metrics: Metrics,
    routers: Sequence[APIRouter] = (),
    lifespan_hooks: Sequence[LifespanHook] = (),
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    readiness_timeout: float = 2.0,
    token_verifier: TokenVerifier | None = None,
    tracer_provider: TracerProvider | None = None,
    description: str = "",
) -> FastAPI:
    """Build a service's FastAPI app; nothing connects until the app's lifespan starts.

    `token_verifier` defaults to a `JwksTokenVerifier` from the settings (closed at shutdown); tests pass
    one over a mock transport or a fake. `tracer_provider` defaults to the global one set by
    `setup_telemetry`; with no provider configured at all, no spans are made.
    """
    checks = dict(readiness_checks or {})
    owns_verifier = token_verifier is None
    verifier: TokenVerifier = (
        token_verifier
        if token_verifier is not None
        else CachingTokenVerifier(JwksTokenVerifier.from_settings(settings), ttl=settings.token_cache_seconds)
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if owns_verifier and isinstance(verifier, CachingTokenVerifier):
                stack.push_async_callback(verifier.aclose)
            for hook in lifespan_hooks:
                await stack.enter_async_context(hook())
            app.state.ready = True
            try:
                yield
            finally:
                # Fail readiness before the hooks stop anything, so traffic drains first.
                app.state.ready = False

    app = _fastapi(settings.service_name, title, version, description, lifespan, tracer_provider)
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.token_verifier = verifier
    app.state.ready = False

    # One pure-ASGI layer for the request context, metrics and unhandled errors (middleware.py).
    install_problem_handlers(app, unhandled_middleware=False)
    app.add_middleware(RequestMiddleware, metrics=metrics)

    app.include_router(_probe_router(checks, readiness_timeout))
    for router in routers:
        app.include_router(router)
    return app


def _fastapi(
    service: str,
    title: str,
    version: str,
    description: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    tracer_provider: TracerProvider | None,
) -> FastAPI:
    return FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        telemetry=_telemetry(tracer_provider),
        generate_unique_id_function=operation_id_function(service),
        # A 307 to the slash-less path carries an absolute Location built from the Host the service saw,
        # which behind the gateway is the service's internal name: a 404 instead (docs/platform.md, HTTP).
        redirect_slashes=False,
    )


def operation_id_function(service: str) -> Callable[[APIRoute], str]:
    """`<service>_<handler name>`: `production_record_reading`, `wells_get_well`, `identity_sign_in`.

    FastAPI's default (`record_reading_api_v1_readings_post`) repeats the path and the method in every
    generated function name. The handler name is unique inside a service (tests/contract checks the merged
    document has no duplicate), and the service name makes it unique across services and stable: a route's id
    changes only when its handler is renamed.
    """

    def operation_id(route: APIRoute) -> str:
        return f"{service}_{route.name}"

    return operation_id


def _telemetry(tracer_provider: TracerProvider | None) -> TelemetryConfig:
    """FastAPI's own OpenTelemetry set-up: request spans only (Prometheus and stdlib logging do the rest)."""
    return {
        "tracer_provider": tracer_provider,
        "tracing": True,
        "metrics": False,  # Prometheus (below) is the metrics path; no OTel meter provider is set up.
        "logs": False,  # Logs go through stdlib logging as JSON (telemetry.configure_logging).
        "operation_spans": False,
        "auto_configure": False,
        "exclude": _is_probe,
    }


def _is_probe(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in PROBE_PATHS


def _probe_router(checks: Mapping[str, ReadinessCheck], timeout: float) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready(request: Request) -> Response:
        metrics = request.app.state.metrics
        if not getattr(request.app.state, "ready", False):
            metrics.readiness(None)
            problem = Problem(
                "The service is starting up or shutting down.",
                status=503,
                slug="not-ready",
                title="Service not ready",
                checks={},
            )
            return problem_response(request, problem)
        results = await run_readiness_checks(checks, timeout)
        metrics.readiness(results)
        failed = {name: result for name, result in results.items() if result["status"] != "ok"}
        if not failed:
            return JSONResponse({"status": "ready", "checks": results})
        detail = "; ".join(f"{name}: {result['error']}" for name, result in failed.items())
        problem = Problem(
            f"Failing checks: {detail}",
            status=503,
            slug="not-ready",
            title="Service not ready",
            checks=results,
        )
        return problem_response(request, problem)

    @router.get("/metrics")
    async def prometheus_metrics(request: Request) -> Response:
        registry = request.app.state.metrics.registry
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(registry), headers={"Content-Type": content_type})

    return router


async def run_readiness_checks(
    checks: Mapping[str, ReadinessCheck], per_check_timeout: float
) -> dict[str, dict[str, Any]]:
    """Run the checks concurrently; each result is `{"status": "ok"|"failed", "duration_ms", "error"?}`."""

    async def run(check: ReadinessCheck) -> dict[str, Any]:
        started = perf_counter()
        try:
            async with asyncio.timeout(per_check_timeout):
                detail = await check()
        except TimeoutError:
            return {
                "status": "failed",
                "duration_ms": _ms_since(started),
                "error": f"no answer within {per_check_timeout:g}s",
            }
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return {"status": "failed", "duration_ms": _ms_since(started), "error": reason[:300]}
        result: dict[str, Any] = {"status": "ok", "duration_ms": _ms_since(started)}
        if isinstance(detail, Mapping):
            result["detail"] = dict(detail)
        return result

    names = list(checks)
    results = await asyncio.gather(*(run(checks[name]) for name in names))
    return dict(zip(names, results, strict=True))


def _ms_since(started: float) -> float:
    return round((perf_counter() - started) * 1000, 2)


CSV_UPLOAD_TYPES = ("text/csv", "text/plain", "application/octet-stream")

CSV_UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The CSV file, UTF-8, as the whole body. Sent as application/octet-stream here (client "
        "generators read that as a file upload); text/csv and text/plain are accepted alike.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}
"""`openapi_extra` of a route whose body is a CSV file read by `read_csv_upload`. Only the octet-stream type
is listed: openapi-python-client drops an endpoint whose only body is `text/csv` and warns on a listed
`text/csv` beside another type, while the service accepts all of `CSV_UPLOAD_TYPES`."""


async def read_csv_upload(request: Request, max_bytes: int) -> str:
    """A CSV file sent as the request body, as text: 415 unless it is one of ``CSV_UPLOAD_TYPES``, 413 past
    ``max_bytes`` (counted while it streams in), 422 unless it is UTF-8 (a byte-order mark is dropped)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in CSV_UPLOAD_TYPES:
        raise Problem("Send the file as text/csv.", status=415, slug="unsupported-media-type")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise Problem(f"The file is over {max_bytes} bytes.", status=413, slug="import-too-large")
    try:
        return bytes(body).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid("body", "the file is not UTF-8 text") from None


_Row = TypeVar("_Row")


def created_or_replayed(response: Response, result: tuple[_Row, bool]) -> _Row:
    """The answer of an idempotent create, from its use case's ``(row, created)``: the route's own status (201,
    or 202 for work queued) when this request created it, 200 when it returns what an earlier identical request
    (or the same key) created."""
    row, created = result
    if not created:
        response.status_code = 200
    return row
