"""The app factory: probes, request ids, per-app Prometheus metrics, lifespan hooks, server spans."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from fastapi import APIRouter, FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from wellflow_servicekit.context import request_id_var
from wellflow_servicekit.http import create_app
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.settings import ServiceSettings
from wellflow_servicekit.telemetry import current_traceparent

from .conftest import running

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

wells = APIRouter(prefix="/wells", tags=["wells"])


@wells.get("/{well_id}")
async def get_well(well_id: int) -> dict[str, object]:
    return {"id": well_id, "request_id": request_id_var.get(), "traceparent": current_traceparent()}


api = APIRouter(prefix="/api/v1")
api.include_router(wells)


def make_app(settings: ServiceSettings, **kwargs) -> FastAPI:
    kwargs.setdefault("metrics", Metrics())
    return create_app(settings=settings, title="wells", version="1.2.3", routers=[api], **kwargs)


async def test_liveness_answers_while_the_loop_runs(settings: ServiceSettings) -> None:
    async with running(make_app(settings)) as client:
        response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_reports_each_check_when_all_pass(settings: ServiceSettings) -> None:
    async def database() -> None:
        await asyncio.sleep(0)

    async def nats() -> None:
        return None

    app = make_app(settings, readiness_checks={"database": database, "nats": nats})
    async with running(app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "nats": "ok",
    }


async def test_readiness_is_503_naming_the_failed_and_the_hung_checks(settings: ServiceSettings) -> None:
    async def database() -> None:
        raise ConnectionRefusedError("connection refused by 10.0.0.5:5432")

    async def nats() -> None:
        await asyncio.sleep(30)

    async def relay_lag() -> None:
        return None

    app = make_app(
        settings,
        readiness_checks={"database": database, "nats": nats, "relay_lag": relay_lag},
        readiness_timeout=0.05,
    )
    async with running(app) as client:
        started = asyncio.get_running_loop().time()
        response = await client.get("/health/ready")
        elapsed = asyncio.get_running_loop().time() - started
    assert elapsed < 1, "the checks run concurrently and are cut off at the timeout"
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://wellflow.dev/problems/not-ready"
    checks = body["checks"]
    assert checks["database"]["status"] == "failed"
    assert checks["database"]["error"] == "ConnectionRefusedError: connection refused by 10.0.0.5:5432"
    assert checks["nats"] == {
        "status": "failed",
        "duration_ms": checks["nats"]["duration_ms"],
        "error": "no answer within 0.05s",
    }
    assert checks["relay_lag"]["status"] == "ok"
    assert "database" in body["detail"] and "nats" in body["detail"] and "relay_lag" not in body["detail"]


async def test_readiness_fails_until_startup_completes(settings: ServiceSettings) -> None:
    async with running(make_app(settings), lifespan=False) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["detail"] == "The service is starting up or shutting down."


async def test_lifespan_hooks_start_in_order_stop_in_reverse_after_readiness_drops(
    settings: ServiceSettings,
) -> None:
    events: list[str] = []
    app: FastAPI

    def hook(name: str):
        @asynccontextmanager
        async def run() -> AsyncIterator[None]:
            events.append(f"start {name}")
            yield
            events.append(f"stop {name} (ready={app.state.ready})")

        return run

    app = make_app(settings, lifespan_hooks=[hook("database"), hook("broker"), hook("relay")])
    async with running(app) as client:
        assert (await client.get("/health/ready")).status_code == 200
        events.append("serving")
    assert events == [
        "start database",
        "start broker",
        "start relay",
        "serving",
        "stop relay (ready=False)",
        "stop broker (ready=False)",
        "stop database (ready=False)",
    ]


async def test_a_failing_hook_unwinds_the_ones_already_started(settings: ServiceSettings) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def database() -> AsyncIterator[None]:
        events.append("database up")
        try:
            yield
        finally:
            events.append("database down")

    @asynccontextmanager
    async def broker() -> AsyncIterator[None]:
        raise OSError("nats unreachable")
        yield

    app = make_app(settings, lifespan_hooks=[database, broker])
    with pytest.raises(OSError, match="nats unreachable"):
        async with running(app):
            pass
    assert events == ["database up", "database down"]


async def test_a_sane_incoming_request_id_is_kept_and_used_in_logs_context(settings: ServiceSettings) -> None:
    async with running(make_app(settings)) as client:
        response = await client.get("/api/v1/wells/7", headers={"X-Request-ID": "gw-01J9Z8-abc.def"})
    assert response.headers["x-request-id"] == "gw-01J9Z8-abc.def"
    assert response.json()["request_id"] == "gw-01J9Z8-abc.def"
    assert request_id_var.get() is None, "the request id must not leak out of the request"


@pytest.mark.parametrize("incoming", [None, "", "x" * 129, "bad id with spaces", "<script>", "-leading-dash"])
async def test_a_missing_or_odd_request_id_is_replaced_by_a_uuid(
    settings: ServiceSettings, incoming: str | None
) -> None:
    headers = {"X-Request-ID": incoming} if incoming is not None else {}
    async with running(make_app(settings)) as client:
        response = await client.get("/api/v1/wells/7", headers=headers)
    assert UUID_PATTERN.match(response.headers["x-request-id"])
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_latency_is_labelled_by_route_template_not_raw_path(settings: ServiceSettings) -> None:
    app = make_app(settings)
    async with running(app) as client:
        for well_id in (41, 42, 43):
            await client.get(f"/api/v1/wells/{well_id}")
        await client.get("/api/v1/wells/not-a-number")
        await client.get("/wp-admin/setup.php")
    registry = app.state.metrics.registry

    def count(route: str, status: str) -> float | None:
        return registry.get_sample_value(
            "http_request_duration_seconds_count", {"method": "GET", "route": route, "status": status}
        )

    assert count("/api/v1/wells/{well_id}", "200") == 3
    assert count("/api/v1/wells/{well_id}", "422") == 1
    assert count("unmatched", "404") == 1
    assert count("/api/v1/wells/41", "200") is None


async def test_metrics_serves_the_apps_own_registry_in_prometheus_text(settings: ServiceSettings) -> None:
    first = make_app(settings)
    second = make_app(settings)
    first.state.metrics.outbox_backlog.set(12)
    second.state.metrics.outbox_backlog.set(3)
    async with running(first) as client:
        await client.get("/api/v1/wells/1")
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert "outbox_backlog 12.0" in text
    assert 'http_request_duration_seconds_count{method="GET",route="/api/v1/wells/{well_id}",status="200"} 1.0' in text
    assert "# TYPE consumer_handled_total counter" in text


async def test_metrics_negotiates_openmetrics_for_prometheus(settings: ServiceSettings) -> None:
    async with running(make_app(settings)) as client:
        response = await client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


async def test_openapi_documents_the_routes_but_not_the_probes(settings: ServiceSettings) -> None:
    async with running(make_app(settings)) as client:
        document = (await client.get("/openapi.json")).json()
    assert document["info"] == {"title": "wells", "version": "1.2.3"}
    assert "/api/v1/wells/{well_id}" in document["paths"]
    assert not any(path.startswith(("/health", "/metrics")) for path in document["paths"])


async def test_operation_ids_are_the_service_and_the_handler(settings: ServiceSettings) -> None:
    """Not FastAPI's `get_well_api_v1_wells__well_id__get`: generated clients name their functions by it."""
    async with running(make_app(settings)) as client:
        document = (await client.get("/openapi.json")).json()
    assert document["paths"]["/api/v1/wells/{well_id}"]["get"]["operationId"] == f"{settings.service_name}_get_well"


async def test_a_trailing_slash_is_a_404_not_a_redirect_naming_the_internal_host(settings: ServiceSettings) -> None:
    """FastAPI's redirect_slashes answered 307 with `Location: http://<the Host it saw>/api/v1/wells/7`:
    behind the gateway, the service's internal name."""
    async with running(make_app(settings)) as client:
        response = await client.get("/api/v1/wells/7/", headers={"host": "wells.internal:8102"})
        assert (await client.get("/api/v1/wells/7")).status_code == 200
    assert response.status_code == 404
    assert "location" not in response.headers
    assert "wells.internal" not in response.text


async def test_a_server_span_continues_the_callers_trace(settings: ServiceSettings) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = make_app(settings, tracer_provider=provider)
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    caller_span = "00f067aa0ba902b7"
    async with running(app) as client:
        response = await client.get(
            "/api/v1/wells/9",
            headers={"traceparent": f"00-{caller_trace}-{caller_span}-01", "X-Request-ID": "req-trace-1"},
        )
        await client.get("/health/live")
        await client.get("/metrics")
    (span,) = exporter.get_finished_spans()
    assert span.name == "GET /api/v1/wells/{well_id}"
    assert span.kind == SpanKind.SERVER
    assert format(span.context.trace_id, "032x") == caller_trace
    assert span.parent is not None and format(span.parent.span_id, "016x") == caller_span
    assert span.attributes["http.route"] == "/api/v1/wells/{well_id}"
    assert span.attributes["http.response.status_code"] == 200
    assert span.attributes["wellflow.request_id"] == "req-trace-1"
    # Code inside the request sees the server span, so what it records (an outbox row) continues the trace.
    assert response.json()["traceparent"].startswith(f"00-{caller_trace}-{format(span.context.span_id, '016x')}-")


async def test_uvicorns_access_log_line_carries_the_requests_trace_and_request_id(settings: ServiceSettings) -> None:
    """The line a person greps first (uvicorn's access log, through configure_logging) names the trace and the
    request, as the handler's own lines do."""
    import asyncio
    import io
    import json
    import logging
    import socket

    import httpx
    import uvicorn
    from opentelemetry.sdk.trace import TracerProvider

    from wellflow_servicekit.telemetry import configure_logging

    stream = io.StringIO()
    handler = configure_logging(settings, stream=stream)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = make_app(settings, tracer_provider=TracerProvider())
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=True))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"http://127.0.0.1:{port}/api/v1/wells/7",
                headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01", "x-request-id": "req-access-1"},
            )
    finally:
        server.should_exit = True
        await task
        sock.close()
        logging.getLogger().removeHandler(handler)
    assert answer.status_code == 200
    (access,) = [json.loads(line) for line in stream.getvalue().splitlines() if '"logger": "uvicorn.access"' in line]
    assert "GET /api/v1/wells/7" in access["message"]
    assert (access["trace_id"], access["request_id"], access["service"]) == (trace_id, "req-access-1", "wells")
    assert access["span_id"] == answer.json()["traceparent"].split("-")[2]  # the service's server span
