"""Commit-to-handled latency at a steady 500 events/s.

    python bench/commit_to_handled_latency.py [--rate 500] [--seconds 20]

Two processes, as in production: a producer service commits one event per transaction at the given rate
(its relay running, woken by LISTEN/NOTIFY), and a consumer service handles each event through its
durable consumer, inbox and unit of work. Latency is from the producer's commit returning to the
consumer's handler transaction committing, on the same machine clock. Prints p50, p90, p99 and max.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

from _common import ReadingRecorded, bench_env, percentile
from wellflow_servicekit.broker import ConsumerPolicy, EventConsumers, create_broker
from wellflow_servicekit.database import Database
from wellflow_servicekit.outbox import OutboxRelay


async def consumer(runtime_url: str, nats_url: str, root: str, expected: int, out: Path) -> None:
    database = Database(runtime_url, service="bench", subject_root=root)
    broker = create_broker(nats_url, service="benchconsumer")
    consumers = EventConsumers(
        broker=broker,
        database=database,
        service="benchconsumer",
        subject_root=root,
        policy=ConsumerPolicy(),
    )
    handled: dict[str, float] = {}
    done = asyncio.Event()

    @consumers.handler("readings", ReadingRecorded)
    async def on_reading(uow, event: ReadingRecorded) -> None:
        # The handler's effects commit when it returns; stamp the time once the commit is through.
        event_id = str(event.event_id)
        uow.connection.sync_connection.info.setdefault("after_commit", []).append(event_id)

    from sqlalchemy import event as sa_event

    @sa_event.listens_for(database.engine.sync_engine, "commit")
    def _stamp(conn) -> None:
        now = time.time()
        for event_id in conn.info.pop("after_commit", []):
            handled[event_id] = now
        if len(handled) >= expected:
            done.set()

    await broker.start()
    await consumers.start()
    print("ready", flush=True)
    try:
        await asyncio.wait_for(done.wait(), timeout=600)
    finally:
        out.write_text(json.dumps(handled))
        await consumers.close()
        await broker.stop()
        await database.dispose()


async def producer(rate: int, seconds: int) -> None:
    async with bench_env() as env:
        total = rate * seconds
        out = Path(f"/tmp/wellflow-bench-{uuid4().hex[:8]}.json")
        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--consumer",
                env.runtime_url,
                env.nats_url,
                env.root,
                str(total),
                str(out),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        await asyncio.to_thread(child.stdout.readline)  # "ready"

        database = Database(env.runtime_url, service="bench", subject_root=env.root)
        import nats

        connection = await nats.connect(env.nats_url)
        relay = OutboxRelay(database, connection.jetstream(), stream=env.stream, poll_interval=1.0)
        await relay.start()
        tenant = uuid4()
        committed: dict[str, float] = {}
        interval = 1.0 / rate
        start = time.perf_counter()

        async def commit_one(n: int) -> None:
            event = ReadingRecorded(
                tenant_id=tenant,
                well_id=f"well-{n % 200}",
                reading_date="2026-11-24",
                oil_bbl="12.50",
                gas_mcf="31.2",
                water_bbl="40.00",
            )
            async with database.unit_of_work(tenant) as uow:
                uow.record(event)
            committed[str(event.event_id)] = time.time()

        # Requests arrive on a clock, not one after another: each commit runs as its own task.
        tasks = []
        for n in range(total):
            delay = start + n * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(commit_one(n)))
        await asyncio.gather(*tasks)
        achieved = total / (time.perf_counter() - start)
        await asyncio.to_thread(child.wait, 120)
        await relay.stop()
        await connection.close()
        await database.dispose()
        handled = json.loads(out.read_text())
        os.unlink(out)
        latencies = [(handled[k] - committed[k]) * 1000 for k in committed if k in handled]
        print(f"servers:        {env.where}")
        print(f"events:         {total:,} at {achieved:,.0f}/s for {seconds} s (one per transaction)")
        print(f"handled:        {len(latencies):,}")
        print(
            f"commit->handled p50 {percentile(latencies, 0.50):.1f} ms, p90 {percentile(latencies, 0.90):.1f} ms, "
            f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
        )
        if len(latencies) != total:
            raise SystemExit("some events were not handled")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--consumer":
        runtime_url, nats_url, root, expected, out = sys.argv[2:7]
        asyncio.run(consumer(runtime_url, nats_url, root, int(expected), Path(out)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(producer(args.rate, args.seconds))


if __name__ == "__main__":
    main()
