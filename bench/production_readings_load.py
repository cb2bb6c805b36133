"""200 concurrent clients posting daily readings through the gateway for 30 s: requests/s, p50, p99, errors,
and afterwards the lease-month rollups equal the sum of the accepted readings.

    python bench/production_readings_load.py [--clients 200] [--duration 30] [--wells-per-lease 5]

Provisions and migrates a production database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers) and seeds one well per client (leases of ``--wells-per-lease`` wells, so clients of one lease
contend for the same lease-month rollup row, as a lease's pumpers do). Starts, as separate uvicorn processes
on uvloop and httptools: a JWKS server (bench/gateway_overhead.py's upstream app), the production service
and the gateway in front of it. This process then runs ``--clients`` aiohttp clients, each posting its
well's readings day after day (a client-generated ``reading_id`` each) through the gateway for
``--duration`` seconds. Targets: p99 <= 100 ms, 0 errors, and the rollups add up to the accepted readings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import aiohttp
import psutil
from _production_setup import (
    Signer,
    process_env,
    production_env,
    production_process_env,
    rollup_totals,
    seed,
    start_jwks,
)
from gateway_overhead import _free_port, _uvicorn, _wait_ready

from _common import percentile
from wellflow_servicekit.runtime import run as run_loop

SEEN_ERRORS: list[bytes] = []


async def client_loop(session, url, token, well_id, stop_at, results, accepted, days):  # type: ignore[no-untyped-def]
    """Post the well's readings one day further back each time; ``days`` keeps each well's next day."""
    day = date.today() - timedelta(days=1)
    n = days.get(well_id, 0)
    headers = {"Authorization": f"Bearer {token}"}
    while time.perf_counter() < stop_at:
        oil = Decimal(10 + n % 40) + Decimal(n % 7) / 4
        body = {
            "reading_id": str(uuid4()),
            "well_id": str(well_id),
            "production_date": (day - timedelta(days=n)).isoformat(),
            "oil_bbl": str(oil),
            "gas_mcf": "25.5",
            "water_bbl": "4",
            "hours_on": "24",
            "device_id": "bench",
        }
        t0 = time.perf_counter()
        try:
            async with session.post(url, json=body, headers=headers) as response:
                payload = await response.read()
                status = response.status
                if status != 201 and not SEEN_ERRORS:
                    SEEN_ERRORS.append(payload[:400])
                    print(f"first error answer: {status} {payload[:400]!r}")
        except aiohttp.ClientError:
            status = 0
        results.append(((time.perf_counter() - t0) * 1000, status))
        if status == 201:
            accepted.append(oil)
        n += 1
        days[well_id] = n


async def main(clients: int, duration: float, per_lease: int) -> None:
    async with production_env() as env:
        org = uuid4()
        leases = await seed(env.runtime_url, org, -(-clients // per_lease), per_lease)
        wells = [well for lease in leases for well in lease.well_ids][:clients]
        signer = Signer()
        jwks_port, production_port, gateway_port = _free_port(), _free_port(), _free_port()
        jwks, production, gateway = (f"http://127.0.0.1:{p}" for p in (jwks_port, production_port, gateway_port))
        base = process_env(jwks)
        processes = [start_jwks(jwks_port, base, signer)]
        try:
            _wait_ready(jwks, processes[0])
            production_env_vars = production_process_env(env, base, pool_size=15)
            processes.append(_uvicorn("wellflow_production.bootstrap:create_app", production_port, production_env_vars))
            _wait_ready(production, processes[1], timeout=60)
            gateway_env = {
                **base,
                "WELLFLOW_SERVICE_URLS": json.dumps({"production": production, "gateway": gateway}),
                "GATEWAY_RATE_LIMIT_PRINCIPAL_PER_SECOND": "1000000",
                "GATEWAY_RATE_LIMIT_PRINCIPAL_BURST": "1000000",
                "GATEWAY_RATE_LIMIT_IP_PER_SECOND": "1000000",
                "GATEWAY_RATE_LIMIT_IP_BURST": "1000000",
            }
            processes.append(_uvicorn("wellflow_gateway.bootstrap:create_app", gateway_port, gateway_env))
            _wait_ready(gateway, processes[2])
            token = signer.token(org, role="pumper")
            url = f"{gateway}/api/v1/readings"
            results: list[tuple[float, int]] = []
            accepted: list[Decimal] = []
            connector = aiohttp.TCPConnector(limit=clients)
            cpu = [psutil.Process(p.pid) for p in processes[1:]]
            cpu_before = [sum(p.cpu_times()[:2]) for p in cpu]
            async with aiohttp.ClientSession(connector=connector) as session:
                # warm up: connections, the JWKS, pools (these readings count like any other)
                days: dict = {}
                warm_until = time.perf_counter() + 2
                await asyncio.gather(
                    *(client_loop(session, url, token, w, warm_until, [], accepted, days) for w in wells)
                )
                started = time.perf_counter()
                stop_at = started + duration
                await asyncio.gather(
                    *(client_loop(session, url, token, w, stop_at, results, accepted, days) for w in wells)
                )
                elapsed = time.perf_counter() - started
            cpu_used = [sum(p.cpu_times()[:2]) - before for p, before in zip(cpu, cpu_before, strict=True)]
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
        latencies = [ms for ms, status in results if status == 201]
        errors = sum(1 for _, status in results if status != 201)
        print(
            f"{clients} clients posting readings through the gateway for {duration:g} s ({env.where}; "
            f"{os.cpu_count()} CPUs; production and gateway each one uvicorn process)"
        )
        print(
            f"  {len(latencies) / elapsed:,.0f} req/s   p50 {percentile(latencies, 0.5):.1f} ms   "
            f"p99 {percentile(latencies, 0.99):.1f} ms   mean {statistics.fmean(latencies):.1f} ms   "
            f"{len(latencies):,} accepted, {errors} errors   (targets: p99 <= 100 ms, 0 errors)"
        )
        codes: dict[int, int] = {}
        for _, status in results:
            codes[status] = codes.get(status, 0) + 1
        print(f"  answers by status: {dict(sorted(codes.items()))}")
        print(f"  CPU seconds during the run: production {cpu_used[0]:.1f}, gateway {cpu_used[1]:.1f}")
        rolled, stored, count = await rollup_totals(env, org)
        expected = sum(accepted, Decimal(0))
        ok = rolled == stored == expected and count == len(accepted)
        print(
            f"  rollups: lease-months {rolled} bbl, readings {stored} bbl ({count:,}), accepted {expected} bbl: "
            f"{'equal' if ok else 'NOT EQUAL'}"
        )
        assert ok


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--wells-per-lease", type=int, default=5)
    arguments = parser.parse_args()
    run_loop(main(arguments.clients, arguments.duration, arguments.wells_per_lease))
