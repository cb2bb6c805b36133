"""Outbox relay throughput to JetStream, sustained over 100,000 events.

    python bench/relay_throughput.py [--events 100000] [--batch 500] [--relays 1]

Commits the events first (1,000 per transaction over 1,000 wells), then times the relay(s) from the
first claim until the outbox is empty and the stream holds every event. Prints events/s.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from uuid import uuid4

import nats

from _common import ReadingRecorded, bench_env
from wellflow_servicekit.database import Database
from wellflow_servicekit.outbox import OutboxRelay
from wellflow_servicekit.runtime import run as run_loop


async def run(events: int, batch: int, relays: int) -> None:
    async with bench_env() as env:
        database = Database(env.runtime_url, service="bench", subject_root=env.root)
        tenant = uuid4()
        started = time.perf_counter()
        for offset in range(0, events, 1000):
            async with database.unit_of_work(tenant) as uow:
                for n in range(offset, min(offset + 1000, events)):
                    uow.record(
                        ReadingRecorded(
                            tenant_id=tenant,
                            well_id=f"well-{n % 1000}",
                            reading_date="2026-11-24",
                            oil_bbl="12.50",
                            gas_mcf="31.2",
                            water_bbl="40.00",
                        )
                    )
        recorded = time.perf_counter() - started

        connection = await nats.connect(env.nats_url)
        js = connection.jetstream(publish_async_max_pending=10_000)
        workers = [OutboxRelay(database, js, stream=env.stream, batch_size=batch) for _ in range(relays)]
        started = time.perf_counter()
        await asyncio.gather(*(relay.drain(timeout=600) for relay in workers))
        elapsed = time.perf_counter() - started
        info = await js.stream_info(env.stream)
        await connection.close()
        await database.dispose()

        print(f"servers:            {env.where}")
        print(f"events:             {events:,} over 1,000 wells (per-well order kept)")
        print(f"recorded in outbox: {events / recorded:,.0f} events/s (1,000 per transaction)")
        print(f"relay:              {relays} x batch {batch}")
        print(f"published:          {info.state.messages:,} messages in the stream")
        print(f"relay throughput:   {events / elapsed:,.0f} events/s ({elapsed:.2f} s for {events:,})")
        if info.state.messages != events:
            raise SystemExit("the stream does not hold exactly the recorded events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--relays", type=int, default=1)
    args = parser.parse_args()
    run_loop(run(args.events, args.batch, args.relays))


if __name__ == "__main__":
    main()
