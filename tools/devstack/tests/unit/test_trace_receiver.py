"""The dev stack's OTLP receiver, fed by OpenTelemetry's own OTLP/HTTP exporter (real protobuf over a real socket),
and the span store behind it."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import Link, SpanKind, StatusCode

from wellflow_devstack.trace_receiver import OtlpReceiver, decode_export
from wellflow_devstack.trace_store import AmbiguousTraceId, SpanRecord, TraceStore


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[OtlpReceiver]:
    running = OtlpReceiver(TraceStore(tmp_path / "traces" / "spans.sqlite"), port=0)
    running.start()
    yield running
    running.stop()
    running.store.close()


def _provider(receiver: OtlpReceiver, service: str, compression: Compression = Compression.NoCompression):
    exporter = OTLPSpanExporter(endpoint=f"{receiver.url}/v1/traces", compression=compression)
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def _hex(number: int, digits: int) -> str:
    return format(number, f"0{digits}x")


def test_spans_sent_by_the_otlp_exporter_are_stored_with_their_parents_kinds_and_attributes(receiver) -> None:
    gateway = _provider(receiver, "wellflow-gateway").get_tracer("wellflow_gateway")
    production = _provider(receiver, "wellflow-production", Compression.Gzip).get_tracer("wellflow.outbox")
    with gateway.start_as_current_span("POST /api/v1/readings", kind=SpanKind.SERVER) as request:
        request.set_attribute("http.request.method", "POST")
        with production.start_as_current_span(
            "publish production.reading_recorded.v1",
            kind=SpanKind.PRODUCER,
            attributes={"messaging.destination.name": "wellflow.evt.t.production.reading_recorded.v1", "n": 3},
        ) as publish:
            publish.add_event("event recorded", {"wellflow.reading_id": "0190-r1", "flags": [1, 2]})
            publish.set_status(StatusCode.ERROR, "not acknowledged")
    with production.start_as_current_span(
        "later", links=[Link(publish.get_span_context(), {"why": "batch"})], kind=SpanKind.CONSUMER
    ) as later:
        pass

    trace_id = _hex(request.get_span_context().trace_id, 32)
    spans = {span.name: span for span in receiver.store.trace(trace_id)}

    assert set(spans) == {"POST /api/v1/readings", "publish production.reading_recorded.v1"}
    root, child = spans["POST /api/v1/readings"], spans["publish production.reading_recorded.v1"]
    assert (root.service, root.scope, root.kind, root.parent_span_id) == (
        "wellflow-gateway",
        "wellflow_gateway",
        "SERVER",
        "",
    )
    assert child.parent_span_id == root.span_id == _hex(request.get_span_context().span_id, 16)
    assert (child.service, child.kind, child.status, child.status_message) == (
        "wellflow-production",
        "PRODUCER",
        "ERROR",
        "not acknowledged",
    )
    assert child.attributes == {"messaging.destination.name": "wellflow.evt.t.production.reading_recorded.v1", "n": 3}
    assert [(e.name, e.attributes) for e in child.events] == [
        ("event recorded", {"wellflow.reading_id": "0190-r1", "flags": [1, 2]})
    ]
    assert root.start_ns <= child.start_ns <= child.end_ns <= root.end_ns and root.duration_ms > 0
    (linked,) = receiver.store.trace(_hex(later.get_span_context().trace_id, 32))
    assert [(link.trace_id, link.span_id, link.attributes) for link in linked.links] == [
        (trace_id, child.span_id, {"why": "batch"})
    ]
    assert receiver.received == 3


def test_the_receiver_refuses_what_is_not_otlp_protobuf(receiver) -> None:
    url = f"{receiver.url}/v1/traces"
    json_body = httpx.post(url, content=b"{}", headers={"content-type": "application/json"})
    garbage = httpx.post(url, content=b"\xff\xff\xff", headers={"content-type": "application/x-protobuf"})
    bad_gzip = httpx.post(
        url, content=b"not gzip", headers={"content-type": "application/x-protobuf", "content-encoding": "gzip"}
    )
    elsewhere = httpx.post(f"{receiver.url}/v1/metrics", content=b"", headers={"content-type": "x"})
    empty = httpx.post(
        url, content=gzip.compress(b""), headers={"content-type": "application/x-protobuf", "content-encoding": "gzip"}
    )

    assert json_body.status_code == 415
    assert garbage.status_code == 400 and "ExportTraceServiceRequest" in garbage.text
    assert bad_gzip.status_code == 400
    assert elsewhere.status_code == 404
    assert empty.status_code == 200  # an empty request is a valid one with no spans
    assert empty.headers["content-type"] == "application/x-protobuf"
    ExportTraceServiceResponse().ParseFromString(empty.content)
    assert receiver.store.count() == 0


def test_a_span_with_a_short_id_is_refused() -> None:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    request = ExportTraceServiceRequest()
    span = request.resource_spans.add().scope_spans.add().spans.add()
    span.trace_id, span.span_id, span.name = b"\x01" * 8, b"\x02" * 8, "short"
    with pytest.raises(ValueError, match="invalid trace or span id"):
        decode_export(request.SerializeToString())


def _span(trace_id: str, span_id: str, parent: str = "", start: int = 0, ms: float = 1.0, **attributes) -> SpanRecord:
    return SpanRecord(
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=parent,
        service="wellflow-test",
        name=f"span {span_id}",
        kind="SERVER",
        start_ns=start,
        end_ns=start + int(ms * 1e6),
        attributes=attributes,
    )


def test_the_store_resolves_prefixes_lists_slow_roots_finds_ids_and_forgets_the_oldest(tmp_path: Path) -> None:
    store = TraceStore(tmp_path / "spans.sqlite", max_spans=4)
    a, b, c = "aaaaaaaa" + "1" * 24, "aaaaaaaa" + "2" * 24, "cccccccc" + "3" * 24
    store.add(
        [
            _span(a, "0000000000000001", start=1_000, ms=900),
            _span(a, "0000000000000002", parent="0000000000000001", start=2_000, ms=10, reading="r-42"),
            _span(b, "0000000000000003", start=3_000, ms=20),
            _span(c, "0000000000000004", parent="00000000000000ff", start=4_000, ms=700),  # parent never came
        ]
    )

    assert store.resolve("cccccccc") == c
    assert store.resolve(a.upper()) == a
    assert store.resolve("abc") is None  # too short to be a prefix
    with pytest.raises(AmbiguousTraceId) as ambiguous:
        store.resolve("aaaaaaaa")
    assert sorted(ambiguous.value.candidates) == [a, b]
    assert [s.span_id for s in store.roots()] == ["0000000000000004", "0000000000000003", "0000000000000001"]
    assert [s.trace_id for s in store.roots(min_duration_ms=500)] == [c, a]
    assert [s.span_id for s in store.find("r-42")] == ["0000000000000002"]
    assert store.find("r_42") == []  # LIKE's wildcards are taken literally

    store.add([_span(b, "0000000000000005", parent="0000000000000003", start=5_000)])
    store.prune()

    assert store.count() == 4 and store.trace(a)[0].span_id == "0000000000000002"  # the oldest span went
    store.close()
