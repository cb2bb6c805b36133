"""What tracing costs a service: CPU per traced request, and how fast the dev stack's receiver stores spans.

    .venv/bin/python bench/tracing_overhead.py [--requests 20000]

A "request" here is the spans a service makes for one recorded reading: its server span (seven attributes),
a span event "event recorded" naming the event's ids, and the outbox relay's publish span (five attributes),
child of the server span. Measured as this process's CPU time (time.process_time: the batch processor's
export thread included) per request, in four set-ups, in the same run:

- no SDK: OpenTelemetry's API without a provider (no-op spans): the floor;
- SDK, not exported: what a service without OTEL_EXPORTER_OTLP_ENDPOINT does (spans made for their ids);
- SDK, every span exported: a BatchSpanProcessor and the OTLP/HTTP exporter to the dev stack's receiver
  (`wellflow_devstack.trace_receiver`, run in a separate process as under `wellflow up`);
- SDK, one trace in ten sampled (parentbased_traceidratio 0.1) and exported.

Target: exporting every span adds at most 100 microseconds of CPU per request to the spans a service makes
anyway (a recorded reading costs a few milliseconds of CPU across the service). Then the receiver: how many
spans a second it decodes and stores, from the first span made to the last one in SQLite.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

from wellflow_devstack.servers import free_port, port_answers
from wellflow_devstack.trace_store import TraceStore

TARGET_US = 100.0
RECEIVER = """
import sys, time
from pathlib import Path
from wellflow_devstack.trace_receiver import OtlpReceiver
from wellflow_devstack.trace_store import TraceStore
receiver = OtlpReceiver(TraceStore(Path(sys.argv[1]), max_spans=10_000_000), port=int(sys.argv[2]))
receiver.start()
while True:
    time.sleep(1)
"""


def one_request(tracer: trace.Tracer, n: int) -> None:
    with tracer.start_as_current_span(
        "POST /api/v1/readings",
        kind=trace.SpanKind.SERVER,
        attributes={
            "http.request.method": "POST",
            "http.route": "/api/v1/readings",
            "http.response.status_code": 201,
            "server.port": 8103,
            "url.scheme": "http",
            "wellflow.request_id": f"req-{n}",
            "wellflow.tenant_id": "0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d9e",
        },
    ) as server:
        server.add_event(
            "event recorded",
            {
                "wellflow.event_id": f"0190f5a2-7c1e-7b3a-9d2e-{n:012d}",
                "wellflow.event_type": "production.reading_recorded.v1",
                "wellflow.reading_id": f"0190f5a2-7c1e-7b3a-9d2e-{n + 1:012d}",
                "wellflow.well_id": "0190f5a2-7c1e-7b3a-9d2e-000000000001",
            },
        )
        with tracer.start_as_current_span(
            "publish production.reading_recorded.v1",
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "publish",
                "messaging.destination.name": "wellflow.evt.t.production.reading_recorded.v1",
                "messaging.message.id": f"m-{n}",
                "wellflow.event_type": "production.reading_recorded.v1",
            },
        ):
            pass


def cpu_per_request(tracer: trace.Tracer, requests: int, provider: TracerProvider | None) -> float:
    for n in range(min(2000, requests)):  # warm up
        one_request(tracer, n)
    if provider is not None:
        provider.force_flush()
    started = time.process_time()
    for n in range(requests):
        one_request(tracer, n)
    if provider is not None:
        provider.force_flush()  # the export of what was made is part of the cost
    return (time.process_time() - started) / requests * 1e6


def sdk(endpoint: str | None, ratio: float | None = None, queue: int = 2048) -> TracerProvider:
    """A service's provider. The loop here makes spans far faster than any service, so the benchmark gives the
    batch processor a queue that holds them all (a service keeps the default 2,048 and drops when it is full):
    every span made is exported, and its cost counted."""
    sampler = ParentBased(TraceIdRatioBased(ratio)) if ratio is not None else None
    provider = TracerProvider(resource=Resource.create({"service.name": "wellflow-bench"}), sampler=sampler)
    if endpoint:
        exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(exporter, max_queue_size=queue))
    return provider


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "spans.sqlite"
        port = free_port()
        receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, str(store_path), str(port)])
        try:
            deadline = time.monotonic() + 30
            while not port_answers(port):
                if time.monotonic() > deadline:
                    raise SystemExit("the receiver did not start")
                time.sleep(0.05)
            endpoint = f"http://127.0.0.1:{port}"
            results = [("no SDK (no-op spans)", cpu_per_request(trace.NoOpTracer(), args.requests, None))]
            queue = 2 * (args.requests + 2000)
            for label, provider in (
                ("SDK, not exported", sdk(None)),
                ("SDK, every span exported", sdk(endpoint, queue=queue)),
                ("SDK, 1 in 10 sampled and exported", sdk(endpoint, 0.1, queue=queue)),
            ):
                results.append((label, cpu_per_request(provider.get_tracer("bench"), args.requests, provider)))
                provider.shutdown()

            print(f"CPU per traced request ({args.requests} requests, 2 spans and 1 span event each):")
            for label, micros in results:
                print(f"  {label:<36} {micros:8.1f} us")
            exported = results[2][1] - results[1][1]
            verdict = "meets" if exported <= TARGET_US else "misses"
            print(
                f"  exporting every span adds {exported:.1f} us to the spans services make anyway: "
                f"{verdict} the {TARGET_US:.0f} us target"
            )

            store = TraceStore(store_path)
            before = store.count()
            provider = sdk(endpoint, queue=queue)
            tracer = provider.get_tracer("bench")
            started = time.perf_counter()
            for n in range(args.requests):
                one_request(tracer, n)
            provider.shutdown()  # sends what is left
            wanted = before + 2 * args.requests
            while store.count() < wanted and time.perf_counter() - started < 120:
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            stored = store.count() - before
            store.close()
            rate = stored / elapsed
            print(f"receiver: {stored} of {2 * args.requests} spans stored in {elapsed:.2f} s: {rate:,.0f} spans/s")
        finally:
            receiver.terminate()
            receiver.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
