"""What compliance learns from other services' events: its own copies of leases, wells, lease-month volumes,
run tickets and the operator number, each followed by the draft lines (and taxes) they change.

Each function runs inside the consumer's unit of work, after the inbox claimed the event, so a redelivered
event changes nothing twice. Lease-month totals keep the highest revision seen: an older revision that
arrives late is ignored.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.events.identity import OrganizationCreated
from wellflow_contracts.events.production import LeaseMonthUpdated, RunTicketRecorded
from wellflow_contracts.events.wells import LeaseRegistered, LeaseUpdated, WellStatusChanged
from wellflow_servicekit.database import UnitOfWork

from ..adapters.tables import (
    form_pr_lines,
    form_pr_reports,
    lease_months,
    leases,
    operators,
    run_tickets,
    severance_prices,
    wells,
)
from .calendar import ensure_obligations
from .common import Compliance, lock, remember_tenant
from .drafts import ensure_report, recompute_lease, regenerate_period, reports_lock_key
from .severance import recompute_period_taxes, recompute_tax


async def _after_lines_changed(
    uow: UnitOfWork, compliance: Compliance, tenant_id: UUID, lease_id: UUID, periods: list[date], now: datetime
) -> None:
    """Taxes follow the volumes: recompute those of the changed months that have prices."""
    if not periods:
        return
    priced = set(
        (
            await uow.connection.execute(
                select(severance_prices.c.month)
                .where(severance_prices.c.lease_id == lease_id, severance_prices.c.month.in_(periods))
                .distinct()
            )
        ).scalars()
    )
    for month in sorted(priced):
        await recompute_tax(uow, tenant_id, lease_id, month, now, compliance)


async def apply_lease(uow: UnitOfWork, compliance: Compliance, event: LeaseRegistered | LeaseUpdated) -> None:
    now = compliance.clock()
    await lock(uow, reports_lock_key(event.tenant_id), shared=True)
    await remember_tenant(uow, event.tenant_id, now)
    values = {
        "name": event.name,
        "rrc_district": event.rrc_district,
        "rrc_lease_number": event.rrc_lease_number,
        "lease_type": event.lease_type,
        "county": event.county,
        "status": event.status,
        "event_at": event.occurred_at,
        "updated_at": now,
    }
    statement = pg_insert(leases).values(organization_id=event.tenant_id, id=event.lease_id, **values)
    applied = await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "id"],
            set_=values,
            where=leases.c.event_at <= statement.excluded.event_at,
        ).returning(leases.c.id)
    )
    if applied.first() is None:
        return
    await _recompute(uow, compliance, event.tenant_id, event.lease_id, None, now, full=True)


async def apply_well(uow: UnitOfWork, compliance: Compliance, event) -> None:  # type: ignore[no-untyped-def]
    """WellRegistered / WellUpdated: the well's API number and gas well id identify a pending lease's line."""
    now = compliance.clock()
    await lock(uow, reports_lock_key(event.tenant_id), shared=True)
    await remember_tenant(uow, event.tenant_id, now)
    old_lease = (
        await uow.connection.execute(select(wells.c.lease_id).where(wells.c.id == event.well_id))
    ).scalar_one_or_none()
    values = {
        "lease_id": event.lease_id,
        "name": event.name,
        "api_number": event.api_number,
        "gas_well_id": event.gas_well_id,
        "status": event.status,
        "event_at": event.occurred_at,
        "updated_at": now,
    }
    statement = pg_insert(wells).values(organization_id=event.tenant_id, id=event.well_id, **values)
    applied = await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "id"], set_=values, where=wells.c.event_at <= statement.excluded.event_at
        ).returning(wells.c.id)
    )
    if applied.first() is None:
        return
    await _recompute(uow, compliance, event.tenant_id, event.lease_id, None, now, full=True)
    if old_lease is not None and old_lease != event.lease_id:
        await _recompute(uow, compliance, event.tenant_id, old_lease, None, now, full=True)


async def apply_well_status(uow: UnitOfWork, compliance: Compliance, event: WellStatusChanged) -> None:
    now = compliance.clock()
    await lock(uow, reports_lock_key(event.tenant_id), shared=True)
    result = await uow.connection.execute(
        wells.update()
        .where(wells.c.id == event.well_id, wells.c.event_at <= event.occurred_at)
        .values(status=event.to_status, event_at=event.occurred_at, updated_at=now)
    )
    if result.rowcount:
        await _recompute(uow, compliance, event.tenant_id, event.lease_id, None, now, full=True)


async def apply_lease_month(uow: UnitOfWork, compliance: Compliance, event: LeaseMonthUpdated) -> bool:
    """Keep the highest revision; returns False when the event was older than what is kept."""
    now = compliance.clock()
    month = event.month.replace(day=1)
    liquid = event.oil_bbl if event.lease_type == "oil" else event.condensate_bbl
    gas = event.casinghead_gas_mcf if event.lease_type == "oil" else event.gas_well_gas_mcf
    values = {
        "revision": event.revision,
        "lease_type": event.lease_type,
        "liquid_bbl": liquid,
        "gas_mcf": gas,
        "beginning_stock_bbl": event.beginning_oil_stock_bbl,
        "ending_stock_bbl": event.ending_oil_stock_bbl,
        "liquid_dispositions": [[d.code, str(d.bbl)] for d in event.oil_dispositions],
        "gas_dispositions": [
            {"code": g.code, "mcf": str(g.mcf), "authority": g.authority} for g in event.gas_dispositions
        ],
        "received_at": now,
    }
    statement = pg_insert(lease_months).values(
        organization_id=event.tenant_id, lease_id=event.lease_id, month=month, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=["organization_id", "lease_id", "month"],
        set_=values,
        where=lease_months.c.revision < statement.excluded.revision,
    ).returning(lease_months.c.revision)
    if (await uow.connection.execute(statement)).first() is None:
        return False
    await remember_tenant(uow, event.tenant_id, now)
    _, created = await ensure_report(uow, event.tenant_id, month, now)
    if created:
        await ensure_obligations(uow, event.tenant_id, month, compliance)
        await recompute_period_taxes(uow, compliance, event.tenant_id, month, now)
        # A month that arrives after later ones (a backfill) changes their beginning stocks.
        later = (
            await uow.connection.execute(
                select(form_pr_reports.c.period)
                .where(form_pr_reports.c.period > month)
                .order_by(form_pr_reports.c.period)
            )
        ).scalars()
        for period in list(later):
            await regenerate_period(uow, event.tenant_id, period, now)
            await recompute_period_taxes(uow, compliance, event.tenant_id, period, now)
    await _recompute(uow, compliance, event.tenant_id, event.lease_id, month, now)
    return True


async def apply_run_ticket(uow: UnitOfWork, compliance: Compliance, event: RunTicketRecorded) -> None:
    now = compliance.clock()
    await lock(uow, reports_lock_key(event.tenant_id), shared=True)
    month = event.production_month.replace(day=1)
    statement = pg_insert(run_tickets).values(
        organization_id=event.tenant_id,
        id=event.ticket_id,
        lease_id=event.lease_id,
        month=month,
        ticket_number=event.ticket_number,
        disposition_code=event.disposition_code,
        net_bbl=event.net_bbl,
        taken_at=event.taken_at,
        purchaser=event.purchaser,
    )
    await uow.connection.execute(statement.on_conflict_do_nothing())
    exists = (
        await uow.connection.execute(
            select(form_pr_lines.c.lease_id).where(
                form_pr_lines.c.period == month, form_pr_lines.c.lease_id == event.lease_id
            )
        )
    ).first()
    if exists is not None:
        await _recompute(uow, compliance, event.tenant_id, event.lease_id, month, now)


async def apply_organization(uow: UnitOfWork, compliance: Compliance, event: OrganizationCreated) -> None:
    """The operator number from sign-up, unless someone already set it by hand."""
    now = compliance.clock()
    await remember_tenant(uow, event.tenant_id, now)
    statement = pg_insert(operators).values(
        organization_id=event.tenant_id,
        name=event.name,
        rrc_operator_number=event.rrc_operator_number,
        source="identity",
        updated_by=str(event.created_by_user_id),
        updated_at=now,
    )
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id"],
            set_={"name": statement.excluded.name},
        )
    )


async def _recompute(
    uow: UnitOfWork,
    compliance: Compliance,
    tenant_id: UUID,
    lease_id: UUID,
    start: date | None,
    now: datetime,
    *,
    full: bool = False,
) -> None:
    changed = await recompute_lease(uow, tenant_id, lease_id, start, now, full=full)
    await _after_lines_changed(uow, compliance, tenant_id, lease_id, [period for period, _ in changed], now)
