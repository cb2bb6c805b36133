"""What a reading costs downstream: compliance's and accounting's CPU per ``production.lease_month_updated.v1``.

    env -u WELLFLOW_DATABASE_URL -u WELLFLOW_NATS_URL python bench/downstream_per_reading.py \
        [--leases 20] [--wells-per-lease 4] [--rounds 5] [--rate 30]

Each reading production records publishes one ``LeaseMonthUpdated`` (the lease-month's whole picture with a new
revision). A pumper enters a lease's wells one after another, so the events come in bursts: this script
publishes, on a clock at ``--rate`` events a second, ``--wells-per-lease`` consecutive revisions of one
lease-month, lease after lease, ``--rounds`` times over (as production's relay does: straight into JetStream).
Compliance and accounting each run as their own process (the real app, its durable consumers, inbox and outbox
relay) on their own provisioned, migrated databases, seeded with the leases and wells they need.

Prints, per process (compliance, accounting, and PostgreSQL's server processes), the CPU time from
``/proc/<pid>/stat`` over the run divided by the events published, the lag from an event's publication to its
inbox row in each service (p50/p99/max), and checks that each lease-month ends at its last revision in both
services. PostgreSQL's CPU is read only for embedded servers (unset WELLFLOW_DATABASE_URL and WELLFLOW_NATS_URL,
as above: a shared server's CPU would count other work).

Baseline (before coalescing, 2 busy cores): see docs/benchmarks.md, "What a reading costs downstream".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import nats
from compliance_form_pr import JULY, JUNE, lease_month_event, seed
from sqlalchemy import text

from _common import AUDIENCE, ISSUER, JWKS_URL, Signer, percentile, servers
from wellflow_accounting.adapters.unit_of_work import SqlAccountingWork
from wellflow_compliance.adapters.unit_of_work import SqlComplianceWork
from wellflow_compliance.app.calendar import ensure_obligations
from wellflow_compliance.app.common import Compliance
from wellflow_compliance.app.drafts import ensure_report
from wellflow_contracts import encode, to_headers
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.database import Database
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.runtime import run
from wellflow_servicekit.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("compliance", "accounting")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, children: bool = False) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: backends that have exited
    return ticks / CLOCK_TICKS


def postgres_cpu(postmaster: int | None) -> float | None:
    """The postmaster, its live children (backends, checkpointer, WAL writer...) and the ones that exited."""
    if postmaster is None:
        return None
    total = cpu_seconds(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
            with contextlib.suppress(OSError):
                total += cpu_seconds(int(entry.name))
    return total


async def serve(service: str, runtime_url: str, nats_url: str, root: str, linger: str) -> None:
    """One service's app with its consumers, until the parent closes our stdin."""
    if service == "compliance":
        from wellflow_compliance.bootstrap import create_app
        from wellflow_compliance.settings import ComplianceSettings as settings_class

        extra = {"submission_worker_enabled": False, "deadline_task_enabled": False}
    else:
        from wellflow_accounting.bootstrap import create_app  # type: ignore[assignment]
        from wellflow_accounting.settings import AccountingSettings as settings_class  # type: ignore[assignment]

        extra = {}
    settings = load_settings(
        settings_class,
        service_name=service,
        database_url=runtime_url,
        nats_url=nats_url,
        event_subject_root=root,
        jwks_url=JWKS_URL,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        db_pool_size=10,
        log_level="WARNING",
        **extra,
        **({"consumer_coalesce_linger": float(linger)} if linger else {}),
    )
    app = create_app(settings, token_verifier=Signer().verifier())
    async with app.router.lifespan_context(app):
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)


async def seed_accounting(database: Database, tenant: UUID, lease_list: list) -> None:
    now = datetime.now(UTC)
    async with database.unit_of_work(tenant) as uow:
        for index, (lease_id, lease_type) in enumerate(lease_list):
            await uow.leases.upsert(  # type: ignore[attr-defined]
                {
                    "organization_id": tenant,
                    "id": lease_id,
                    "name": f"Lease {index:04d}",
                    "rrc_district": "08",
                    "rrc_lease_number": f"{10000 + index}",
                    "lease_type": lease_type,
                    "county": "Midland",
                    "royalty_rate": Decimal("0.1875"),
                    "status": "active",
                    "updated_at": now,
                }
            )


async def drained(js, root: str, durables: list[str]) -> bool:  # type: ignore[no-untyped-def]
    for durable in durables:
        info = await js.consumer_info(stream_name(root), durable)
        if info.num_pending or info.num_ack_pending:
            return False
    return True


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(11)
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        urls: dict[str, str] = {}
        owners: dict[str, str] = {}
        root = f"wfbench{uuid4().hex[:6]}"
        children: dict[str, subprocess.Popen[str]] = {}
        try:
            for service in SERVICES:
                db = await provision_service_database(
                    admin_url,
                    service,
                    owner_password="bench-owner",
                    runtime_password="bench-app",
                    database_suffix=suffix,
                )
                urls[service], owners[service] = db.runtime_url, db.owner_url
                await asyncio.to_thread(upgrade, ROOT / "services" / service, db.owner_url)
            await ensure_stream(nats_url, root)

            tenant = uuid7()
            compliance_db = Database(urls["compliance"], service="compliance", pool_size=2, work_type=SqlComplianceWork)
            lease_list = await seed(compliance_db, tenant, args.leases, args.wells_per_lease, rng)
            async with compliance_db.unit_of_work(tenant) as uow:
                await ensure_report(uow, tenant, JUNE, datetime.now(UTC))
                await ensure_obligations(uow, tenant, JUNE, Compliance(compliance_db))
                await ensure_report(uow, tenant, JULY, datetime.now(UTC))
            accounting_db = Database(urls["accounting"], service="accounting", pool_size=2, work_type=SqlAccountingWork)
            await seed_accounting(accounting_db, tenant, lease_list)
            async with accounting_db.unit_of_work(None) as uow:
                backend = (await uow.connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            postmaster = None
            if "embedded" in where:
                postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])

            for service in SERVICES:
                child = subprocess.Popen(
                    [sys.executable, __file__, "--serve", service, urls[service], nats_url, root, args.linger or ""],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                children[service] = child
                assert child.stdout is not None
                line = await asyncio.to_thread(child.stdout.readline)
                if line.strip() != "ready":
                    raise SystemExit(f"{service} did not start")

            nc = await nats.connect(nats_url)
            js = nc.jetstream()
            durables = [f"{service}-lease-month-updated" for service in SERVICES]
            revisions: dict[UUID, int] = {}
            published: dict[str, float] = {}

            async def publish(lease_id: UUID, lease_type: str) -> None:
                revision = revisions.get(lease_id, 1) + 1
                revisions[lease_id] = revision
                event = lease_month_event(tenant, lease_id, lease_type, JULY, revision, rng)
                await js.publish(
                    event_subject(tenant, event.type, root),
                    encode(event),
                    headers=to_headers(event, source="/wellflow/production"),
                    stream=stream_name(root),
                )
                published[str(event.event_id)] = event.occurred_at.timestamp()

            async def wait_drained() -> float:
                started = time.perf_counter()
                while not await drained(js, root, durables):
                    await asyncio.sleep(0.1)
                return time.perf_counter() - started

            for lease_id, lease_type in lease_list[:5]:  # warm both consumers up
                await publish(lease_id, lease_type)
            await wait_drained()
            await asyncio.sleep(2)
            published.clear()

            plan = [
                lease
                for _ in range(args.rounds)
                for lease in rng.sample(lease_list, len(lease_list))
                for _ in range(args.wells_per_lease)
            ]
            pids = {service: child.pid for service, child in children.items()}
            idle_for = 5.0  # what the processes spend doing nothing (relay polls, gauges), to set beside the figures
            idle_before = {service: cpu_seconds(pid) for service, pid in pids.items()}
            await asyncio.sleep(idle_for)
            idle = {service: (cpu_seconds(pid) - idle_before[service]) / idle_for for service, pid in pids.items()}
            # what to attach a profiler to (py-spy record --pid N --format raw) while the events flow
            print(f"publishing; pids {pids}", file=sys.stderr, flush=True)
            before = {service: cpu_seconds(pid) for service, pid in pids.items()}
            pg_before = postgres_cpu(postmaster)
            start = time.perf_counter()
            for n, (lease_id, lease_type) in enumerate(plan):
                delay = start + n / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                await publish(lease_id, lease_type)
            sent_for = time.perf_counter() - start
            tail = await wait_drained()
            after = {service: cpu_seconds(pid) for service, pid in pids.items()}
            pg_after = postgres_cpu(postmaster)
            await nc.close()

            count = len(plan)
            print(f"servers: {where}")
            print(
                f"events: {count} LeaseMonthUpdated at {count / sent_for:.1f}/s over {sent_for:.1f} s, "
                f"{args.wells_per_lease} in a row per lease-month, {args.leases} leases x {args.rounds} rounds; "
                f"drained {tail:.1f} s after the last"
            )
            print(f"coalescing linger: {args.linger or 'CONSUMER_COALESCE_LINGER (default 0.2)'} s")
            print("| process | CPU over the run | CPU per event | of which idle |")
            print("|---|---|---|---|")
            elapsed = sent_for + tail
            for service in SERVICES:
                used = after[service] - before[service]
                print(
                    f"| {service} | {used:.2f} s | {used / count * 1000:.2f} ms | "
                    f"{idle[service] * elapsed / count * 1000:.2f} ms |"
                )
            if pg_before is not None and pg_after is not None:
                used = pg_after - pg_before
                print(f"| PostgreSQL | {used:.2f} s | {used / count * 1000:.2f} ms | |")
            ok = True
            for service in SERVICES:
                database = compliance_db if service == "compliance" else accounting_db
                table = "lease_months"
                async with database.unit_of_work(tenant) as uow:
                    handled = (
                        await uow.connection.execute(
                            text("SELECT event_id::text, processed_at FROM inbox WHERE consumer = :c"),
                            {"c": f"{service}-lease-month-updated"},
                        )
                    ).all()
                    kept = dict(
                        (
                            await uow.connection.execute(
                                text(f"SELECT lease_id, revision FROM {table} WHERE month = :m"), {"m": JULY}
                            )
                        ).all()
                    )
                lags = [
                    (row.processed_at.timestamp() - published[row.event_id]) * 1000
                    for row in handled
                    if row.event_id in published
                ]
                missing = count - len(lags)
                wrong = sum(1 for lease, revision in revisions.items() if kept.get(lease) != revision)
                ok = ok and not missing and not wrong
                print(
                    f"{service}: lag publish->inbox p50 {percentile(lags, 0.5):.0f} ms, "
                    f"p99 {percentile(lags, 0.99):.0f} ms, "
                    f"max {max(lags):.0f} ms; {missing} events without an inbox row; "
                    f"{wrong} lease-months not at their last revision"
                )
            await compliance_db.dispose()
            await accounting_db.dispose()
            if not ok:
                raise SystemExit("an event was lost or a lease-month is not at its last revision")
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.communicate("stop\n", timeout=60)
            connection = await nats.connect(nats_url)
            try:
                await connection.jetstream().delete_stream(stream_name(root))
            finally:
                await connection.close()
            for service in urls:
                await drop_service_database(admin_url, service, database_suffix=suffix)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        run(serve(*sys.argv[2:7]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leases", type=int, default=20)
    parser.add_argument("--wells-per-lease", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument(
        "--linger", default=None, help="CONSUMER_COALESCE_LINGER for both services (0: no coalescing, the baseline)"
    )
    sys.exit(run(main(parser.parse_args())))
