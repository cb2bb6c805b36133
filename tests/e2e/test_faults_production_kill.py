"""Production killed with SIGKILL while 5,000 readings are being recorded: nothing lost, nothing applied twice.

Wells, production and compliance run as separate uvicorn processes (as under ``wellflow up``). A client sends
5,000 readings with moderate concurrency, each with its own ``reading_id``; at a seeded random point production
is killed (SIGKILL, its whole process group) and started again. The client retries every request that failed
because of the kill with the same reading id, as the mobile app does offline. Afterwards every reading exists
exactly once, production's lease-month totals are the sums of the readings, and compliance's Form PR lines
carry production's latest revision of every lease-month with the same volumes.
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

SEED = 20261125
READINGS = 5000
LEASES, WELLS_PER_LEASE = 10, 2
CONCURRENCY = 16


@pytest.fixture
async def stack(infra, event_stream, service_database, tmp_path):
    root = await event_stream()
    stack = Stack(infra.nats_url, root, JwksServer(mint := TokenMint()), mint, tmp_path)
    try:
        await stack.add("wells", service_database)
        await stack.add("production", service_database, DB_POOL_SIZE="8")
        await stack.add("compliance", service_database)
        yield stack
    finally:
        stack.stop_all()


def plan_readings(well_ids: list[str], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` readings, one per well-day, on the days before today, with whole-barrel volumes, shuffled."""
    days = count // len(well_ids)
    assert days * len(well_ids) == count
    readings = daily_readings(well_ids, days, rng)
    rng.shuffle(readings)
    return readings


class Client:
    """A pumper's app: sends each reading until production answers it, retrying failures with the same id."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.done = 0
        self.failed_attempts = 0
        self.replayed = 0
        self.answers: dict[str, dict[str, Any]] = {}

    async def send(self, reading: dict[str, Any]) -> None:
        deadline = time.monotonic() + 120
        while True:
            try:
                answer = await self.http.post("/api/v1/readings", json=reading)
            except httpx.TransportError:
                answer = None
            if answer is not None and answer.status_code < 500:
                assert answer.status_code in (200, 201), answer.text
                assert answer.json()["reading_id"] == reading["reading_id"]
                self.answers[reading["reading_id"]] = answer.json()
                self.replayed += answer.headers.get("Idempotent-Replayed") == "true"
                self.done += 1
                return
            self.failed_attempts += 1
            assert time.monotonic() < deadline, f"reading {reading['reading_id']} never recorded"
            await asyncio.sleep(0.3)


@pytest.mark.timeout(600)  # 150 s alone; up to 400 s on a machine busy with other work
async def test_production_killed_mid_flow_loses_nothing_and_applies_nothing_twice(stack: Stack):
    rng = random.Random(SEED)
    org = UUID(int=rng.getrandbits(128), version=4)
    assets = await register_assets(stack, org, LEASES, WELLS_PER_LEASE, seed=SEED % 1000)
    readings = plan_readings(sorted(assets.wells), READINGS, rng)
    kill_at = rng.randint(READINGS * 3 // 10, READINGS * 7 // 10)

    expected = monthly_sums(readings, assets)

    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for reading in readings:
        queue.put_nowait(reading)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=stack.url("production"), headers=stack.headers(org, "pumper"), timeout=30, limits=limits
    ) as http:
        client = Client(http)

        async def worker() -> None:
            while not queue.empty():
                await client.send(queue.get_nowait())

        async def killer() -> float:
            while client.done < kill_at:
                await asyncio.sleep(0.01)
            stack.kill("production")
            killed = time.monotonic()
            await stack.restart("production")
            return time.monotonic() - killed

        started = time.monotonic()
        kill = asyncio.create_task(killer())
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        downtime = await kill
        elapsed = time.monotonic() - started

    assert len(client.answers) == READINGS
    assert client.failed_attempts > 0, "the kill interrupted no request: it did not happen mid-flow"
    print(
        f"\n{READINGS} readings in {elapsed:.1f} s; production killed after {kill_at}, back in {downtime:.1f} s; "
        f"{client.failed_attempts} failed attempts retried, {client.replayed} answered from a reading stored before "
        "its answer was lost"
    )
    sent = {reading["reading_id"]: reading for reading in readings}
    checked = time.monotonic()
    await assert_production_and_compliance_agree(stack, org, assets, sent, expected, timeout=150)
    print(f"production and compliance agree ({time.monotonic() - checked:.1f} s to check and catch up)")

    # Late retries of readings recorded before and after the kill are answered from what was stored.
    async with httpx.AsyncClient(base_url=stack.url("production"), headers=stack.headers(org, "pumper")) as http:
        for reading in random.Random(SEED + 1).sample(readings, 40):
            again = await http.post("/api/v1/readings", json=reading)
            assert again.status_code == 201, again.text
            assert again.headers.get("Idempotent-Replayed") == "true"
            assert again.json() == client.answers[reading["reading_id"]]
    await assert_production_and_compliance_agree(stack, org, assets, sent, expected, timeout=30)
