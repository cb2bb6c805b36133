"""One trace id end to end: the gateway's request that records a reading, production's handler, the event it writes
to its outbox, NATS and compliance's consumer on the other side (docs/architecture.md#observability).

The services in this process share the global tracer provider (servicekit's `configure_observability` installs
it once per process, or keeps one already there); this module makes sure it is an SDK provider, adds an in-memory
exporter to it and gives the same provider to the gateway, which makes spans when a provider is configured, as
it does with OTLP export in production.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from wellflow_devstack.stack import StackConfig
from wellflow_devstack.trace_receiver import OtlpReceiver
from wellflow_devstack.trace_store import TraceStore
from wellflow_servicekit.testing import until

ROOT = Path(__file__).resolve().parents[2]
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


# --------------------------------------------------------------------------- through the dev stack's receiver


class _AsItsService(SpanExporter):
    """Sends spans over OTLP as separate service processes would: each under its own service's resource.

    In this process every service shares one tracer provider, hence one resource; under `wellflow up` each
    process has its own. The service of a span is read from what it is: the gateway's scope, the port of a
    service's server span, a consumer's group (`<service>-<handler>`), the producer in a published event's type.
    """

    def __init__(self, inner: SpanExporter, ports: dict[int, str]) -> None:
        self.inner = inner
        self.ports = ports

    def _service(self, span: ReadableSpan) -> str | None:
        attributes = span.attributes or {}
        if span.instrumentation_scope is not None and span.instrumentation_scope.name == "wellflow_gateway":
            return "gateway"
        if span.kind == SpanKind.SERVER and attributes.get("server.port") in self.ports:
            return self.ports[int(attributes["server.port"])]
        if span.kind == SpanKind.CONSUMER and attributes.get("messaging.consumer.group.name"):
            return str(attributes["messaging.consumer.group.name"]).split("-", 1)[0]
        if span.kind == SpanKind.PRODUCER and attributes.get("wellflow.event_type"):
            return str(attributes["wellflow.event_type"]).split(".", 1)[0]
        return None

    def export(self, spans):  # type: ignore[no-untyped-def]
        relabelled = []
        for span in spans:
            service = self._service(span)
            if service is None:
                relabelled.append(span)
                continue
            relabelled.append(
                ReadableSpan(
                    name=span.name,
                    context=span.context,
                    parent=span.parent,
                    resource=Resource.create({"service.name": f"wellflow-{service}"}),
                    attributes=span.attributes,
                    events=span.events,
                    links=span.links,
                    kind=span.kind,
                    status=span.status,
                    start_time=span.start_time,
                    end_time=span.end_time,
                    instrumentation_scope=span.instrumentation_scope,
                )
            )
        return self.inner.export(relabelled)

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class _Switch(SpanProcessor):
    """Forwards finished spans to a processor while a test wants them (a provider keeps its processors)."""

    def __init__(self) -> None:
        self.inner: SpanProcessor | None = None

    def on_end(self, span: ReadableSpan) -> None:
        if self.inner is not None:
            self.inner.on_end(span)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis) if self.inner is not None else True


_SWITCH = _Switch()


@pytest.fixture
def wellflow_home(tmp_path, gateway_tracer_provider, e2e_stack) -> Iterator[Path]:
    """A dev stack's home whose OTLP receiver gets this process's spans, through a batch span processor and the
    OTLP/HTTP exporter, as `wellflow up`'s services send them."""
    home = tmp_path / "home"
    config = StackConfig.from_env({"WELLFLOW_HOME": str(home)}, root=ROOT)
    receiver = OtlpReceiver(TraceStore(config.traces_file), port=0)
    receiver.start()
    if not getattr(gateway_tracer_provider, "_wellflow_e2e_switch", False):
        gateway_tracer_provider.add_span_processor(_SWITCH)
        gateway_tracer_provider._wellflow_e2e_switch = True  # type: ignore[attr-defined]
    holder: dict[str, Any] = {}

    def exporter_for_ports() -> None:
        ports = {int(url.rsplit(":", 1)[1]): name for name, urls in e2e_stack["service_urls"].items() for url in urls}
        exporter = OTLPSpanExporter(endpoint=f"{receiver.url}/v1/traces")
        holder["processor"] = _SWITCH.inner = BatchSpanProcessor(
            _AsItsService(exporter, ports), schedule_delay_millis=200
        )

    holder["start"] = exporter_for_ports
    yield home, holder
    processor = _SWITCH.inner
    _SWITCH.inner = None
    if processor is not None:
        processor.shutdown()
    receiver.stop()
    receiver.store.close()


def _wellflow(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WELLFLOW_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "wellflow_devstack", "trace", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_wellflow_trace_shows_a_readings_trace_from_the_gateway_to_compliances_consumer(
    gateway: httpx.AsyncClient, sign_up, wellflow_home
):
    home, holder = wellflow_home
    holder["start"]()  # the services run: their ports are known
    found, spans = await _record_a_reading(gateway, sign_up)
    trace_id = found["trace_id"]
    store = TraceStore(StackConfig.from_env({"WELLFLOW_HOME": str(home)}, root=ROOT).traces_file)

    def received() -> bool | None:
        names = {(s.service, s.kind) for s in store.trace(trace_id)}
        wanted = {
            ("wellflow-gateway", "SERVER"),
            ("wellflow-production", "SERVER"),
            ("wellflow-production", "PRODUCER"),
            ("wellflow-compliance", "CONSUMER"),
        }
        return True if wanted <= names else None

    holder["processor"].force_flush()
    await until(lambda: asyncio.sleep(0, received()), 30, "the trace's spans at the OTLP receiver", every=0.2)
    store.close()

    shown = await asyncio.to_thread(_wellflow, home, trace_id[:12], "--logs")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith(f"trace {trace_id}: ")

    def line_of(*parts: str) -> tuple[int, int]:
        """(index, column where the span's text starts) of the first line that has every part."""
        for index, line in enumerate(lines):
            if all(part in line for part in parts):
                return index, line.index("wellflow-")
        raise AssertionError(f"no line with {parts}:\n{shown.stdout}")

    gateway_at = line_of("wellflow-gateway POST /api/v1/readings (SERVER)")
    handler_at = line_of("└─ wellflow-production POST /api/v1/readings (SERVER) 201")
    publish_at = line_of("wellflow-production publish production.lease_month_updated.v1 (PRODUCER) ->")
    consumer_at = line_of(
        "wellflow-compliance production.lease_month_updated.v1 process (CONSUMER) consumer compliance-"
    )
    # the tree: each one line below and one step to the right of its parent, the gateway's at the top
    assert gateway_at[0] < handler_at[0] < publish_at[0] < consumer_at[0]
    assert gateway_at[1] < handler_at[1] < publish_at[1] < consumer_at[1]
    assert "not received" not in shown.stdout

    reading_id = None
    for span in spans:
        for event in span.events:
            if event.name == "event recorded" and event.attributes.get("wellflow.event_type") == (
                "production.reading_recorded.v1"
            ):
                reading_id = event.attributes["wellflow.reading_id"]
    assert reading_id is not None, "the request's span names the reading it recorded"
    found_by_reading = await asyncio.to_thread(_wellflow, home, "--find", str(reading_id))
    assert found_by_reading.returncode == 0 and trace_id in found_by_reading.stdout

    slow = await asyncio.to_thread(_wellflow, home, "--slow", "--slower-than", "0")
    assert slow.returncode == 0 and trace_id in slow.stdout
    assert "wellflow-gateway POST /api/v1/readings (SERVER) 201" in slow.stdout
