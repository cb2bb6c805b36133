"""NATS stopped and started again while readings flow: nothing lost, nothing applied twice.

Wells, production and compliance run as separate processes on the session's embedded NATS (run this file
without ``WELLFLOW_TEST_NATS_URL``: a shared server cannot be restarted, and the test skips then). Readings keep
arriving while NATS is down: production commits them with their events in its outbox, its relay publishes them
once NATS is back, and compliance's durable consumers resume where they stopped. Afterwards production and
compliance agree on every lease-month, and every reading exists once.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any
from uuid import UUID

import httpx
import pytest
from faults_stack import (
    JwksServer,
    Stack,
    assert_production_and_compliance_agree,
    daily_readings,
    monthly_sums,
    register_assets,
)

from wellflow_devstack.tokens import TokenMint

pytestmark = pytest.mark.integration

SEED = 4222
LEASES, WELLS_PER_LEASE, DAYS = 3, 2, 100
OUTAGE_SECONDS = 6.0


@pytest.fixture
async def stack(infra, nats_server, event_stream, service_database, tmp_path):
    nats_server.require_restartable()
    root = await event_stream()
    stack = Stack(infra.nats_url, root, JwksServer(mint := TokenMint()), mint, tmp_path)
    try:
        await stack.add("wells", service_database)
        await stack.add("production", service_database)
        await stack.add("compliance", service_database)
        yield stack
    finally:
        stack.stop_all()


async def test_nats_restarted_mid_flow_loses_nothing_and_applies_nothing_twice(stack: Stack, nats_server):
    rng = random.Random(SEED)
    org = UUID(int=rng.getrandbits(128), version=4)
    assets = await register_assets(stack, org, LEASES, WELLS_PER_LEASE, seed=SEED % 1000)
    readings = daily_readings(sorted(assets.wells), DAYS, rng)
    expected = monthly_sums(readings, assets)

    stop_at = len(readings) // 3
    recorded_while_down = 0
    nats_down = False
    stopping = False
    down = asyncio.Event()
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for reading in readings:
        queue.put_nowait(reading)
    done = 0
    async with httpx.AsyncClient(
        base_url=stack.url("production"), headers=stack.headers(org, "pumper"), timeout=30
    ) as http:

        async def worker() -> None:
            nonlocal done, recorded_while_down
            while not queue.empty():
                if stopping and not down.is_set():
                    await down.wait()  # hold the rest of the flow for the outage itself, however long stopping takes
                reading = queue.get_nowait()
                for attempt in range(5):
                    try:
                        answer = await http.post("/api/v1/readings", json=reading)
                        break
                    except httpx.TransportError:
                        # a dropped connection is retried with the same reading id, as a mobile client does;
                        # it is not the fault under test (NATS is), and the retry must not duplicate anything
                        if attempt == 4:
                            raise
                        await asyncio.sleep(0.2)
                # production needs only its database to record: NATS being down must not fail a reading
                assert answer.status_code == 201, answer.text
                done += 1
                recorded_while_down += nats_down
                await asyncio.sleep(0.02)  # a steady flow, so the outage falls in the middle of it

        async def outage() -> None:
            nonlocal nats_down
            while done < stop_at:
                await asyncio.sleep(0.01)
            # stopping and starting wait for the server process: in a thread, so this loop keeps serving the
            # clients' connections meanwhile
            nonlocal stopping
            stopping = True
            await asyncio.to_thread(nats_server.stop)
            nats_down = True
            down.set()
            await asyncio.sleep(OUTAGE_SECONDS)
            nats_down = False
            await asyncio.to_thread(nats_server.start)

        started = time.monotonic()
        await asyncio.gather(outage(), *(worker() for _ in range(4)))

    assert recorded_while_down > 0, "no reading was recorded while NATS was down"
    print(
        f"\n{len(readings)} readings in {time.monotonic() - started:.1f} s, {recorded_while_down} while NATS was down"
    )
    sent = {reading["reading_id"]: reading for reading in readings}
    await assert_production_and_compliance_agree(stack, org, assets, sent, expected, timeout=90)
