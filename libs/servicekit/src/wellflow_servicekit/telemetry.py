"""Traces and logs: one trace id from the gateway through a service, its outbox, NATS and the consumer.

`setup_telemetry` builds the tracer provider a service uses. Spans are always real (recorded, with real
ids) even with no collector configured, so a `traceparent` written into an outbox row or a NATS header
links the consumer's work to the request that caused it; they are exported over OTLP/HTTP only when
OTEL_EXPORTER_OTLP_ENDPOINT is set. HTTP server spans come from FastAPI's native OpenTelemetry support,
wired in `http.create_app`; this module gives the outbox and the consumers `current_traceparent()` and
`context_from_traceparent()` to carry the context across the bus.

`configure_logging` sends one JSON object per line to stdout (or readable text for people), each carrying
the service, trace and span ids, request id and tenant of the code that logged it.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from wellflow_servicekit.context import request_id_var, tenant_id_var
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


# --- logging -------------------------------------------------------------------------------------

_CONTEXT_FIELDS = ("service", "trace_id", "span_id", "request_id", "tenant_id")
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", *_CONTEXT_FIELDS}


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
            for name in ("request_id", "tenant_id", "trace_id")
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
