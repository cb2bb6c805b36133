"""The Form PR submission queue against the stand-in RRC portal (served by uvicorn on a local port).

    python bench/compliance_submission_queue.py [--submissions 300] [--latency 0.05] [--outage 5]

1. Drain: N queued submissions over 5 organizations, filed by one worker, then (fresh queue) by two workers
   side by side; submissions per second, and a check that the portal filed each key exactly once.
2. Outage: the portal's socket is closed (connection refused) while N submissions are queued and the worker
   runs (breaker: 5 failures, 2 s); then it comes back. Time from the portal's return to the last
   acceptance, and the portal calls it took.

Uses WELLFLOW_DATABASE_URL when set, else an embedded PostgreSQL (as the other benchmarks). No NATS is
needed: events stay in the outbox.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from _common import servers
from wellflow_compliance.adapters.breaker import PortalBreaker
from wellflow_compliance.adapters.portal import StandInPortalAdapter
from wellflow_compliance.adapters.repositories.submissions import submission_listener
from wellflow_compliance.adapters.unit_of_work import SqlComplianceWork
from wellflow_compliance.app.submissions.queue import enqueue_submission
from wellflow_compliance.app.submissions.worker import SubmissionWorker
from wellflow_compliance.settings import PortalSettings
from wellflow_contracts.ids import uuid7
from wellflow_rrc_portal.app import create_app as create_portal
from wellflow_rrc_portal.faults import Faults
from wellflow_rrc_portal.server import PortalServer
from wellflow_servicekit.database import Database
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.runtime import run
from wellflow_servicekit.settings import load_settings

SERVICE_DIR = Path(__file__).resolve().parents[1] / "services" / "compliance"
TENANTS = [uuid7() for _ in range(5)]
REPORT: dict[str, Any] = {
    "period": "2026-07",
    "operator": {"name": "Bench Oil", "rrc_operator_number": "123456"},
    "lines": [
        {
            "lease_type": "oil",
            "rrc_district": "08",
            "identifier_kind": "lease_number",
            "identifier": "12345",
            "liquid_product": "oil",
            "gas_product": "casinghead_gas",
            "beginning_stock": 10,
            "liquid_production": 900,
            "liquid_dispositions": [{"code": "00", "volume": 850}],
            "ending_stock": 60,
            "gas_production": 1500,
            "gas_dispositions": [{"code": "02", "volume": 1400}, {"code": "10", "volume": 100, "authority": "AR"}],
        }
    ],
}


def settings_for(portal: PortalServer, **overrides: Any) -> PortalSettings:
    values: dict[str, Any] = {
        "service_name": "compliance",
        "jwks_url": "http://127.0.0.1:9/jwks.json",
        "jwt_issuer": "bench",
        "jwt_audience": "bench",
        "database_url": "postgresql+asyncpg://unused@127.0.0.1/unused",
        "nats_url": "nats://127.0.0.1:4222",
        "rrc_portal_url": portal.url,
        "portal_timeout_seconds": 2.0,
        "breaker_reset_timeout_seconds": 2.0,
        "submission_backoff_base_seconds": 0.2,
        "submission_backoff_max_seconds": 1.0,
        "submission_poll_interval_seconds": 0.05,
        "submission_batch_size": 10,
    }
    return load_settings(PortalSettings, **(values | overrides))


async def enqueue(database: Database, count: int) -> None:
    for index in range(count):
        tenant = TENANTS[index % len(TENANTS)]
        async with database.unit_of_work(tenant) as uow:
            await enqueue_submission(
                uow,
                tenant_id=tenant,
                report_id=uuid7(),
                report_version=1,
                period=date(2026, 7, 1),
                payload=REPORT,
                requested_by="bench",
            )


async def pending(owner: Database) -> int:
    async with owner.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM submission_schedule"))).scalar_one()


async def wait_drained(owner: Database, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while await pending(owner):
        if time.monotonic() > deadline:
            raise TimeoutError("the queue did not drain")
        await asyncio.sleep(0.02)


async def portal_counts(portal: PortalServer) -> tuple[int, int]:
    async with httpx.AsyncClient(base_url=portal.url) as client:
        calls = (await client.get("/admin/calls")).json()
        filings = (await client.get("/admin/filings")).json()["count"]
        await client.post("/admin/reset", params={"filings": "true"})
    return calls["total"], filings


def workers(database: Database, settings: PortalSettings, count: int) -> list[SubmissionWorker]:
    made = []
    for _ in range(count):
        adapter = StandInPortalAdapter(settings.rrc_portal_url, timeout_seconds=settings.portal_timeout_seconds)
        breaker = PortalBreaker(
            fail_max=settings.breaker_fail_max, reset_timeout=settings.breaker_reset_timeout_seconds
        )
        listen = submission_listener(database.url)  # woken by each queued submission's NOTIFY
        made.append(SubmissionWorker(database, adapter, breaker, settings, listen=listen))
    return made


async def stop(running: list[SubmissionWorker]) -> None:
    for worker in running:
        await worker.stop()
        await worker.adapter.aclose()


async def drain(database: Database, owner: Database, portal: PortalServer, n: int, count: int) -> None:
    await enqueue(database, n)
    running = workers(database, settings_for(portal), count)
    started = time.perf_counter()
    for worker in running:
        await worker.start()
    await wait_drained(owner)
    elapsed = time.perf_counter() - started
    await stop(running)
    calls, filings = await portal_counts(portal)
    print(
        f"  {count} worker(s): {n} submissions filed in {elapsed:.2f} s = {n / elapsed:.0f}/s; "
        f"portal calls {calls}, filings {filings} (each key once: {filings == n})"
    )


async def outage(database: Database, owner: Database, portal: PortalServer, n: int, seconds: float) -> None:
    running = workers(database, settings_for(portal), 1)
    await running[0].start()
    await portal.stop()
    await enqueue(database, n)
    await asyncio.sleep(seconds)
    state = running[0].breaker.state
    await portal.start()
    back = time.perf_counter()
    await wait_drained(owner)
    elapsed = time.perf_counter() - back
    await stop(running)
    calls, filings = await portal_counts(portal)
    print(
        f"  {n} submissions queued during a {seconds:g} s outage (breaker {state} at the end of it): all "
        f"filed {elapsed:.2f} s after the portal returned; portal calls {calls}, filings {filings}"
    )


async def main(args: argparse.Namespace) -> None:
    with servers() as (admin_url, _nats_url, where):
        suffix = f"_b{secrets.token_hex(4)}"
        provisioned = await provision_service_database(
            admin_url, "compliance", owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        try:
            await asyncio.to_thread(upgrade, SERVICE_DIR, provisioned.owner_url)
            database = Database(
                provisioned.runtime_url, service="compliance", pool_size=12, work_type=SqlComplianceWork
            )
            owner = Database(provisioned.owner_url, service="compliance", pool_size=1)
            portal = PortalServer(create_portal(data_dir=None, faults=Faults(latency_seconds=args.latency)))
            await portal.start()
            print(f"submission queue on {where}; portal latency {args.latency * 1000:.0f} ms, batch 10 per worker")
            try:
                await drain(database, owner, portal, args.submissions, 1)
                await drain(database, owner, portal, args.submissions, 2)
                await outage(database, owner, portal, args.submissions, args.outage)
            finally:
                await portal.stop()
                await database.dispose()
                await owner.dispose()
        finally:
            await drop_service_database(admin_url, "compliance", database_suffix=suffix)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05, help="portal latency per filing, seconds")
    parser.add_argument("--outage", type=float, default=5.0, help="outage length, seconds")
    sys.exit(run(main(parser.parse_args())))
