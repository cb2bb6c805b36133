"""``SqlLeaseLines``: the few statements that rebuild a lease's line on every reading's event read what the
statement-per-question twin (``RepositoryLeaseLines``) reads, take the same locks, keep only the highest revision
and stay inside the tenant."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text

from wellflow_compliance.adapters.unit_of_work import SqlComplianceWork
from wellflow_compliance.app.intake import _lease_month_values, _well_volumes
from wellflow_compliance.app.lease_lines import RepositoryLeaseLines, lease_lock_key
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import Database

JUNE, JULY, AUGUST = date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)
NOW = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)


def month_values(compliance, lease_id: UUID, month: date, revision: int, liquid: str) -> dict:  # type: ignore[no-untyped-def]
    event = compliance.lease_month(lease_id, month, revision=revision, liquid=liquid, beginning_net="10")
    return {**_lease_month_values(event, NOW), "well_volumes": _well_volumes(event)}


async def advisory_locks(uow) -> list[str]:  # type: ignore[no-untyped-def]
    rows = await uow.connection.execute(
        text("SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() ORDER BY mode")
    )
    return [row[0] for row in rows]


async def test_intake_keeps_the_highest_revision_and_takes_the_rebuilds_locks(compliance):
    database = Database(compliance.runtime_url, service="compliance", pool_size=2, work_type=SqlComplianceWork)
    lease_id = uuid7()
    try:
        async with database.unit_of_work(compliance.org_a) as uow:
            for period in (JUNE, JULY, AUGUST):
                await uow.reports.create(period, NOW)
            assert await uow.lease_lines.intake(lease_id, JULY, month_values(compliance, lease_id, JULY, 3, "300"))
            # the lease's lock and the shared locks of July and August (the periods from the month on)
            assert await advisory_locks(uow) == ["ExclusiveLock", "ShareLock", "ShareLock"]
            snapshot = await uow.lease_lines.open(compliance.org_a, lease_id, JULY)
            assert snapshot.periods == [JULY, AUGUST] and snapshot.before == JUNE
            assert snapshot.months[JULY].revision == 3 and snapshot.months[JULY].liquid_bbl == Decimal("300.0000")
            assert await advisory_locks(uow) == ["ExclusiveLock", "ShareLock", "ShareLock"]  # none taken twice

        async with database.unit_of_work(compliance.org_a) as uow:
            older = month_values(compliance, lease_id, JULY, 2, "200")
            assert await uow.lease_lines.intake(lease_id, JULY, older) == (False, False)
            assert await advisory_locks(uow) == []  # nothing to rebuild, nothing locked
            kept = await uow.lease_months.of_lease_since(lease_id, JULY)
            assert kept[JULY].revision == 3 and kept[JULY].liquid_bbl == Decimal("300.0000")
            # a month without its report yet: kept, no locks (the report's creation takes the reports lock first)
            assert await uow.lease_lines.intake(
                lease_id, date(2026, 9, 1), month_values(compliance, lease_id, date(2026, 9, 1), 1, "5")
            ) == (True, False)
            assert await advisory_locks(uow) == []

        async with database.unit_of_work(compliance.org_b) as uow:  # another tenant sees none of it
            await uow.reports.create(JULY, NOW)
            snapshot = await uow.lease_lines.open(compliance.org_b, lease_id, JULY)
            assert snapshot.periods == [JULY] and snapshot.months == {} and snapshot.facts is None
    finally:
        await database.dispose()


async def test_the_snapshot_reads_what_the_repositories_read(compliance):
    """Lease, wells, months, lines, adjustments, run tickets (a refused one left out) and prices, both ways."""
    lease_id = uuid7()
    database = Database(compliance.runtime_url, service="compliance", pool_size=2, work_type=SqlComplianceWork)
    try:
        async with database.unit_of_work(compliance.org_a) as uow:
            await uow.leases.apply(
                lease_id,
                {
                    "name": "Ranch A",
                    "rrc_district": "08",
                    "rrc_lease_number": "12345",
                    "lease_type": "oil",
                    "county": "Midland",
                    "status": "active",
                    "event_at": NOW,
                    "updated_at": NOW,
                    "purchasers": [{"product": "oil", "role": "purchaser", "name": "Crude Co", "p5_number": "1"}],
                },
            )
            for api in ("42501201300000", "42501201310000"):
                well = {"lease_id": lease_id, "name": api, "api_number": api, "gas_well_id": None}
                await uow.wells.apply(uuid7(), {**well, "status": "producing", "event_at": NOW, "updated_at": NOW})
            await uow.reports.create(JUNE, NOW)
            await uow.reports.create(JULY, NOW)
            for month, revision in ((JUNE, 1), (JULY, 1)):
                await uow.lease_months.apply(lease_id, month, month_values(compliance, lease_id, month, revision, "9"))
            await uow.lines.save(
                {
                    "period": JUNE,
                    "lease_id": lease_id,
                    "line": {"lease_id": str(lease_id), "note": "kept"},
                    "ending_stock": 42,
                    "errors": 0,
                    "warnings": 1,
                    "updated_at": NOW,
                }
            )
            await uow.adjustments.add(
                {
                    "id": uuid7(),
                    "period": JULY,
                    "lease_id": lease_id,
                    "product": "liquid",
                    "code": "L",
                    "volume": Decimal("-1.2500"),
                    "authority": None,
                    "remark": None,
                    "reason": "spill",
                    "created_by": "clerk",
                    "created_at": NOW,
                }
            )
            for number, bbl, price in (("T1", "100.5", "70.25"), ("T2", "20", None), ("T3", "7", None)):
                await uow.run_tickets.add(
                    {
                        "id": uuid7(),
                        "lease_id": lease_id,
                        "month": JULY,
                        "ticket_number": number,
                        "disposition_code": "TR",
                        "net_bbl": Decimal(bbl),
                        "taken_at": NOW,
                        "purchaser": "Crude Co",
                        "price_per_bbl": Decimal(price) if price else None,
                    }
                )
            refused = (
                await uow.connection.execute(text("SELECT id FROM run_tickets WHERE ticket_number = 'T3'"))
            ).scalar()
            await uow.run_tickets.refuse(
                {"ticket_id": refused, "lease_id": lease_id, "month": JULY, "reason": "BS&W", "rejected_at": NOW}
            )

        async with database.unit_of_work(compliance.org_a) as uow:
            fast = await uow.lease_lines.open(compliance.org_a, lease_id, JULY)
        async with database.unit_of_work(compliance.org_a) as uow:
            slow = await RepositoryLeaseLines(uow).open(compliance.org_a, lease_id, JULY)
        assert fast == slow
        assert fast.before == JUNE and fast.endings == {JUNE: 42}
        assert fast.tickets == {JULY: {"TR": Decimal("120.5000")}} and fast.priced == {JULY}
        assert [a.volume for a in fast.adjustments[JULY]] == [Decimal("-1.2500")]
        assert fast.facts is not None and len(fast.facts.wells) == 2 and fast.facts.purchasers
    finally:
        await database.dispose()


def test_lock_keys_name_the_tenant_and_the_lease():
    tenant, lease = uuid7(), uuid7()
    assert lease_lock_key(tenant, lease) == f"compliance-lease:{tenant}:{lease}"
