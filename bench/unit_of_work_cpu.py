"""CPU of a tenant's read-only unit of work: the way it begins now against the way it began before (issue 20).

    .venv/bin/python bench/unit_of_work_cpu.py [--units 3000] [--rounds 6] [--concurrency 4]

On the wells service's migrated database (embedded PostgreSQL, or WELLFLOW_DATABASE_URL), seeded with one lease
and 50 wells of one organization, runs ``--units`` units of work per slice, each reading the 50 wells under
row-level security (``SELECT ... FROM wells``, no ``WHERE organization_id``), ``--concurrency`` at a time, in
alternating slices of the two ways (``--rounds`` of each, in the same process against the same server, so the
machine's neighbours weigh on both alike):

- ``before``: the unit of work of main before this change (``BEGIN`` sent by SQLAlchemy's asyncpg adapter with
  the first statement, then ``SELECT set_config(tenant)`` through SQLAlchemy, the query, ``COMMIT``);
- ``now``: servicekit's ``UnitOfWork`` (``BEGIN; SELECT set_config(tenant)`` as one simple query, the query,
  ``COMMIT``).

Prints per slice and the median per way: this process's CPU per unit of work (``time.process_time``) and
PostgreSQL's (every process of the embedded server, /proc/<pid>/stat), and checks that every unit of work saw
its 50 wells and only them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

from service_request_cpu import postgres_pids, process_cpu
from sqlalchemy import text

from _common import migrated_service
from wellflow_servicekit.database import Database, UnitOfWork
from wellflow_servicekit.runtime import run as run_loop

_SET_TENANT = text("SELECT set_config('app.current_organization_id', :tenant, true)")
_READ = text("SELECT id, name, api_number, status FROM wells ORDER BY name")


class BeforeUnitOfWork(UnitOfWork):
    """The unit of work's opening as main had it: a BEGIN with the first statement, then the tenant."""

    async def __aenter__(self) -> BeforeUnitOfWork:
        self._connection = await self.database.engine.connect()
        await self._connection.begin()
        await self._connection.execute(_SET_TENANT, {"tenant": str(self.tenant_id)})
        return self


async def seed(owner_url: str, org: Any) -> None:
    database = Database(owner_url, service="wells", pool_size=1)
    lease = uuid4()
    async with database.unit_of_work(org) as uow:
        await uow.connection.execute(
            text(
                "INSERT INTO leases (organization_id, id, name, rrc_district, rrc_lease_number, lease_type, status, "
                "created_at, updated_at) "
                "VALUES (:org, :id, 'Bench lease', '08', '12345', 'oil', 'active', now(), now())"
            ),
            {"org": org, "id": lease},
        )
        for i in range(50):
            await uow.connection.execute(
                text(
                    "INSERT INTO wells (organization_id, id, lease_id, name, api_number, well_type, purpose, status, "
                    "is_horizontal, is_offshore, created_at, updated_at) VALUES "
                    "(:org, :id, :lease, :name, :api, 'oil', 'producer', 'producing', false, false, now(), now())"
                ),
                {"org": org, "id": uuid4(), "lease": lease, "name": f"Well {i:02d}", "api": f"42501{i:09d}"},
            )
    await database.dispose()


async def slice_(database: Database[Any], org: Any, units: int, concurrency: int) -> int:
    seen = 0

    async def worker(count: int) -> None:
        nonlocal seen
        for _ in range(count):
            async with database.unit_of_work(org) as uow:
                rows = len((await uow.connection.execute(_READ)).all())
            seen += rows

    await asyncio.gather(*(worker(units // concurrency) for _ in range(concurrency)))
    return seen


async def main(args: argparse.Namespace) -> None:
    async with migrated_service("wells") as env:
        org = uuid4()
        await seed(env.owner_url, org)
        url = env.runtime_url
        port = urlsplit(url).port or 5432
        ways = {
            "before": Database(
                env.runtime_url, service="wells", pool_size=args.concurrency, work_type=BeforeUnitOfWork
            ),
            "now": Database(env.runtime_url, service="wells", pool_size=args.concurrency),
        }
        for database in ways.values():
            await database.warm_up()
            await slice_(database, org, 200, args.concurrency)  # statements prepared, caches warm
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
        units = args.units - args.units % args.concurrency
        print(f"{units} read-only units of work per slice, {args.concurrency} at a time, on {env.where}")
        for round_ in range(args.rounds):
            for name, database in ways.items() if round_ % 2 == 0 else reversed(ways.items()):
                pg_before = {pid: process_cpu(pid) for pid in postgres_pids(port)}
                cpu_before = time.process_time()
                seen = await slice_(database, org, units, args.concurrency)
                own = (time.process_time() - cpu_before) / units * 1000
                pg = sum(process_cpu(p) - pg_before.get(p, 0.0) for p in postgres_pids(port)) / units * 1000
                if seen != units * 50:
                    sys.exit(f"{name}: saw {seen} rows, expected {units * 50}: row-level security broken")
                results[name].append((own, pg))
                print(f"  round {round_ + 1} {name:>6}: process {own:.3f} ms, PostgreSQL {pg:.3f} ms per unit of work")
        for name, values in results.items():
            own = statistics.median(v[0] for v in values)
            pg = statistics.median(v[1] for v in values)
            print(f"median {name:>6}: process {own:.3f} ms, PostgreSQL {pg:.3f} ms, sum {own + pg:.3f} ms")
        for database in ways.values():
            await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=4)
    run_loop(main(parser.parse_args()))
