"""CPU and SQL statements per recorded reading: what one ``POST /api/v1/readings`` costs the production service
and PostgreSQL, at a fixed moderate rate, straight to production (no gateway).

    python bench/production_reading_cpu.py [--rate 40] [--duration 20] [--wells 40] [--wells-per-lease 5]
                                           [--profile stacks.txt]

Starts its own PostgreSQL (the embedded one, fsync on, with ``pg_stat_statements`` preloaded) and NATS in a
temporary folder, provisions and migrates a production database and seeds ``--wells`` producing wells on
leases of ``--wells-per-lease`` (bench/_production_setup.py). Runs, as separate uvicorn processes on uvloop
and httptools, a JWKS server and the production service (its outbox relay publishing to NATS). This process
then posts readings open-loop at ``--rate`` a second for ``--duration`` seconds (each well its days one after
another, a client-chosen ``reading_id`` each; requests leave on schedule whatever the answers do) and prints,
per reading: CPU milliseconds of the production process and of PostgreSQL (every process of its cluster:
utime + stime from /proc, idle background included), of NATS, and the SQL statements PostgreSQL executed
(``pg_stat_statements`` calls, BEGIN and COMMIT included), with the statements a reading runs, by count,
and PostgreSQL's time in them.
Then it retries 50 readings (same ``reading_id``, same body: each must answer the first result, nothing
twice) and checks that the lease-month rollups equal the sum of the readings and that every reading's event
reached the outbox and was published. ``--profile`` records the production process with py-spy during the
measured load, as collapsed stacks (sort by count); py-spy is optional, not a project dependency (install it
into the environment with ``uv pip install py-spy``).

Target (issue 20): production + PostgreSQL a few ms per reading (the stack's whole budget for a reading,
downstream included, is 10 ms). Baseline on this 2-core machine before the change: see docs/benchmarks.md,
"Recording a reading: CPU and statements".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import aiohttp
import asyncpg
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


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _cluster(postmaster: psutil.Process) -> list[psutil.Process]:
    return [postmaster, *postmaster.children(recursive=True)]


def _body(well_id: object, n: int) -> dict:
    day = date.today() - timedelta(days=1 + n)
    return {
        "reading_id": str(uuid4()),
        "well_id": str(well_id),
        "production_date": day.isoformat(),
        "oil_bbl": str(Decimal(10 + n % 40) + Decimal(n % 7) / 4),
        "gas_mcf": "25.5",
        "water_bbl": "4",
        "hours_on": "24",
        "device_id": "bench",
    }


async def _statements(admin: asyncpg.Connection) -> dict[str, tuple[int, float]]:
    rows = await admin.fetch(
        "SELECT query, calls, total_exec_time + total_plan_time AS ms FROM pg_stat_statements s "
        "JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname LIKE '%production%app%'"
    )
    return {row["query"]: (row["calls"], row["ms"]) for row in rows}


async def main(rate: float, duration: float, wells_count: int, per_lease: int, profile: str | None) -> None:
    from wellflow_devstack.servers import EmbeddedPostgres, free_port

    with tempfile.TemporaryDirectory(prefix="wellflow-bench-") as folder:
        pg = EmbeddedPostgres(Path(folder) / "pg", free_port())
        pg.start()
        try:
            admin = await asyncpg.connect(pg.admin_url)
            await admin.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
            await admin.execute("ALTER SYSTEM SET pg_stat_statements.track = 'all'")
            await admin.close()
            pg.stop()
            pg.start()
            os.environ["WELLFLOW_DATABASE_URL"] = pg.admin_url
            os.environ.pop("WELLFLOW_NATS_URL", None)
            await _run(pg, rate, duration, wells_count, per_lease, profile)
        finally:
            pg.stop()


async def _run(pg, rate: float, duration: float, wells_count: int, per_lease: int, profile: str | None) -> None:  # type: ignore[no-untyped-def]
    async with production_env() as env:
        org = uuid4()
        leases = await seed(env.runtime_url, org, -(-wells_count // per_lease), per_lease)
        wells = [well for lease in leases for well in lease.well_ids][:wells_count]
        signer = Signer()
        jwks_port, production_port = _free_port(), _free_port()
        jwks, production = (f"http://127.0.0.1:{p}" for p in (jwks_port, production_port))
        base = process_env(jwks)
        jwks_server = start_jwks(jwks_port, base, signer)
        processes = [jwks_server]
        admin = await asyncpg.connect(pg.admin_url)
        await admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        try:
            _wait_ready(jwks, jwks_server)
            production_vars = production_process_env(env, base, pool_size=10)
            server = _uvicorn("wellflow_production.bootstrap:create_app", production_port, production_vars)
            processes.append(server)
            _wait_ready(production, server, timeout=60)
            token = signer.token(org, role="pumper")
            url = f"{production}/api/v1/readings"
            headers = {"Authorization": f"Bearer {token}"}
            postmaster = pg.postmaster()
            assert postmaster is not None
            nats_processes = [
                p
                for p in psutil.process_iter(["cmdline"])
                if "nats-server" in " ".join(p.info["cmdline"] or [])
                and env.nats_url.rsplit(":", 1)[-1] in " ".join(p.info["cmdline"] or [])
            ]
            app = psutil.Process(server.pid)
            days = dict.fromkeys(wells, 0)
            sent: list[dict] = []
            latencies: list[float] = []
            codes: dict[int, int] = {}

            async def post(session: aiohttp.ClientSession, body: dict, scheduled: float) -> None:
                async with session.post(url, json=body, headers=headers) as response:
                    payload = await response.read()
                    codes[response.status] = codes.get(response.status, 0) + 1
                    if response.status != 201 and codes[response.status] == 1:
                        print(f"first {response.status}: {payload[:300]!r}")
                latencies.append((time.perf_counter() - scheduled) * 1000)

            async def load(session: aiohttp.ClientSession, seconds: float, keep: bool) -> int:
                count = int(rate * seconds)
                started = time.perf_counter()
                tasks = []
                for i in range(count):
                    scheduled = started + i / rate
                    delay = scheduled - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    well = wells[i % len(wells)]
                    body = _body(well, days[well])
                    days[well] += 1
                    if keep:
                        sent.append(body)
                    tasks.append(asyncio.create_task(post(session, body, scheduled)))
                await asyncio.gather(*tasks)
                return count

            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
                await load(session, 3, keep=True)  # warm up: connections, JWKS, prepared plans
                await asyncio.sleep(1)
                latencies.clear()
                codes.clear()
                await admin.execute("SELECT pg_stat_statements_reset()")
                cluster = _cluster(postmaster)
                before = (_cpu([app]), _cpu(cluster), _cpu(nats_processes))
                spy = None
                if profile:  # py-spy samples the production process while the load runs (raw: collapsed stacks)
                    command = ["py-spy", "record", "--pid", str(server.pid), "--format", "raw", "-o", profile]
                    command += ["--duration", str(int(duration)), "--rate", "200", "--nonblocking"]
                    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL)
                count = await load(session, duration, keep=True)
                await asyncio.sleep(1.5)  # the relay publishes the last events
                cluster_after = _cluster(postmaster)
                after = (_cpu([app]), _cpu(cluster_after), _cpu(nats_processes))
                if spy is not None:
                    spy.wait(timeout=60)
                statements = await _statements(admin)
                # retries: the same reading again answers the first result
                replayed = 0
                for body in sent[:50]:
                    async with session.post(url, json=body, headers=headers) as response:
                        await response.read()
                        replayed += response.status == 201 and response.headers.get("Idempotent-Replayed") == "true"
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
        production_ms, postgres_ms, nats_ms = ((a - b) * 1000 / count for a, b in zip(after, before, strict=True))
        total_statements = sum(calls for calls, _ in statements.values())
        print(
            f"{count} readings at {rate:g}/s for {duration:g} s, straight to production ({len(wells)} wells, "
            f"{per_lease} a lease; embedded PostgreSQL fsync on; {os.cpu_count()} CPUs)"
        )
        print(
            f"  answers: {dict(sorted(codes.items()))}   p50 {percentile(latencies, 0.5):.1f} ms   "
            f"p99 {percentile(latencies, 0.99):.1f} ms (from the scheduled moment)"
        )
        print(
            f"  CPU per reading: production {production_ms:.2f} ms, PostgreSQL {postgres_ms:.2f} ms "
            f"(together {production_ms + postgres_ms:.2f} ms; target: a few ms), NATS {nats_ms:.2f} ms"
        )
        print(f"  SQL statements per reading: {total_statements / count:.2f}")
        print("    per reading: calls, PostgreSQL's time in them (plan + execute), the statement")
        for query, (calls, ms) in sorted(statements.items(), key=lambda item: -item[1][0])[:14]:
            print(f"    {calls / count:5.2f} {ms / count:6.3f} ms  {' '.join(query.split())[:100]}")
        await admin.close()
        rolled, stored, readings = await rollup_totals(env, org)
        owner = await asyncpg.connect(env.owner_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            events = await owner.fetch(
                "SELECT event_type, count(*) AS n, count(*) FILTER (WHERE published_at IS NULL) AS waiting "
                "FROM outbox GROUP BY event_type ORDER BY event_type"
            )
        finally:
            await owner.close()
        expected = sum((Decimal(body["oil_bbl"]) for body in sent), Decimal(0))
        ok = rolled == stored == expected and readings == len(sent) and replayed == min(50, len(sent))
        print(f"  retries answered as the first result: {replayed}/{min(50, len(sent))}")
        print("  outbox: " + ", ".join(f"{r['event_type']} {r['n']} ({r['waiting']} unpublished)" for r in events))
        print(
            f"  rollups: lease-months {rolled} bbl, readings {stored} bbl ({readings:,}), sent {expected} bbl: "
            f"{'equal' if ok else 'NOT EQUAL'}"
        )
        assert ok


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--wells", type=int, default=40)
    parser.add_argument("--wells-per-lease", type=int, default=5)
    parser.add_argument("--profile", help="py-spy the production process into this file (collapsed stacks)")
    arguments = parser.parse_args()
    run_loop(main(arguments.rate, arguments.duration, arguments.wells, arguments.wells_per_lease, arguments.profile))
