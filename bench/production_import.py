"""CSV import of daily readings: rows/s end to end (request sent to import committed) beside a raw COPY of
the same file into a bare table, in the same run.

    python bench/production_import.py [--rows 1000000] [--wells 280]

Provisions and migrates a production database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers), seeds 10 leases with ``--wells`` producing wells through production's wells-event handlers,
writes a CSV of ``--rows`` daily readings (every well, consecutive days back from yesterday) to a temporary
file, serves the production app with uvicorn on a local port, and streams the file to
``POST /api/v1/readings/imports?mode=all_or_nothing``: the time runs from the first byte sent to the answer,
which comes after the commit (staging COPY, validation, merge, lease-month refresh, outbox). Then it COPYs
the same file into a bare typed table (no indexes, no checks) and prints both rates and their ratio
(target >= 0.25). Finally it checks that the lease-month rollups add up to the file's oil.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import asyncpg
import httpx
import uvicorn
from _production_setup import Signer, production_env, seed

from wellflow_devstack.servers import free_port
from wellflow_production.bootstrap import create_app
from wellflow_servicekit.runtime import run as run_loop

LEASES = 10


def write_csv(path: Path, apis: list[str], rows: int) -> Decimal:
    """Every well on consecutive days back from yesterday; answers the file's total oil."""
    days = -(-rows // len(apis))
    yesterday = date.today() - timedelta(days=1)
    total = Decimal(0)
    written = 0
    with path.open("w") as out:
        out.write("api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on,downtime_reason\n")
        for back in range(days):
            day = (yesterday - timedelta(days=back)).isoformat()
            for n, api in enumerate(apis):
                if written == rows:
                    return total
                oil = (n * 7 + back * 3) % 4000 / 100
                hours = "24" if (n + back) % 9 else "18"
                reason = "" if hours == "24" else "mechanical"
                out.write(f"{api},{day},{oil:.2f},{oil * 2:.2f},{oil / 2:.3f},{hours},{reason}\n")
                total += Decimal(f"{oil:.2f}")
                written += 1
    return total


async def serve(app, port: int):  # type: ignore[no-untyped-def]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    return server, task


async def main(rows: int, wells: int) -> None:
    async with production_env() as env:
        org = uuid4()
        leases = await seed(env.runtime_url, org, LEASES, wells // LEASES)
        apis = [api for lease in leases for api in lease.api_numbers]
        with tempfile.TemporaryDirectory(prefix="wellflow-import-") as folder:
            path = Path(folder) / "readings.csv"
            started = time.perf_counter()
            total_oil = write_csv(path, apis, rows)
            size = path.stat().st_size
            print(
                f"wrote {rows:,} readings of {len(apis)} wells ({size / 1e6:.1f} MB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
            signer = Signer()
            app = create_app(
                env.settings(db_pool_size=4, log_level=os.environ.get("BENCH_LOG_LEVEL", "WARNING")),
                token_verifier=signer.verifier(),
            )
            port = free_port()
            server, task = await serve(app, port)
            try:

                async def chunks():  # type: ignore[no-untyped-def]
                    with path.open("rb") as source:
                        while chunk := source.read(1 << 20):
                            yield chunk

                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=3600) as client:
                    t0 = time.perf_counter()
                    answer = await client.post(
                        "/api/v1/readings/imports",
                        params={"mode": "all_or_nothing", "file_name": "history.csv"},
                        content=chunks(),
                        headers={"Authorization": f"Bearer {signer.token(org)}", "Content-Type": "text/csv"},
                    )
                    import_seconds = time.perf_counter() - t0
                body = answer.json()
                assert answer.status_code == 201, body
                assert body["rows_imported"] == rows, body
            finally:
                server.should_exit = True
                await task
            connection = await asyncpg.connect(env.owner_url.replace("postgresql+asyncpg", "postgresql"))
            try:
                await connection.execute(
                    "CREATE TABLE bare_readings (api_number text, date date, oil_bbl numeric, gas_mcf numeric, "
                    "water_bbl numeric, hours_on numeric, downtime_reason text)"
                )
                t0 = time.perf_counter()
                await connection.copy_to_table("bare_readings", source=str(path), format="csv", header=True)
                copy_seconds = time.perf_counter() - t0
                await connection.execute("DROP TABLE bare_readings")
            finally:
                await connection.close()
        app_rate, copy_rate = rows / import_seconds, rows / copy_seconds
        print(f"where: {env.where}; pid {os.getpid()}")
        print(
            f"import (request to commit): {import_seconds:.2f} s, {app_rate:,.0f} rows/s; "
            f"{body['lease_months_updated']} lease-months refreshed"
        )
        print(f"raw COPY into a bare table: {copy_seconds:.2f} s, {copy_rate:,.0f} rows/s")
        print(f"ratio import / raw COPY: {app_rate / copy_rate:.2f} (target >= 0.25)")
        await check_rollups(env.runtime_url, org, total_oil)


async def check_rollups(runtime_url: str, org, total_oil: Decimal) -> None:  # type: ignore[no-untyped-def]
    connection = await asyncpg.connect(runtime_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.current_organization_id', $1, true)", str(org))
            rolled = await connection.fetchval("SELECT sum(oil_bbl) FROM lease_months")
            readings = await connection.fetchval("SELECT sum(oil_bbl) FROM readings")
    finally:
        await connection.close()
    assert rolled == readings == total_oil, (rolled, readings, total_oil)
    print(f"rollups check: lease-months sum {rolled} bbl = readings sum = the file's oil")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--wells", type=int, default=280)
    arguments = parser.parse_args()
    run_loop(main(arguments.rows, arguments.wells))
