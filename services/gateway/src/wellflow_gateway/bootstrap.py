"""The gateway's composition root, the only place that wires it: builds the app from settings; nothing
connects until its lifespan.

    uvicorn --factory wellflow_gateway.bootstrap:create_app   (what `wellflow up` runs)

The gateway has no database, no broker and no outbox, so it does not use `ServiceRuntime` (whose
lifespan starts a database pool, NATS, consumers and the outbox relay, and whose readiness asks them).
It builds its app from servicekit's parts instead: the same request-id, latency-histogram, problem and
last-resort error layers every service gets, its own endpoints (`endpoints.py`), the proxy for every other
path (`proxy.py`), and the web console's files at `/`, `/assets/...`, `/sw.js` and `/manifest.webmanifest`
(`webconsole.py`). Its lifespan opens and closes the upstream client.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from starlette.types import Receive, Scope, Send

from wellflow_gateway import __version__
from wellflow_gateway.apikeys import ApiKeyExchanger
from wellflow_gateway.cells import CellRouter
from wellflow_gateway.console_session import router as console_session_router
from wellflow_gateway.endpoints import OWN_PATHS
from wellflow_gateway.endpoints import router as own_endpoints
from wellflow_gateway.front import ProxiedRequests
from wellflow_gateway.guard import Guard
from wellflow_gateway.metrics import GatewayMetrics
from wellflow_gateway.openapi import OpenApiAggregator
from wellflow_gateway.proxy import Proxy
from wellflow_gateway.ratelimit import TokenBucketLimiter
from wellflow_gateway.routes import SESSION_PATHS, RouteTable
from wellflow_gateway.settings import DEFAULT_CELL, GatewaySettings, load_gateway_settings_or_exit
from wellflow_gateway.upstream import ProxyLimits, Upstream
from wellflow_gateway.webconsole import ConsoleFiles
from wellflow_servicekit.auth import JwksTokenVerifier, TokenVerifier
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.middleware import RequestMiddleware
from wellflow_servicekit.problems import install_problem_handlers
from wellflow_servicekit.telemetry import configure_logging, setup_telemetry
from wellflow_servicekit.token_cache import CachingTokenVerifier


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
        _configure_process(settings)
    routes = routes or RouteTable()
    cells = CellRouter(
        settings.default_cell, settings.gateway_cells, settings.gateway_tenant_cells, settings.gateway_global_services
    )
    verifier = CachingTokenVerifier(token_verifier or _jwks_verifier(settings), ttl=settings.token_cache_seconds)
    owned_provider = None
    if tracer_provider is None and settings.otel_exporter_otlp_endpoint:
        # A span per proxied request only when they are exported; otherwise the trace id is carried on.
        tracer_provider = owned_provider = setup_telemetry(settings, service_version=__version__)  # type: ignore[arg-type]
    tracer = tracer_provider.get_tracer("wellflow_gateway", __version__) if tracer_provider else None
    metrics = Metrics()
    limits = _limits(settings)
    gateway_metrics = GatewayMetrics(metrics.registry)
    upstream = Upstream(limits, gateway_metrics, ca_file=settings.gateway_upstream_ca_file)
    guard = _guard(settings, verifier, upstream, cells)
    proxy = Proxy(
        routes=routes,
        cells=cells,
        guard=guard,
        upstream=upstream,
        limits=limits,
        metrics=gateway_metrics,
        tracer=tracer,
    )

    async def close() -> None:
        if token_verifier is None:
            await verifier.aclose()
        if owned_provider is not None:
            owned_provider.shutdown()

    app = FastAPI(
        title="WellFlow gateway",
        version=__version__,
        lifespan=_lifespan(upstream, settings.gateway_pool_size, close),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    _set_state(app, settings, metrics, verifier, proxy, upstream, cells, routes)
    install_problem_handlers(app, unhandled_middleware=False)  # RequestMiddleware answers unhandled errors
    app.add_middleware(RequestMiddleware, metrics=metrics)
    app.include_router(own_endpoints)
    app.include_router(console_session_router)
    proxied = ProxiedRequests(proxy, metrics, access_log_problems=settings.gateway_access_log == "problems")
    return GatewayApp(app, proxy, proxied, ConsoleFiles(reload=settings.gateway_console_reload))


def _configure_process(settings: GatewaySettings) -> None:
    """What the uvicorn factory sets for the whole process (a test building an app leaves these alone)."""
    configure_logging(settings)  # type: ignore[arg-type]  # uses service_name, log_level, log_format
    if settings.gateway_access_log == "problems":
        # uvicorn's line for every request off; the proxied path logs its problems (front.py)
        logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    _tune_garbage_collector()


def _tune_garbage_collector() -> None:
    """Fewer, cheaper collections in the gateway's process (the uvicorn factory only, not in a test's).

    A proxied request allocates a few hundred short-lived objects (the ASGI messages, aiohttp's request and
    response, a span); with the default threshold of 700 the collector ran every few requests and, every
    tenth time, walked everything the import of FastAPI, pydantic and OpenTelemetry left in generation 1 and
    2: 13 % of the gateway's CPU in py-spy at 200 requests a second. What exists at start-up is frozen (never
    garbage, never walked again) and the youngest generation collected every 20,000 allocations instead.
    Reference counting still frees nearly everything at once; only cycles wait a little longer.
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(20_000, middle, oldest)


def _limits(settings: GatewaySettings) -> ProxyLimits:
    return ProxyLimits(
        max_body_bytes=settings.gateway_max_body_bytes,
        connect_timeout=settings.gateway_connect_timeout,
        read_timeout=settings.gateway_read_timeout,
        trusted_proxy_hops=settings.gateway_trusted_proxy_hops,
    )


def _jwks_verifier(settings: GatewaySettings) -> JwksTokenVerifier:
    return JwksTokenVerifier(
        settings.jwks_url,
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.jwt_algorithms,
        min_refetch_interval=settings.gateway_jwks_refetch_interval,
        max_key_age=settings.jwks_refresh_seconds,
        max_stale=settings.jwks_max_stale_seconds,
        ca_file=settings.jwks_ca_file,
        require_tls=settings.jwks_require_tls,
    )


def _guard(settings: GatewaySettings, verifier: TokenVerifier, upstream: Upstream, cells: CellRouter) -> Guard:
    ip_rate = (settings.gateway_rate_limit_ip_per_second, settings.gateway_rate_limit_ip_burst)
    return Guard(
        verifier=verifier,
        principal_limiter=TokenBucketLimiter(
            settings.gateway_rate_limit_principal_per_second, settings.gateway_rate_limit_principal_burst
        ),
        ip_limiter=TokenBucketLimiter(*ip_rate),
        auth_failure_limiter=TokenBucketLimiter(*ip_rate),
        refresh_limiter=TokenBucketLimiter(*ip_rate),
        refresh_paths=SESSION_PATHS,
        exchanger=ApiKeyExchanger(
            upstream.client,
            lambda: cells.upstream(DEFAULT_CELL, "identity"),
            max_cache_seconds=settings.gateway_api_key_cache_seconds,
        ),
    )


def _lifespan(
    upstream: Upstream, pool_size: int, close: Callable[[], Awaitable[None]]
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await upstream.start(pool_size)
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            await upstream.stop()
            await close()

    return lifespan


def _set_state(
    app: FastAPI,
    settings: GatewaySettings,
    metrics: Metrics,
    verifier: TokenVerifier,
    proxy: Proxy,
    upstream: Upstream,
    cells: CellRouter,
    routes: RouteTable,
) -> None:
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.token_verifier = verifier
    app.state.proxy = proxy
    app.state.upstream = upstream
    app.state.cells = cells
    app.state.openapi = OpenApiAggregator(
        upstream.client,
        lambda: cells.cells[DEFAULT_CELL],
        routes,
        ttl=settings.gateway_openapi_ttl,
        version=__version__,
    )
    app.state.ready = False


class GatewayApp:
    """The ASGI app uvicorn runs: the gateway's own endpoints (and the lifespan) go to the FastAPI app;
    every other request goes straight to the proxy through one layer doing what servicekit's request-id,
    latency-histogram and last-resort error layers do for every service (`front.py`), without FastAPI's
    routing in between (measured: it cost the proxied path about a tenth of its throughput)."""

    def __init__(self, app: FastAPI, proxy: Proxy, proxied: ProxiedRequests, console: ConsoleFiles) -> None:
        self.fastapi = app
        self.state = app.state
        self.proxy = proxy
        self.console = console
        self._proxied = proxied

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.console.handles(scope["path"]):
            await self.console(scope, receive, send)
        elif scope["type"] == "http" and scope["path"] not in OWN_PATHS:
            await self._proxied(scope, receive, send)
        else:
            await self.fastapi(scope, receive, send)
