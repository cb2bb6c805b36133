"""The whole stack on this machine: 100 concurrent users mixing reads and reading submissions through the
gateway for 60 s. Prints requests/s, p50 and p99 per kind and overall, errors, and the event lag from
production's commit to compliance's consumer at that load (p50/p99).

    python bench/system_mixed_load.py [--users 100] [--duration 60] [--write-share 0.3] [--leases 10]

Runs `wellflow up` in a temporary home (embedded PostgreSQL and NATS on free ports, every service as its own
process, exactly as a developer runs it; the services' own ports must be free, so stop a running
`make up` first). Then it signs up an operator, registers leases and one well per user through the gateway,
waits until production knows every well, and lets each user loop: with probability ``--write-share`` it
records its well's reading for the next day (a client-generated reading id), otherwise it reads one of: the
wells list, its lease's monthly series, its well's readings, the Form PR draft of the month. Users do not
pause between requests (a closed loop: the figures are the stack's capacity on 2 shared cores).

Lag: for every ``production.lease_month_updated.v1`` committed during the run, production's outbox
``created_at`` (the writing transaction's start) against compliance's inbox ``processed_at`` for that event id.
Targets (issue): p99 <= 150 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import defaultdict
from datetime import date, timedelta
from uuid import uuid4

import aiohttp
from _stack import Stack, add_members, call, event_lags, seed

from _common import percentile


async def user_loop(session, url, token, well, stop_at, write_share, results, rng):  # type: ignore[no-untyped-def]
    day = date.today() - timedelta(days=1)
    month = day.replace(day=1)
    n = 0
    while time.perf_counter() < stop_at:
        if rng.random() < write_share:
            kind, method, path = "write reading", "POST", "/api/v1/readings"
            kwargs = {
                "json": {
                    "reading_id": str(uuid4()),
                    "well_id": well["well_id"],
                    "production_date": (day - timedelta(days=n)).isoformat(),
                    "oil_bbl": str(20 + n % 17),
                    "gas_mcf": "35.5",
                    "water_bbl": "6",
                    "hours_on": "24",
                }
            }
            n += 1
        else:
            kind, method, kwargs = "read", "GET", {}
            path = rng.choice(
                [
                    "/api/v1/wells?limit=50",
                    f"/api/v1/production/leases/{well['lease_id']}/monthly"
                    f"?from={(month - timedelta(days=365)).isoformat()}&to={month.isoformat()}",
                    f"/api/v1/readings?well_id={well['well_id']}&limit=30",
                    "/api/v1/form-pr",
                ]
            )
        started = time.perf_counter()
        try:
            status, _ = await call(session, method, f"{url}{path}", token, **kwargs)
        except aiohttp.ClientError as exc:
            status = f"{type(exc).__name__}"
        elapsed = (time.perf_counter() - started) * 1000
        results[kind].append((elapsed, status))


async def run(args: argparse.Namespace) -> None:
    stack = Stack()
    url = stack.url
    stack.start()
    try:
        await stack.wait_up()
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
            org = await seed(session, url, args.users, args.leases)
            tokens = await add_members(session, url, org, args.users, stack.mailbox)
            results: dict[str, list[tuple[float, object]]] = defaultdict(list)
            rng = random.Random(7)
            since = time.time()
            started = time.perf_counter()
            stop_at = started + args.duration
            await asyncio.gather(
                *(
                    user_loop(
                        session, url, token, well, stop_at, args.write_share, results, random.Random(rng.random())
                    )
                    for token, well in zip(tokens, org.wells, strict=True)
                )
            )
            elapsed = time.perf_counter() - started
        await asyncio.sleep(3)  # let the last events reach compliance
        lags = [lag for _, lag in await event_lags(stack.admin_url(), since) if lag is not None]
    finally:
        stack.stop()

    everything = [sample for samples in results.values() for sample in samples]
    print(f"whole stack, {args.users} users, {args.duration:.0f} s, write share {args.write_share:.0%}, 2 cores")
    for kind, samples in [*sorted(results.items()), ("all", everything)]:
        times = [t for t, _ in samples]
        errors = sum(1 for _, status in samples if not (isinstance(status, int) and status < 400))
        print(
            f"  {kind:14s} {len(samples) / elapsed:8.1f} req/s  p50 {percentile(times, 0.5):7.1f} ms"
            f"  p99 {percentile(times, 0.99):7.1f} ms  errors {errors}"
        )
    statuses = defaultdict(int)
    for _, status in everything:
        statuses[status] += 1
    print(f"  statuses: {dict(statuses)}")
    if lags:
        print(
            f"  event lag production commit -> compliance consumer: {len(lags)} events,"
            f" p50 {percentile(lags, 0.5):.1f} ms, p99 {percentile(lags, 0.99):.1f} ms"
        )
    print("  targets: p99 <= 150 ms, errors 0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--write-share", type=float, default=0.3)
    parser.add_argument("--leases", type=int, default=10)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
