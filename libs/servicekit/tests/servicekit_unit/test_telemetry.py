"""Trace context across the bus, and logs that carry the ids needed to follow one request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Literal
from uuid import UUID

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from wellflow_contracts import IntegrationEvent
from wellflow_servicekit.context import EventContext, event_var, request_id_var, tenant_id_var
from wellflow_servicekit.settings import ServiceSettings
from wellflow_servicekit.telemetry import (
    configure_logging,
    context_from_traceparent,
    current_traceparent,
    event_span_attributes,
    otlp_traces_url,
    record_event_on_span,
    setup_telemetry,
    trace_headers,
)

from .conftest import make_settings

TENANT = UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d9e")


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer(settings: ServiceSettings, exporter: InMemorySpanExporter):
    provider = setup_telemetry(settings, span_processors=[SimpleSpanProcessor(exporter)], set_global=False)
    yield provider.get_tracer("test")
    provider.shutdown()


def test_spans_are_real_and_named_for_the_service_without_a_collector(tracer, exporter) -> None:
    with tracer.start_as_current_span("record daily production"):
        pass
    (span,) = exporter.get_finished_spans()
    assert span.resource.attributes["service.name"] == "wellflow-wells"
    assert span.context.trace_id != 0


def test_the_otlp_endpoint_is_a_base_url_as_in_the_otel_spec() -> None:
    assert otlp_traces_url(make_settings(otel_exporter_otlp_endpoint="http://collector:4318")) == (
        "http://collector:4318/v1/traces"
    )
    assert otlp_traces_url(make_settings(otel_exporter_otlp_endpoint="http://collector:4318/v1/traces/")) == (
        "http://collector:4318/v1/traces"
    )


def test_an_otlp_exporter_is_added_when_an_endpoint_is_set() -> None:
    provider = setup_telemetry(make_settings(otel_exporter_otlp_endpoint="http://127.0.0.1:9/"), set_global=False)
    processors = provider._active_span_processor._span_processors
    assert [type(p).__name__ for p in processors] == ["BatchSpanProcessor"]
    provider.shutdown()


def test_there_is_no_traceparent_outside_a_span() -> None:
    assert current_traceparent() is None
    assert trace_headers() == {}


def test_a_traceparent_carried_in_an_event_continues_the_trace_in_the_consumer(tracer, exporter) -> None:
    with tracer.start_as_current_span("POST /api/v1/readings") as request_span:
        traceparent = current_traceparent()
    assert traceparent is not None
    version, trace_id, span_id, flags = traceparent.split("-")
    assert (version, trace_id, span_id) == (
        "00",
        f"{request_span.get_span_context().trace_id:032x}",
        f"{request_span.get_span_context().span_id:016x}",
    )
    assert int(flags, 16) & 0x01, "sampled"
    # Later, elsewhere, with some unrelated span current: the consumer must follow the event, not it.
    with tracer.start_as_current_span("unrelated poll loop"):
        parent = context_from_traceparent(traceparent)
        with tracer.start_as_current_span("handle ReadingRecorded", context=parent, kind=SpanKind.CONSUMER):
            pass
    consumer = next(s for s in exporter.get_finished_spans() if s.name == "handle ReadingRecorded")
    assert consumer.context.trace_id == request_span.get_span_context().trace_id
    assert consumer.parent.span_id == request_span.get_span_context().span_id


@pytest.mark.parametrize(
    "traceparent", [None, "", "00-garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"]
)
def test_a_missing_or_malformed_traceparent_starts_a_new_trace(tracer, exporter, traceparent) -> None:
    with tracer.start_as_current_span("handle", context=context_from_traceparent(traceparent)):
        pass
    (span,) = exporter.get_finished_spans()
    assert span.parent is None


def test_tracestate_travels_with_the_traceparent(tracer) -> None:
    parent = context_from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=abc")
    with tracer.start_as_current_span("handle", context=parent):
        headers = trace_headers()
    assert headers["traceparent"].startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert headers["tracestate"] == "vendor=abc"


@pytest.fixture
def log_output() -> Iterator[tuple[io.StringIO, list[logging.Handler]]]:
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    installed: list[logging.Handler] = []
    yield stream, installed
    for handler in installed:
        root.removeHandler(handler)
    root.setLevel(level)


def test_json_logs_carry_service_trace_request_and_tenant(tracer, log_output) -> None:
    stream, installed = log_output
    installed.append(configure_logging(make_settings(log_level="DEBUG"), stream=stream))
    log = logging.getLogger("wellflow_wells.app.record_reading")
    request_token = request_id_var.set("req-77")
    tenant_token = tenant_id_var.set(TENANT)
    try:
        with tracer.start_as_current_span("record") as span:
            log.info("recorded %s readings", 3, extra={"lease": "08-12345"})
            try:
                raise ValueError("oil volume cannot be negative")
            except ValueError:
                log.exception("reading rejected")
    finally:
        tenant_id_var.reset(tenant_token)
        request_id_var.reset(request_token)
    log.debug("outside any request")

    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    span_context = span.get_span_context()
    assert first["message"] == "recorded 3 readings"
    assert first["level"] == "INFO"
    assert first["logger"] == "wellflow_wells.app.record_reading"
    assert first["service"] == "wells"
    assert first["trace_id"] == f"{span_context.trace_id:032x}"
    assert first["span_id"] == f"{span_context.span_id:016x}"
    assert first["request_id"] == "req-77"
    assert first["tenant_id"] == str(TENANT)
    assert first["lease"] == "08-12345"
    assert first["timestamp"].endswith("Z")
    assert "Traceback" in second["exception"] and "oil volume cannot be negative" in second["exception"]
    assert (third["trace_id"], third["request_id"], third["tenant_id"]) == (None, None, None)


def test_text_logs_are_for_people(log_output) -> None:
    stream, installed = log_output
    installed.append(configure_logging(make_settings(log_format="text"), stream=stream))
    token = request_id_var.set("req-88")
    try:
        logging.getLogger("wellflow_wells").warning("lease %s has no battery", "08-12345")
    finally:
        request_id_var.reset(token)
    line = stream.getvalue().strip()
    assert "WARNING" in line and "lease 08-12345 has no battery" in line and "[request_id=req-88]" in line
    assert not line.startswith("{")


def test_configuring_logging_twice_leaves_one_handler(log_output) -> None:
    stream, installed = log_output
    installed.append(configure_logging(make_settings(), stream=stream))
    installed.append(configure_logging(make_settings(log_level="WARNING"), stream=stream))
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_wellflow", False)]
    assert ours == [installed[-1]]
    assert logging.getLogger().level == logging.WARNING


class WellNoted(IntegrationEvent):
    """A test event carrying ids."""

    type: Literal["kitunit.well_noted.v1"] = "kitunit.well_noted.v1"
    well_id: UUID
    lease_id: UUID | None = None
    reading_id: str = ""
    note: str = "gauge checked"


def test_an_event_names_the_ids_it_carries_for_its_spans() -> None:
    well = UUID("0190f5a2-7c1e-7b3a-9d2e-000000000001")
    event = WellNoted(tenant_id=TENANT, well_id=well, reading_id="r-9")

    assert event_span_attributes(event) == {
        "wellflow.event_id": str(event.event_id),
        "wellflow.event_type": "kitunit.well_noted.v1",
        "wellflow.well_id": str(well),
        "wellflow.reading_id": "r-9",  # lease_id is None and the tenant has its own attribute: left out
    }


def test_a_recorded_event_is_a_span_event_of_the_current_span(tracer, exporter) -> None:
    event = WellNoted(tenant_id=TENANT, well_id=TENANT)
    record_event_on_span(event, "wellflow.evt.t.kitunit.well_noted.v1")  # outside any span: nothing, no error
    with tracer.start_as_current_span("POST /api/v1/notes"):
        record_event_on_span(event, "wellflow.evt.t.kitunit.well_noted.v1")
    (span,) = exporter.get_finished_spans()
    (recorded,) = span.events
    assert recorded.name == "event recorded"
    assert recorded.attributes["wellflow.event_id"] == str(event.event_id)
    assert recorded.attributes["messaging.destination.name"] == "wellflow.evt.t.kitunit.well_noted.v1"


def test_log_lines_inside_a_consumer_carry_the_event(tracer, log_output) -> None:
    stream, installed = log_output
    installed.append(configure_logging(make_settings(), stream=stream))
    token = event_var.set(EventContext("e-1", "kitunit.well_noted.v1", "wellflow.evt.t.kitunit.well_noted.v1"))
    try:
        with tracer.start_as_current_span("process"):
            logging.getLogger("kit").info("applying")
    finally:
        event_var.reset(token)
    logging.getLogger("kit").info("after")
    inside, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (inside["event_id"], inside["event_type"], inside["subject"]) == (
        "e-1",
        "kitunit.well_noted.v1",
        "wellflow.evt.t.kitunit.well_noted.v1",
    )
    assert inside["trace_id"] is not None
    assert not {"event_id", "event_type", "subject"} & set(after)


def test_head_sampling_is_set_by_the_standard_variables_and_followed_downstream(settings, monkeypatch) -> None:
    """OTEL_TRACES_SAMPLER on a process makes its root decisions; a traceparent whose sampled flag is off (one the
    gateway dropped) is followed: no span is recorded, but its ids are there for the logs and the next hop."""
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.1")
    exporter = InMemorySpanExporter()
    provider = setup_telemetry(settings, span_processors=[SimpleSpanProcessor(exporter)], set_global=False)
    assert "TraceIdRatioBased{0.1}" in provider.sampler.get_description()
    tracer = provider.get_tracer("test")
    dropped = context_from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
    with tracer.start_as_current_span("consume", context=dropped) as span:
        assert not span.is_recording()
        assert current_traceparent().startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        assert current_traceparent().endswith("-00")  # passed on as not sampled
    kept = context_from_traceparent("00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    with tracer.start_as_current_span("consume", context=kept):
        pass
    assert [format(s.context.trace_id, "032x") for s in exporter.get_finished_spans()] == [
        "5bf92f3577b34da6a3ce929d0e0e4736"
    ]
