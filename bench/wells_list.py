"""Listing wells: server-side p50 and p99 of GET /api/v1/wells filtered by status and lease, first page of 50.

    python bench/wells_list.py [--requests 500]

Provisions and migrates a wells database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded servers),
registers 5 leases and 5,000 wells in one organization through the CSV import (1,000 per lease, half of them
producing), then asks ``--requests`` times for the first 50 producing wells of one lease (500 match) and
reports the time the app spends on each request: the app runs in this process behind httpx's ASGI transport,
so there is no socket, and the time covers token verification (keys cached), the query with its total count,
and the JSON response. Target: p50 <= 10 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from uuid import uuid4

import httpx

from _common import Signer, migrated_service, percentile
from wellflow_servicekit.runtime import run as run_loop
from wellflow_wells.bootstrap import create_app
from wellflow_wells.settings import WellsSettings

LEASES, WELLS_PER_LEASE = 5, 1000
STATUSES = ["shut_in", "drilling", "completing", "temporarily_abandoned"]


def _csv(lease_numbers: list[str]) -> bytes:
    lines = ["name,api_number,rrc_district,rrc_lease_number,well_type,purpose,status"]
    serial = 0
    for number in lease_numbers:
        for i in range(WELLS_PER_LEASE):
            serial += 1
            status = "producing" if i % 2 == 0 else STATUSES[(i // 2) % len(STATUSES)]
            lines.append(f"Lease {number} #{i:04d},42-329-{serial:05d},08,{number},oil,development,{status}")
    return ("\n".join(lines) + "\n").encode()


async def main(requests: int) -> None:
    async with migrated_service("wells") as env:
        settings = env.settings(WellsSettings, "wells")
        signer = Signer()
        app = create_app(settings, token_verifier=signer.verifier())
        headers = {"Authorization": f"Bearer {signer.token(uuid4())}"}
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=transport, base_url="http://wells.bench", headers=headers, timeout=600
            ) as client,
        ):
            lease_ids = await _register(client, env.where)
            timings = await _time_listing(client, lease_ids[2], requests)
        p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
        print(f"GET /api/v1/wells?status=producing&lease_id=..&limit=50 (500 match of 5,000), {requests} requests")
        print(f"  p50 {p50:.2f} ms  p99 {p99:.2f} ms  mean {statistics.fmean(timings):.2f} ms  (target p50 <= 10 ms)")


async def _register(client: httpx.AsyncClient, where: str) -> list[str]:
    """The leases, then their wells through the CSV import; the lease ids."""
    numbers = [f"{10000 + n}" for n in range(LEASES)]
    lease_ids = []
    for number in numbers:
        body = {"name": f"Lease {number}", "rrc_district": "08", "rrc_lease_number": number}
        response = await client.post("/api/v1/leases", json={**body, "lease_type": "oil"})
        response.raise_for_status()
        lease_ids.append(response.json()["id"])
    started = time.perf_counter()
    imported = await client.post("/api/v1/wells/import", content=_csv(numbers), headers={"content-type": "text/csv"})
    imported.raise_for_status()
    report = imported.json()
    assert report["created"] == LEASES * WELLS_PER_LEASE, report["rejected"]
    print(f"imported {report['created']} wells in {time.perf_counter() - started:.1f} s ({where})")
    return lease_ids


async def _time_listing(client: httpx.AsyncClient, lease_id: str, requests: int) -> list[float]:
    """Milliseconds of each of ``requests`` first pages of the lease's producing wells (after a warm-up)."""
    params = {"status": "producing", "lease_id": lease_id, "limit": 50}
    for _ in range(30):  # warm up pools, caches, plans
        (await client.get("/api/v1/wells", params=params)).raise_for_status()
    timings = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = await client.get("/api/v1/wells", params=params)
        timings.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
    page = response.json()
    assert page["total"] == WELLS_PER_LEASE // 2 and len(page["items"]) == 50, page["total"]
    return timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    run_loop(main(parser.parse_args().requests))
