"""The gateway's own endpoints (everything else goes through the proxy, see `proxy.py` and `routes.py`):

- `GET /health/live`   200 while the event loop answers;
- `GET /health/ready`  200 once started (the gateway's own readiness: it does not depend on any one
                       upstream, since it must keep answering 503 problems for those that are down);
- `GET /health`        each upstream's `/health/ready`, per cell: 200 with `status` "ok" or "degraded";
- `GET /metrics`       Prometheus: request latency, upstream requests and latency, rejections;
- `GET /openapi.json`  the merged document of all services; `GET /docs` renders it (no external assets).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from prometheus_client.exposition import choose_encoder

from wellflow_gateway.cells import CellRouter
from wellflow_gateway.openapi import DOCS_CSP, DOCS_HTML, OpenApiAggregator
from wellflow_gateway.upstream import Upstream
from wellflow_servicekit.problems import Problem, problem_response

_HEALTH_TIMEOUT = 2.0
OWN_PATHS = frozenset(
    {"/health/live", "/health/ready", "/health", "/metrics", "/openapi.json", "/docs", "/console/session"}
)

router = APIRouter(include_in_schema=False)


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready")
async def ready(request: Request) -> Response:
    metrics = request.app.state.metrics
    if not getattr(request.app.state, "ready", False):
        metrics.readiness(None)
        problem = Problem("The gateway is starting up or shutting down.", status=503, slug="not-ready")
        return problem_response(request, problem)
    metrics.readiness({})
    return JSONResponse({"status": "ready"})


@router.get("/health")
async def health(request: Request) -> Response:
    upstream: Upstream = request.app.state.upstream
    cells: CellRouter = request.app.state.cells
    checks = [(cell, service, url) for cell, services in cells.cells.items() for service, url in services.items()]
    results = await asyncio.gather(*(_upstream_ready(upstream, url) for _, _, url in checks))
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


async def _upstream_ready(upstream: Upstream, base: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with upstream.client().get(
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
