"""The gateway's composition root: builds the app from settings; nothing connects until its lifespan.

    uvicorn --factory wellflow_gateway.bootstrap:create_app   (what `wellflow up` runs)

Own endpoints (everything else goes through the proxy, see `proxy.py` and `routes.py`):

- `GET /health/live`   200 while the event loop answers;
- `GET /health/ready`  200 once started (the gateway's own readiness: it does not depend on any one
                       upstream, since it must keep answering 503 problems for those that are down);
- `GET /health`        each upstream's `/health/ready`, per cell: 200 with `status` "ok" or "degraded";
- `GET /metrics`       Prometheus: request latency, upstream requests and latency, rejections;
- `GET /openapi.json`  the merged document of all services; `GET /docs` renders it (no external assets);
- `GET /`, `/assets/...`, `/sw.js`, `/manifest.webmanifest`: the web console's files (see `webconsole.py`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client.exposition import choose_encoder
from starlette.types import Receive, Scope, Send

from wellflow_gateway import __version__
from wellflow_gateway.apikeys import ApiKeyExchanger
from wellflow_gateway.cells import CellRouter
from wellflow_gateway.openapi import DOCS_CSP, DOCS_HTML, OpenApiAggregator
from wellflow_gateway.proxy import GatewayMetrics, Proxy, ProxyLimits
from wellflow_gateway.ratelimit import TokenBucketLimiter
from wellflow_gateway.routes import RouteTable
from wellflow_gateway.settings import DEFAULT_CELL, GatewaySettings, load_gateway_settings_or_exit
from wellflow_gateway.webconsole import ConsoleFiles
from wellflow_servicekit.auth import JwksTokenVerifier, TokenVerifier
from wellflow_servicekit.http import RequestContextMiddleware, RequestMetricsMiddleware
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.problems import (
    Problem,
    UnhandledErrorMiddleware,
    install_problem_handlers,
    problem_response,
)
from wellflow_servicekit.telemetry import configure_logging, setup_telemetry
from wellflow_servicekit.token_cache import CachingTokenVerifier

_HEALTH_TIMEOUT = 2.0
OWN_PATHS = frozenset({"/health/live", "/health/ready", "/health", "/metrics", "/openapi.json", "/docs"})


def create_app(
    settings: GatewaySettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    routes: RouteTable | None = None,
    tracer_provider: TracerProvider | None = None,
) -> GatewayApp:
    """Build the gateway. With no `settings` (the uvicorn factory) they are read from the environment and
    logging is configured; tests pass settings and may pass a verifier or a routing table."""
    if settings is None:
        settings = load_gateway_settings_or_exit()
        configure_logging(settings)  # type: ignore[arg-type]  # uses service_name, log_level, log_format
    routes = routes or RouteTable()
    cells = CellRouter(
        settings.default_cell,
        settings.gateway_cells,
        settings.gateway_tenant_cells,
        settings.gateway_global_services,
    )
    owns_verifier = token_verifier is None
    jwks_verifier: TokenVerifier = token_verifier or JwksTokenVerifier(
        settings.jwks_url,
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.jwt_algorithms,
        min_refetch_interval=settings.gateway_jwks_refetch_interval,
    )
    verifier = CachingTokenVerifier(jwks_verifier, ttl=settings.token_cache_seconds)
    owns_provider = False
    if tracer_provider is None and settings.otel_exporter_otlp_endpoint:
        # A span per proxied request only when they are exported; otherwise the trace id is carried on.
        tracer_provider = setup_telemetry(settings, service_version=__version__)  # type: ignore[arg-type]
        owns_provider = True
    tracer = tracer_provider.get_tracer("wellflow_gateway", __version__) if tracer_provider else None
    metrics = Metrics()
    gateway_metrics = GatewayMetrics(metrics.registry)
    proxy = Proxy(
        routes=routes,
        cells=cells,
        verifier=verifier,
        principal_limiter=TokenBucketLimiter(
            settings.gateway_rate_limit_principal_per_second, settings.gateway_rate_limit_principal_burst
        ),
        ip_limiter=TokenBucketLimiter(settings.gateway_rate_limit_ip_per_second, settings.gateway_rate_limit_ip_burst),
        auth_failure_limiter=TokenBucketLimiter(
            settings.gateway_rate_limit_ip_per_second, settings.gateway_rate_limit_ip_burst
        ),
        exchanger=ApiKeyExchanger(
            lambda: proxy.client(),
            lambda: cells.upstream(DEFAULT_CELL, "identity"),
            max_cache_seconds=settings.gateway_api_key_cache_seconds,
        ),
        limits=ProxyLimits(
            max_body_bytes=settings.gateway_max_body_bytes,
            connect_timeout=settings.gateway_connect_timeout,
            read_timeout=settings.gateway_read_timeout,
            trusted_proxy_hops=settings.gateway_trusted_proxy_hops,
        ),
        metrics=gateway_metrics,
        tracer=tracer,
    )
    aggregator = OpenApiAggregator(
        lambda: proxy.client(),
        lambda: cells.cells[DEFAULT_CELL],
        routes,
        ttl=settings.gateway_openapi_ttl,
        version=__version__,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await proxy.start(settings.gateway_pool_size)
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            await proxy.stop()
            if owns_verifier:
                await verifier.aclose()
            if owns_provider and tracer_provider is not None:
                tracer_provider.shutdown()

    app = FastAPI(
        title="WellFlow gateway",
        version=__version__,
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.token_verifier = verifier
    app.state.proxy = proxy
    app.state.cells = cells
    app.state.openapi = aggregator
    app.state.ready = False

    install_problem_handlers(app)
    app.add_middleware(RequestMetricsMiddleware, metrics=metrics)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(_own_routes())
    return GatewayApp(app, proxy, metrics, ConsoleFiles(reload=settings.gateway_console_reload))


class GatewayApp:
    """The ASGI app uvicorn runs: the gateway's own endpoints (and the lifespan) go to the FastAPI app;
    every other request goes straight to the proxy through the same request-id, latency-histogram and
    last-resort error layers servicekit gives every service, without FastAPI's routing in between
    (measured: it cost the proxied path about a tenth of its throughput)."""

    def __init__(self, app: FastAPI, proxy: Proxy, metrics: Metrics, console: ConsoleFiles) -> None:
        self.fastapi = app
        self.state = app.state
        self.proxy = proxy
        self.console = console
        self._proxied = RequestContextMiddleware(RequestMetricsMiddleware(UnhandledErrorMiddleware(proxy), metrics))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.console.handles(scope["path"]):
            await self.console(scope, receive, send)
        elif scope["type"] == "http" and scope["path"] not in OWN_PATHS:
            await self._proxied(scope, receive, send)
        else:
            await self.fastapi(scope, receive, send)


def _own_routes() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready(request: Request) -> Response:
        if not getattr(request.app.state, "ready", False):
            problem = Problem("The gateway is starting up or shutting down.", status=503, slug="not-ready")
            return problem_response(request, problem)
        return JSONResponse({"status": "ready"})

    @router.get("/health")
    async def health(request: Request) -> Response:
        proxy: Proxy = request.app.state.proxy
        cells: CellRouter = request.app.state.cells
        checks = [(cell, service, url) for cell, services in cells.cells.items() for service, url in services.items()]
        results = await asyncio.gather(*(_upstream_ready(proxy, url) for _, _, url in checks))
        report: dict[str, dict[str, Any]] = {cell: {} for cell in cells.cells}
        for (cell, service, _), result in zip(checks, results, strict=True):
            report[cell][service] = result
        healthy = all(result["status"] == "ok" for result in results)
        return JSONResponse(
            {"status": "ok" if healthy else "degraded", "gateway": "ok", "cells": report},
            headers={"Cache-Control": "no-store"},
        )

    @router.get("/metrics")
    async def prometheus_metrics(request: Request) -> Response:
        registry = request.app.state.metrics.registry
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(registry), headers={"Content-Type": content_type})

    @router.get("/openapi.json")
    async def openapi(request: Request) -> Response:
        aggregator: OpenApiAggregator = request.app.state.openapi
        return JSONResponse(await aggregator.document())

    @router.get("/docs")
    async def docs() -> Response:
        headers = {"Content-Security-Policy": DOCS_CSP, "X-Content-Type-Options": "nosniff"}
        return HTMLResponse(DOCS_HTML, headers=headers)

    return router


async def _upstream_ready(proxy: Proxy, base: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with proxy.client().get(
            base + "/health/ready", timeout=aiohttp.ClientTimeout(total=_HEALTH_TIMEOUT)
        ) as response:
            status = response.status
            await response.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        error = "no answer within 2 s" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}"
        return {"status": "failed", "url": base, "error": error, "duration_ms": _ms(started)}
    if status != 200:
        error = f"/health/ready answered {status}"
        return {"status": "failed", "url": base, "error": error, "duration_ms": _ms(started)}
    return {"status": "ok", "url": base, "duration_ms": _ms(started)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
