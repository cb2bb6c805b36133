"""CSV import of daily readings: rows/s end to end (request sent to import committed) against the honest bound,
a bare ``INSERT ... SELECT`` of the same rows into a table like ``readings`` (same indexes, constraints and
tenant RLS), in the same run.

    python bench/production_import.py [--rows 1000000] [--wells 280]

Provisions and migrates a production database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers), seeds 10 leases with ``--wells`` producing wells through production's wells-event handlers,
writes a CSV of ``--rows`` daily readings (every well, consecutive days back from yesterday) to a temporary
file, serves the production app with uvicorn on a local port, and streams the file to
``POST /api/v1/readings/imports?mode=all_or_nothing``: the time runs from the first byte sent to the answer,
which comes after the commit (staging COPY, validation, merge, lease-month refresh, outbox); the CPU seconds
of this process (the app and the client) over that time are printed too.

The bound: PostgreSQL refuses ``COPY`` into a table with row-level security for a role the policy applies
to, so the fastest honest load of a tenant's rows is ``INSERT ... SELECT`` from a staging table. As the
runtime role, under the tenant's GUC, the same file is COPYed into a temporary typed table (its time
printed apart), then ``INSERT INTO readings_bound SELECT ...`` (a table created ``LIKE readings INCLUDING
ALL`` with the same RLS enabled, forced and policy) joined to ``wells`` for each line's well and lease
(a reading cannot exist without them), ids in line order as the import makes them, and the commit: that
time is the bound. The script prints import rows/s, bound rows/s and their ratio (target >= 0.25), and
for reference the old figure, a raw COPY into a bare typed table (no indexes, no RLS). Finally it checks
that the lease-month rollups add up to the file's oil.

On a busy machine wall-clock rates move with the load, so each phase's CPU is printed too: the seconds of
user and system time of every process under the PostgreSQL server (the backends, WAL writer, checkpointer;
read from /proc, so only when the server runs on this machine, as the embedded one does) plus this process.
The ratio of CPU seconds, bound over import, is the load-independent figure.
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
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import uvicorn
from _production_setup import Signer, production_env, seed

from wellflow_devstack.servers import free_port
from wellflow_production.bootstrap import create_app
from wellflow_servicekit.migrations import tenant_rls_sql
from wellflow_servicekit.runtime import run as run_loop

LEASES = 10
TICKS = os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """CPU seconds of the PostgreSQL server's processes (the postmaster's children), from /proc."""

    def __init__(self, postmaster: int | None) -> None:
        self.postmaster = postmaster

    @classmethod
    async def of(cls, owner_url: str) -> ServerCpu:
        connection = await asyncpg.connect(owner_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            backend = await connection.fetchval("SELECT pg_backend_pid()")
            return cls(int(_stat(backend)[1]))  # while the backend lives
        except OSError:
            return cls(None)  # a server elsewhere: no CPU figures
        finally:
            await connection.close()

    def seconds(self) -> float | None:
        if self.postmaster is None:
            return None
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = _stat(int(entry.name))
            except OSError:
                continue
            if int(fields[1]) == self.postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / TICKS


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: state, ppid, ... (utime and stime at 11 and 12)."""
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


class Cpu:
    """CPU seconds of the server and of this process over a phase."""

    def __init__(self, server: ServerCpu) -> None:
        self.server = server

    def __enter__(self) -> Cpu:
        self.server0, self.own0 = self.server.seconds(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        server1 = self.server.seconds()
        self.own = time.process_time() - self.own0
        self.db = None if server1 is None or self.server0 is None else server1 - self.server0

    def __str__(self) -> str:
        db = "n/a" if self.db is None else f"{self.db:.1f} s"
        return f"CPU: PostgreSQL {db}, this process {self.own:.1f} s"


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
            server_cpu = await ServerCpu.of(env.owner_url)
            server, task = await serve(app, port)
            try:

                async def chunks():  # type: ignore[no-untyped-def]
                    with path.open("rb") as source:
                        while chunk := source.read(1 << 20):
                            yield chunk

                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=3600) as client:
                    t0 = time.perf_counter()
                    with Cpu(server_cpu) as import_cpu:
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
            bound = await honest_bound(env, org, path, server_cpu)
            assert bound["rows"] == rows, bound
            copy_seconds = await bare_copy(env, path)
        app_rate, bound_rate, copy_rate = rows / import_seconds, rows / bound["insert"], rows / copy_seconds
        print(f"where: {env.where}; pid {os.getpid()}")
        print(
            f"import (request to commit): {import_seconds:.2f} s, {app_rate:,.0f} rows/s; "
            f"{body['lease_months_updated']} lease-months refreshed; {import_cpu}"
        )
        print(
            f"bound (INSERT ... SELECT into readings_bound, RLS forced, + commit): {bound['insert']:.2f} s, "
            f"{bound_rate:,.0f} rows/s (its staging COPY apart: {bound['copy']:.2f} s); {bound['cpu']}"
        )
        print(f"ratio import / bound: {app_rate / bound_rate:.2f} (target >= 0.25)")
        if import_cpu.db and bound["cpu"].db:
            print(
                f"ratio of PostgreSQL CPU, bound / import: {bound['cpu'].db / import_cpu.db:.2f} "
                "(the same ratio free of the machine's load)"
            )
        print(
            f"for reference, raw COPY into a bare table: {copy_seconds:.2f} s, {copy_rate:,.0f} rows/s; "
            f"ratio import / raw COPY {app_rate / copy_rate:.2f}"
        )
        await check_rollups(env.runtime_url, org, total_oil)


async def honest_bound(env, org, path: Path, server_cpu: ServerCpu) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Seconds of the staging COPY and of the bound (INSERT ... SELECT under RLS, and its commit)."""
    owner = await asyncpg.connect(env.owner_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await owner.execute("CREATE TABLE readings_bound (LIKE readings INCLUDING ALL)")
        for statement in tenant_rls_sql("readings_bound"):
            await owner.execute(statement)
    finally:
        await owner.close()
    connection = await asyncpg.connect(env.runtime_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute("SET jit = off")
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute("SELECT set_config('app.current_organization_id', $1, true)", str(org))
        await connection.execute(
            "CREATE TEMP TABLE bound_staging (line bigint GENERATED ALWAYS AS IDENTITY, api_number text, date date, "
            "oil_bbl numeric, gas_mcf numeric, water_bbl numeric, hours_on numeric, downtime_reason text) "
            "ON COMMIT DROP"
        )
        t0 = time.perf_counter()
        await connection.copy_to_table(
            "bound_staging",
            source=str(path),
            columns=["api_number", "date", "oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_reason"],
            format="csv",
            header=True,
        )
        t1 = time.perf_counter()
        cpu = Cpu(server_cpu).__enter__()
        status = await connection.execute(
            """
            INSERT INTO readings_bound (organization_id, id, well_id, lease_id, production_date, version, oil_bbl,
                   gas_mcf, water_bbl, hours_on, downtime_reason, recorded_by, entered_at, source, import_id,
                   updated_at, updated_by)
            SELECT $1::uuid, CAST($2 || lpad(to_hex(s.line), 12, '0') AS uuid), w.id, w.lease_id, s.date, 1,
                   s.oil_bbl, s.gas_mcf, s.water_bbl, s.hours_on, nullif(s.downtime_reason, ''), 'bench', now(),
                   'import', $3::uuid, now(), 'bench'
              FROM bound_staging s JOIN wells w ON w.api_number = s.api_number
            """,
            str(org),
            uuid4().hex[:20],
            str(uuid4()),
        )
        await transaction.commit()
        t2 = time.perf_counter()
        cpu.__exit__()
        visible = await connection.fetchval("SELECT count(*) FROM readings_bound")
        assert visible == 0, "RLS hides the rows without the tenant's GUC"
    finally:
        await connection.close()
    return {"copy": t1 - t0, "insert": t2 - t1, "rows": int(status.split()[-1]), "cpu": cpu}


async def bare_copy(env, path: Path) -> float:  # type: ignore[no-untyped-def]
    """Seconds of a raw COPY of the file into a bare typed table (the old reference figure)."""
    connection = await asyncpg.connect(env.owner_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(
            "CREATE TABLE bare_readings (api_number text, date date, oil_bbl numeric, gas_mcf numeric, "
            "water_bbl numeric, hours_on numeric, downtime_reason text)"
        )
        t0 = time.perf_counter()
        await connection.copy_to_table("bare_readings", source=str(path), format="csv", header=True)
        seconds = time.perf_counter() - t0
        await connection.execute("DROP TABLE bare_readings")
    finally:
        await connection.close()
    return seconds


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
