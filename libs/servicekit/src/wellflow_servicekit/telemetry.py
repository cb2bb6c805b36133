"""Traces and logs: one trace id from the gateway through a service, its outbox, NATS and the consumer.

`setup_telemetry` builds the tracer provider a service uses. Spans are always real (recorded, with real
ids) even with no collector configured, so a `traceparent` written into an outbox row or a NATS header
links the consumer's work to the request that caused it; they are exported over OTLP/HTTP only when
OTEL_EXPORTER_OTLP_ENDPOINT is set. HTTP server spans come from FastAPI's native OpenTelemetry support,
wired in `http.create_app`; this module gives the outbox and the consumers `current_traceparent()` and
`context_from_traceparent()` to carry the context across the bus.

`configure_logging` sends one JSON object per line to stdout (or readable text for people), each carrying
the service, trace and span ids, request id and tenant of the code that logged it, and inside an event
consumer the event's id, type and subject (docs/tracing.md, "Logs").

`event_span_attributes` names the ids an event carries (`wellflow.reading_id`, `wellflow.well_id`, ...) so the
span that recorded it and the spans that consumed it can be found by any of them (`wellflow trace --find`).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from wellflow_servicekit.context import event_var, request_id_var, tenant_id_var
from wellflow_servicekit.settings import ServiceSettings

_PROPAGATOR = TraceContextTextMapPropagator()


def service_resource_name(settings: ServiceSettings) -> str:
    """The OpenTelemetry `service.name`: `wellflow-<service>`, as dashboards and the gateway expect."""
    return f"wellflow-{settings.service_name}"


def setup_telemetry(
    settings: ServiceSettings,
    *,
    service_version: str | None = None,
    span_processors: Sequence[SpanProcessor] = (),
    set_global: bool = True,
) -> TracerProvider:
    """Build the service's tracer provider; call once from bootstrap and `shutdown()` it on exit.

    `span_processors` lets tests add e.g. `SimpleSpanProcessor(InMemorySpanExporter())`. With
    `set_global=False` the provider is only returned (tests, several apps in one process): pass it to
    `create_app(tracer_provider=...)` and use `provider.get_tracer(...)` explicitly.
    """
    attributes: dict[str, Any] = {
        "service.name": service_resource_name(settings),
        "service.namespace": "wellflow",
    }
    if service_version:
        attributes["service.version"] = service_version
    provider = TracerProvider(resource=Resource.create(attributes))
    if settings.otel_exporter_otlp_endpoint:
        # Imported lazily: the exporter pulls in protobuf, which a service without a collector never needs.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_traces_url(settings))))
    for processor in span_processors:
        provider.add_span_processor(processor)
    if set_global:
        trace.set_tracer_provider(provider)
    return provider


def otlp_traces_url(settings: ServiceSettings) -> str:
    """OTEL_EXPORTER_OTLP_ENDPOINT is a base URL (as in the OTel spec); traces go to `<base>/v1/traces`."""
    endpoint = (settings.otel_exporter_otlp_endpoint or "").rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else f"{endpoint}/v1/traces"


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the current span, or None outside any span (store it beside an event)."""
    return trace_headers().get("traceparent")


def trace_headers() -> dict[str, str]:
    """`traceparent` and, when there is one, `tracestate` of the current span, ready to use as headers."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def span_headers(span: trace.Span) -> dict[str, str]:
    """`traceparent` (and `tracestate`) naming ``span`` as the parent, for a message sent inside it."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
    return carrier


def context_from_traceparent(traceparent: str | None, tracestate: str | None = None) -> Context:
    """A context whose parent is the given remote span, for `tracer.start_as_current_span(context=...)`.

    Built from an empty context, not the current one: a consumer's span must continue the producer's
    trace, not whatever happened to be current in the consumer. A missing or malformed traceparent
    gives an empty context, so the consumer starts a new trace instead of failing the message.
    """
    if not traceparent:
        return Context()
    carrier = {"traceparent": traceparent}
    if tracestate:
        carrier["tracestate"] = tracestate
    return _PROPAGATOR.extract(carrier, context=Context())


def event_span_attributes(event: Any) -> dict[str, str]:
    """``wellflow.<name>`` for each top-level ``<name>_id`` field of an event that holds an id (a UUID or a
    string), beside its id and type: what a span that recorded or consumed it is found by."""
    attributes = {"wellflow.event_id": str(event.event_id), "wellflow.event_type": str(event.type)}
    for name in type(event).model_fields:
        if name.endswith("_id") and name not in ("event_id", "tenant_id"):
            value = getattr(event, name, None)
            if isinstance(value, UUID | str) and value:
                attributes[f"wellflow.{name}"] = str(value)
    return attributes


def consumer_span_attributes(event: Any, subject: str, consumer: str, delivered: int) -> dict[str, Any]:
    """A consumer span's attributes (OpenTelemetry's messaging conventions, and the event's ids)."""
    return {
        "messaging.system": "nats",
        "messaging.destination.name": subject,
        "messaging.consumer.group.name": consumer,
        "messaging.message.id": str(event.event_id),
        "messaging.message.delivery_count": delivered,
        "wellflow.tenant_id": str(event.tenant_id),
        **event_span_attributes(event),
    }


def record_event_on_span(event: Any, subject: str) -> None:
    """A span event "event recorded" on the current span (the request or consumer that recorded ``event`` in
    its unit of work), naming the event and the ids it carries. Nothing outside a recording span."""
    span = trace.get_current_span()
    if span.is_recording():
        span.add_event("event recorded", {**event_span_attributes(event), "messaging.destination.name": subject})


# --- logging -------------------------------------------------------------------------------------

_CONTEXT_FIELDS = ("service", "trace_id", "span_id", "request_id", "tenant_id")
_EVENT_FIELDS = ("event_id", "event_type", "subject")  # written only inside an event consumer
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    *_CONTEXT_FIELDS,
    *_EVENT_FIELDS,
}


class ContextFilter(logging.Filter):
    """Stamps each record with the service and the ids current where it was logged, not where written."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "service", None) is None:
            record.service = self.service
        span_context = trace.get_current_span().get_span_context()
        if getattr(record, "trace_id", None) is None:
            record.trace_id = format(span_context.trace_id, "032x") if span_context.is_valid else None
        if getattr(record, "span_id", None) is None:
            record.span_id = format(span_context.span_id, "016x") if span_context.is_valid else None
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "tenant_id", None) is None:
            tenant = tenant_id_var.get()
            record.tenant_id = str(tenant) if tenant is not None else None
        event = event_var.get()
        for name in _EVENT_FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, getattr(event, name) if event is not None else None)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; `extra={...}` fields are kept as top-level members."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _CONTEXT_FIELDS:
            entry[name] = getattr(record, name, None)
        for name in _EVENT_FIELDS:
            if getattr(record, name, None) is not None:
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal, with the ids that are set appended in brackets."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-8s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{name}={getattr(record, name)}"
            for name in ("request_id", "tenant_id", "trace_id", "event_id")
            if getattr(record, name, None) is not None
        ]
        if not ids:
            return line
        first, newline, rest = line.partition("\n")
        return f"{first} [{' '.join(ids)}]{newline}{rest}"


def configure_logging(settings: ServiceSettings, *, stream: IO[str] | None = None) -> logging.Handler:
    """Route all logging (uvicorn's included) through one stdout handler in LOG_FORMAT at LOG_LEVEL.

    Safe to call again: it replaces the handler it installed before and leaves others (pytest's) alone.
    Returns the handler so a caller can remove it.
    """
    handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
    handler.addFilter(ContextFilter(settings.service_name))
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    handler._wellflow = True  # type: ignore[attr-defined]

    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_wellflow", False):
            root.removeHandler(existing)
            existing.close()
    root.addHandler(handler)
    root.setLevel(settings.log_level_number)
    # uvicorn installs its own handlers when it configures logging; send its records through ours.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
        uvicorn_logger.setLevel(logging.NOTSET)  # LOG_LEVEL on the root decides, not the INFO uvicorn set
    return handler
