"""An OTLP/HTTP trace receiver for the dev stack: ``POST /v1/traces`` with a protobuf
``ExportTraceServiceRequest`` (gzip or not), as OpenTelemetry's exporters send it, stored in a `TraceStore`.

`wellflow up` runs one on 127.0.0.1 (``WELLFLOW_OTLP_PORT``, 54318 by default) in a thread of its own and tells
every service ``OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<port>``, so traces are there to read with
``wellflow trace`` with no collector and no Docker. It follows the OTLP specification's HTTP transport
(https://opentelemetry.io/docs/specs/otlp/#otlphttp) for the protobuf encoding only: JSON is answered with
415, a body that does not decode with 400 (the exporter does not retry either), and a successful export with an
empty ``ExportTraceServiceResponse``.

    receiver = OtlpReceiver(TraceStore(path), port=0)   # 0: a free port
    receiver.start()                                      # receiver.url -> http://127.0.0.1:<port>
    ...
    receiver.stop()
"""

from __future__ import annotations

import gzip
import logging
import threading
import zlib
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

from .trace_store import SpanEvent, SpanLink, SpanRecord, TraceStore

log = logging.getLogger(__name__)

TRACES_PATH = "/v1/traces"
PROTOBUF = "application/x-protobuf"
MAX_BODY_BYTES = 16 * 1024 * 1024  # decompressed; an exporter's batch of 512 spans is well under 1 MB

_KINDS = {
    Span.SPAN_KIND_UNSPECIFIED: "INTERNAL",
    Span.SPAN_KIND_INTERNAL: "INTERNAL",
    Span.SPAN_KIND_SERVER: "SERVER",
    Span.SPAN_KIND_CLIENT: "CLIENT",
    Span.SPAN_KIND_PRODUCER: "PRODUCER",
    Span.SPAN_KIND_CONSUMER: "CONSUMER",
}
_STATUSES = {Status.STATUS_CODE_UNSET: "UNSET", Status.STATUS_CODE_OK: "OK", Status.STATUS_CODE_ERROR: "ERROR"}


class BadRequest(ValueError):
    """A body that is not an OTLP trace export request."""


# ------------------------------------------------------------------------------------------- decoding


def decode_export(body: bytes, content_encoding: str | None = None) -> list[SpanRecord]:
    """The spans of one protobuf ``ExportTraceServiceRequest`` (``content_encoding``: gzip, deflate or none)."""
    data = _inflate(body, (content_encoding or "").strip().lower())
    request = ExportTraceServiceRequest()
    try:
        request.ParseFromString(data)
    except DecodeError as exc:
        raise BadRequest(f"not an OTLP ExportTraceServiceRequest: {exc}") from None
    return list(_spans(request))


def _inflate(body: bytes, encoding: str) -> bytes:
    try:
        if encoding in ("", "identity"):
            data = body
        elif encoding == "gzip":
            data = gzip.decompress(body)
        elif encoding == "deflate":
            data = zlib.decompress(body)
        else:
            raise BadRequest(f"Content-Encoding {encoding!r} is not supported (gzip, deflate or none)")
    except (OSError, zlib.error, EOFError) as exc:
        raise BadRequest(f"the body does not decompress as {encoding}: {exc}") from None
    if len(data) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is over {MAX_BODY_BYTES} bytes")
    return data


def _spans(request: ExportTraceServiceRequest) -> Iterator[SpanRecord]:
    for resource_spans in request.resource_spans:
        resource = attributes_dict(resource_spans.resource.attributes)
        service = str(resource.get("service.name") or "unknown_service")
        for scope_spans in resource_spans.scope_spans:
            scope = scope_spans.scope.name
            for span in scope_spans.spans:
                if len(span.trace_id) != 16 or len(span.span_id) != 8:
                    raise BadRequest(f"span {span.name!r} has an invalid trace or span id")
                yield SpanRecord(
                    trace_id=span.trace_id.hex(),
                    span_id=span.span_id.hex(),
                    parent_span_id=span.parent_span_id.hex(),
                    service=service,
                    scope=scope,
                    name=span.name,
                    kind=_KINDS.get(span.kind, "INTERNAL"),
                    start_ns=span.start_time_unix_nano,
                    end_ns=span.end_time_unix_nano,
                    status=_STATUSES.get(span.status.code, "UNSET"),
                    status_message=span.status.message,
                    attributes=attributes_dict(span.attributes),
                    events=tuple(
                        SpanEvent(event.name, event.time_unix_nano, attributes_dict(event.attributes))
                        for event in span.events
                    ),
                    links=tuple(
                        SpanLink(link.trace_id.hex(), link.span_id.hex(), attributes_dict(link.attributes))
                        for link in span.links
                    ),
                )


def attributes_dict(attributes: Any) -> dict[str, Any]:
    """OTLP key-values as a plain dict (arrays as lists, nested key-value lists as dicts, bytes as hex)."""
    return {item.key: any_value(item.value) for item in attributes if isinstance(item, KeyValue)}


def any_value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return attributes_dict(value.kvlist_value.values)
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)


# ------------------------------------------------------------------------------------------- serving


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive: an exporter posts a batch every few hundred milliseconds

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != TRACES_PATH:
            self._answer(HTTPStatus.NOT_FOUND, f"only {TRACES_PATH} is served here")
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self._answer(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required")
            return
        if length < 0 or length > MAX_BODY_BYTES:
            self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"at most {MAX_BODY_BYTES} bytes")
            return
        body = self.rfile.read(length)
        content_type = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if content_type != PROTOBUF:
            self._answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"send {PROTOBUF} (OTLP/HTTP protobuf)")
            return
        try:
            spans = decode_export(body, self.headers.get("Content-Encoding"))
        except BadRequest as exc:
            self._answer(HTTPStatus.BAD_REQUEST, str(exc))
            return
        try:
            self.server.store.add(spans)
        except Exception as exc:  # a locked or full disk: the exporter may retry a 503
            log.warning("could not store %d spans: %s", len(spans), exc)
            self._answer(HTTPStatus.SERVICE_UNAVAILABLE, "the span store is unavailable")
            return
        self.server.received += len(spans)
        self._answer(HTTPStatus.OK, ExportTraceServiceResponse().SerializeToString(), PROTOBUF)

    def do_GET(self) -> None:
        self._answer(HTTPStatus.METHOD_NOT_ALLOWED, f"POST OTLP protobuf to {TRACES_PATH}")

    def _answer(self, status: HTTPStatus, body: bytes | str, content_type: str = "text/plain; charset=utf-8") -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("otlp receiver: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: TraceStore) -> None:
        self.store = store
        self.received = 0
        super().__init__(address, _Handler)


class OtlpReceiver:
    """The receiver in a background thread of this process (`wellflow up`'s, or a test's)."""

    def __init__(self, store: TraceStore, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = store
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL to give exporters as OTEL_EXPORTER_OTLP_ENDPOINT."""
        return f"http://{self.host}:{self.port}"

    @property
    def received(self) -> int:
        return self._server.received if self._server is not None else 0

    def start(self) -> None:
        self._server = _Server((self.host, self.port), self.store)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="otlp-receiver", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
