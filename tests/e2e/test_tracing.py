"""One trace id end to end: the gateway's request that records a reading, production's handler, the event it writes
to its outbox, NATS and compliance's consumer on the other side (docs/architecture.md#observability).

The services in this process share the global tracer provider (servicekit's `configure_observability` installs
it once per process, or keeps one already there); this module makes sure it is an SDK provider, adds an in-memory
exporter to it and gives the same provider to the gateway, which makes spans when a provider is configured, as
it does with OTLP export in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from wellflow_servicekit.testing import until

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def gateway_tracer_provider() -> Iterator[TracerProvider]:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):  # no service has started in this process yet
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
        assert trace.get_tracer_provider() is provider
    if not getattr(provider, "_wellflow_e2e_memory", False):  # one processor however many tests run
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        provider._wellflow_e2e_memory = True  # type: ignore[attr-defined]
    _EXPORTER.clear()
    yield provider
    _EXPORTER.clear()


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _trace_id(span: ReadableSpan) -> str:
    return format(span.context.trace_id, "032x")


async def _record_a_reading(gateway: httpx.AsyncClient, sign_up) -> tuple[dict[str, Any], list[ReadableSpan]]:
    """Register a lease and a well, record one reading through the gateway once production knows the well, and
    wait until compliance has consumed the lease-month event it caused; the spans of that request's trace."""
    auth = _bearer((await sign_up("Trace Creek Operating"))["access_token"])
    lease = await gateway.post(
        "/api/v1/leases",
        headers=auth,
        json={"name": "Trace A", "rrc_district": "08", "rrc_lease_number": "31337", "lease_type": "oil"},
    )
    assert lease.status_code == 201, lease.text
    well = await gateway.post(
        "/api/v1/wells",
        headers=auth,
        json={
            "name": "Trace A 1",
            "api_number": "42-329-23001",
            "lease_id": lease.json()["id"],
            "well_type": "oil",
            "purpose": "development",
            "status": "producing",
        },
    )
    assert well.status_code == 201, well.text
    well_id = well.json()["id"]

    async def known() -> bool | None:
        answer = await gateway.get(f"/api/v1/production/wells/{well_id}/monthly", headers=auth)
        return True if answer.status_code == 200 else None

    await until(known, 30, "production to learn the well", every=0.1)
    _EXPORTER.clear()
    day = datetime.now(UTC).date() - timedelta(days=2)
    recorded = await gateway.post(
        "/api/v1/readings",
        headers=auth,
        json={
            "well_id": well_id,
            "production_date": day.isoformat(),
            "oil_bbl": "11.5",
            "gas_mcf": "20",
            "water_bbl": "3",
            "hours_on": "24",
        },
    )
    assert recorded.status_code == 201, recorded.text

    def gateway_span() -> ReadableSpan | None:
        for span in _EXPORTER.get_finished_spans():
            scope = span.instrumentation_scope.name if span.instrumentation_scope else ""
            attributes = span.attributes or {}
            if (scope, attributes.get("wellflow.service"), attributes.get("http.request.method")) == (
                "wellflow_gateway",
                "production",
                "POST",
            ):
                return span
        return None

    first = await until(lambda: asyncio.sleep(0, gateway_span()), 30, "the gateway's span", every=0.1)
    trace_id = _trace_id(first)

    def consumed() -> list[ReadableSpan] | None:
        spans = [s for s in _EXPORTER.get_finished_spans() if _trace_id(s) == trace_id]
        compliance = [
            s
            for s in spans
            if s.kind == SpanKind.CONSUMER
            and str(s.attributes.get("messaging.consumer.group.name", "")).startswith("compliance-")
            and s.name.startswith("production.lease_month_updated.v1")
        ]
        return spans if compliance else None

    spans = await until(
        lambda: asyncio.sleep(0, consumed()), 30, "compliance's consumer span in the request's trace", every=0.1
    )
    return {"trace_id": trace_id, "gateway": first}, spans


async def test_one_trace_id_from_the_gateway_through_production_nats_and_compliance(
    gateway: httpx.AsyncClient, sign_up, e2e_stack
):
    found, spans = await _record_a_reading(gateway, sign_up)
    trace_id = found["trace_id"]
    assert found["gateway"].kind == SpanKind.SERVER and found["gateway"].parent is None  # the trace starts here
    production_port = int(e2e_stack["service_urls"]["production"][0].rsplit(":", 1)[1])
    handlers = [
        s
        for s in spans
        if s.kind == SpanKind.SERVER
        and s.name == "POST /api/v1/readings"
        and (s.instrumentation_scope is None or s.instrumentation_scope.name != "wellflow_gateway")
    ]
    assert len(handlers) == 1, [(s.name, s.instrumentation_scope, dict(s.attributes)) for s in spans]
    handler = handlers[0]
    assert handler.parent is not None and handler.parent.span_id == found["gateway"].context.span_id
    assert handler.attributes["server.port"] == production_port  # production's own server span
    assert handler.attributes["http.response.status_code"] == 201
    consumer = next(
        s
        for s in spans
        if s.kind == SpanKind.CONSUMER
        and str(s.attributes.get("messaging.consumer.group.name", "")).startswith("compliance-")
    )
    assert _trace_id(consumer) == _trace_id(handler) == trace_id
    assert consumer.attributes["messaging.system"] == "nats"
    assert str(consumer.attributes["messaging.destination.name"]).startswith(f"{e2e_stack['subject_root']}.evt.")
    # the consumer continues the request's trace through the event's traceparent header, not a new one: its
    # parent is the relay's publish span, whose parent is the request that recorded the event (the traceparent
    # the outbox row kept)
    assert consumer.parent is not None and consumer.parent.is_remote
    publish = next(s for s in spans if s.context.span_id == consumer.parent.span_id)
    assert publish.kind == SpanKind.PRODUCER and publish.parent is not None
    assert publish.parent.span_id == handler.context.span_id


async def test_the_outbox_publish_to_nats_is_a_span_of_the_same_trace(gateway: httpx.AsyncClient, sign_up):
    found, spans = await _record_a_reading(gateway, sign_up)
    publishes = [s for s in spans if s.kind == SpanKind.PRODUCER and s.attributes.get("messaging.system") == "nats"]
    assert publishes, [(s.name, s.kind) for s in spans]
    assert {_trace_id(s) for s in publishes} == {found["trace_id"]}
