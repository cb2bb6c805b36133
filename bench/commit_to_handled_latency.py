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

import nats

from _common import ReadingRecorded, bench_env, percentile
from wellflow_contracts.subjects import stream_name
from wellflow_servicekit.broker import ConsumerPolicy, EventConsumers, create_broker
from wellflow_servicekit.database import Database
from wellflow_servicekit.outbox import OutboxRelay
from wellflow_servicekit.runtime import run


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

    await database.warm_up()
    await broker.start()
    published: dict[str, float] = {}

    async def on_published(msg) -> None:  # a plain NATS subscription sees each event leave the relay
        published[msg.headers["ce-id"]] = time.time()

    await broker.config.connection_state.connection.subscribe(f"{root}.evt.>", cb=on_published)
    await consumers.start()
    print("ready", flush=True)
    try:
        await asyncio.wait_for(done.wait(), timeout=600)
    finally:
        out.write_text(json.dumps({"handled": handled, "published": published}))
        await consumers.close()
        await broker.stop()
        await database.dispose()


async def relay_process(runtime_url: str, nats_url: str, root: str) -> None:
    database = Database(runtime_url, service="bench", subject_root=root)
    connection = await nats.connect(nats_url)
    relay = OutboxRelay(database, connection.jetstream(), stream=stream_name(root), poll_interval=1.0)
    await database.warm_up(2)
    await relay.start()
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)  # runs until the producer closes our stdin
    await relay.stop()
    await connection.close()
    await database.dispose()


async def producer(rate: int, seconds: int, separate_relay: bool) -> None:
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
        connection = await nats.connect(env.nats_url)
        relay = OutboxRelay(database, connection.jetstream(), stream=env.stream, poll_interval=1.0)
        await database.warm_up()
        relay_child = None
        if separate_relay:
            relay_child = subprocess.Popen(
                [sys.executable, __file__, "--relay", env.runtime_url, env.nats_url, env.root],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            await asyncio.to_thread(relay_child.stdout.readline)
        else:
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
        if relay_child is not None:
            relay_child.communicate("stop\n", timeout=30)
        else:
            await relay.stop()
        await connection.close()
        await database.dispose()
        seen = json.loads(out.read_text())
        os.unlink(out)
        handled, published = seen["handled"], seen["published"]
        latencies = [(handled[k] - committed[k]) * 1000 for k in committed if k in handled]
        relayed = [(published[k] - committed[k]) * 1000 for k in committed if k in published]
        print(f"servers:        {env.where}")
        print(f"relay:          {'its own process' if separate_relay else 'inside the producer process'}")
        print(f"events:         {total:,} at {achieved:,.0f}/s for {seconds} s (one per transaction)")
        print(f"handled:        {len(latencies):,}")
        print(
            f"commit->published p50 {percentile(relayed, 0.50):.1f} ms, p99 {percentile(relayed, 0.99):.1f} ms "
            "(the relay's share)"
        )
        consumed = [(handled[k] - published[k]) * 1000 for k in handled if k in published]
        print(
            f"published->handled p50 {percentile(consumed, 0.50):.1f} ms, p99 {percentile(consumed, 0.99):.1f} ms "
            "(the consumer's share)"
        )
        print(
            f"commit->handled p50 {percentile(latencies, 0.50):.1f} ms, p90 {percentile(latencies, 0.90):.1f} ms, "
            f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
        )
        if len(latencies) != total:
            raise SystemExit("some events were not handled")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--relay":
        run(relay_process(*sys.argv[2:5]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--consumer":
        runtime_url, nats_url, root, expected, out = sys.argv[2:7]
        run(consumer(runtime_url, nats_url, root, int(expected), Path(out)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--relay-process", action="store_true", help="run the relay as its own process")
    args = parser.parse_args()
    run(producer(args.rate, args.seconds, args.relay_process))


if __name__ == "__main__":
    main()
