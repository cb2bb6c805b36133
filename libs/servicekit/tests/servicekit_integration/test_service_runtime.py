"""A whole service process in miniature: HTTP app, database, relay and consumer, one trace end to end."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
from uuid import UUID, uuid4

import httpx
import nats
import pytest
from fastapi import APIRouter, Request
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from wellflow_servicekit.context import tenant_id_var
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings
from wellflow_servicekit.telemetry import configure_logging, setup_telemetry
from wellflow_servicekit.testing import until

from .harness import applied, apply_note
from .sample_events import NoteAdded

SPANS = InMemorySpanExporter()


@pytest.fixture(scope="session")
def tracing():
    provider = trace.get_tracer_provider()
    if not hasattr(provider, "add_span_processor"):
        settings = _settings("postgresql+asyncpg://x@localhost/x", "nats://localhost:1", "wellflow")
        provider = setup_telemetry(settings)
    provider.add_span_processor(SimpleSpanProcessor(SPANS))
    return SPANS


def _settings(database_url: str, nats_url: str, root: str):
    return load_settings(
        service_name="kit",
        database_url=database_url,
        nats_url=nats_url,
        event_subject_root=root,
        jwks_url="http://127.0.0.1:9/.well-known/jwks.json",
        jwt_issuer="wellflow-identity",
        jwt_audience="wellflow",
        consumer_backoff=[0.2],
        consumer_max_deliver=2,
    )


def _notes_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/notes/{tenant}", status_code=201)
    async def add_note(tenant: UUID, request: Request) -> dict[str, str]:
        tenant_id_var.set(tenant)  # as auth.get_principal does with a verified token's organization
        async with runtime.database.unit_of_work(tenant) as uow:
            event = NoteAdded(tenant_id=tenant, well="W-7", seq=1)
            uow.record(event)
        logging.getLogger("kit.http").info("note recorded")
        return {"event_id": str(event.event_id)}

    return router


@pytest.fixture
async def service(sample_db, infra, root, tracing):
    runtime = ServiceRuntime(_settings(sample_db.runtime_url, infra.nats_url, root))

    async def apply_and_log(uow, event: NoteAdded) -> None:
        logging.getLogger("kit.notes").info("applying note %s", event.seq)
        await apply_note(uow, event)

    runtime.consumers.handler("notes", NoteAdded)(apply_and_log)
    app = runtime.create_app(title="kit", version="0", routers=[_notes_router(runtime)])
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://k") as client:
        yield runtime, client


async def test_ready_reports_database_nats_and_outbox(service):
    _, client = service
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "nats": "ok",
        "outbox": "ok",
    }
    assert checks["outbox"]["detail"]["unpublished"] == 0


async def test_one_trace_runs_from_the_http_request_through_the_outbox_and_nats_into_the_consumer(service):
    runtime, client = service
    tenant = uuid4()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = await client.post(
        f"/api/v1/notes/{tenant}", headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    )
    assert response.status_code == 201
    await until(lambda: _applied_count(runtime, tenant, 1))
    consumer_spans = [s for s in SPANS.get_finished_spans() if s.name == "kit.note_added.v1 process"]
    matching = [s for s in consumer_spans if format(s.context.trace_id, "032x") == trace_id]
    assert matching, "the consumer's span did not continue the request's trace"
    assert matching[0].kind == trace.SpanKind.CONSUMER
    assert matching[0].attributes["wellflow.tenant_id"] == str(tenant)


async def test_the_log_lines_of_a_request_and_of_its_event_carry_trace_span_tenant_and_event(service):
    runtime, client = service
    stream = io.StringIO()
    handler = configure_logging(runtime.settings, stream=stream)
    try:
        tenant = uuid4()
        trace_id = "5bf92f3577b34da6a3ce929d0e0e4737"
        response = await client.post(
            f"/api/v1/notes/{tenant}",
            headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01", "x-request-id": "req-log-1"},
        )
        await until(lambda: _applied_count(runtime, tenant, 1))
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    (request_line,) = [line for line in lines if line["message"] == "note recorded"]
    (event_line,) = [line for line in lines if line["message"] == "applying note 1"]
    event_id = response.json()["event_id"]

    spans = {format(s.context.span_id, "016x"): s for s in SPANS.get_finished_spans()}
    request_span, consumer_span = spans[request_line["span_id"]], spans[event_line["span_id"]]
    assert request_line["trace_id"] == event_line["trace_id"] == trace_id
    assert (request_line["request_id"], request_line["service"]) == ("req-log-1", "kit")
    assert request_line["tenant_id"] == event_line["tenant_id"] == str(tenant)
    assert "event_id" not in request_line  # event fields only inside a consumer
    assert event_line["event_id"] == event_id and event_line["event_type"] == "kit.note_added.v1"
    assert event_line["subject"] == f"{runtime.settings.event_subject_root}.evt.{tenant}.kit.note_added.v1"
    # the spans they name: the request's server span recorded the event; the consumer's span names it
    assert request_span.kind == trace.SpanKind.SERVER
    (recorded,) = [e for e in request_span.events if e.name == "event recorded"]
    assert recorded.attributes["wellflow.event_id"] == event_id
    assert recorded.attributes["messaging.destination.name"] == event_line["subject"]
    assert consumer_span.kind == trace.SpanKind.CONSUMER
    assert consumer_span.attributes["wellflow.event_id"] == event_id
    assert consumer_span.attributes["wellflow.inbox"] == "applied"


async def _applied_count(runtime: ServiceRuntime, tenant: UUID, expected: int) -> bool:
    return len(await applied(runtime.database, tenant)) >= expected


async def test_asyncapi_describes_what_the_service_publishes_and_consumes(service):
    _, client = service
    document = (await client.get("/asyncapi.json")).json()
    assert document["asyncapi"] == "3.0.0"
    channel = document["channels"]["kit_note_added_v1"]
    assert channel["address"].endswith(".evt.{tenant_id}.kit.note_added.v1")
    assert document["operations"]["kit-notes"]["action"] == "receive"
    assert document["operations"]["publish_kit_note_added_v1"]["action"] == "send"
    payload = document["components"]["messages"]["kit_note_added_v1"]["payload"]
    assert {"well", "seq", "tenant_id", "event_id"} <= set(payload["properties"])


async def test_metrics_show_the_outbox_and_the_consumer(service):
    runtime, client = service
    tenant = uuid4()
    await client.post(f"/api/v1/notes/{tenant}")
    await until(lambda: _applied_count(runtime, tenant, 1))
    await asyncio.sleep(0.1)
    body = (await client.get("/metrics")).text
    assert "outbox_backlog" in body
    assert 'consumer_handled_total{consumer="kit-notes",outcome="applied"} 1.0' in body
    assert "http_request_duration_seconds_bucket" in body


async def test_ready_fails_naming_nats_while_nats_is_down(service, nats_server):
    nats_server.require_restartable()
    _, client = service
    await asyncio.to_thread(nats_server.stop)
    try:
        response = await client.get("/health/ready")
        assert response.status_code == 503
        checks = response.json()["checks"]
        assert checks["nats"]["status"] == "failed"
        assert checks["database"]["status"] == "ok"
    finally:
        await asyncio.to_thread(nats_server.start)
    await until(lambda: _ready(client), timeout=30)


async def _ready(client) -> bool:
    return (await client.get("/health/ready")).status_code == 200


async def test_the_dead_letters_command_lists_from_the_service_environment(sample_db, infra, root):
    env = {
        **os.environ,
        "SERVICE_NAME": "kit",
        "DATABASE_URL": sample_db.runtime_url,
        "NATS_URL": infra.nats_url,
        "EVENT_SUBJECT_ROOT": root,
    }
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "wellflow_servicekit.dead_letters_cli", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no dead letters"


async def test_the_stream_command_creates_the_stream_idempotently(infra):
    root = f"{infra.subject_root}s{uuid4().hex[:6]}"
    env = {**os.environ, "NATS_URL": infra.nats_url, "EVENT_SUBJECT_ROOT": root}
    for _ in range(2):
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "wellflow_servicekit.stream_cli"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"stream {root.upper()}_EVENTS: subjects {root}.evt.>")
    connection = await nats.connect(infra.nats_url)
    await connection.jetstream().delete_stream(f"{root.upper()}_EVENTS")  # raises if it was never made
    await connection.close()
