"""What compliance learns from other services' events: its own copies of leases, wells, lease-month volumes,
run tickets and the operator number, each followed by the draft lines (and taxes) they change.

Each function runs inside the consumer's unit of work, after the inbox claimed the event, so a redelivered
event changes nothing twice. Lease-month totals keep the highest revision seen: an older revision that
arrives late is ignored.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from wellflow_contracts.events.identity import OrganizationCreated, OrganizationUpdated
from wellflow_contracts.events.production import (
    LeaseMonthUpdated,
    RunTicketRecorded,
    RunTicketRejected,
    RunTicketRejectionResolved,
)
from wellflow_contracts.events.wells import (
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellUpdated,
)

from .calendar import ensure_obligations
from .common import Compliance
from .drafts import ensure_report, recompute_lease, regenerate_period, reports_lock_key
from .ports import ComplianceWork
from .severance import recompute_period_taxes, recompute_tax


async def _after_lines_changed(
    uow: ComplianceWork,
    compliance: Compliance,
    tenant_id: UUID,
    lease_id: UUID,
    periods: list[date],
    priced: set[date],
    now: datetime,
) -> None:
    """Taxes follow the volumes: recompute those of the changed months that have prices (entered, on tickets or
    from accounting: ``priced``, read with the lease's lines)."""
    for month in sorted(set(periods) & priced):
        await recompute_tax(uow, tenant_id, lease_id, month, now, compliance)


async def apply_lease(uow: ComplianceWork, compliance: Compliance, event: LeaseRegistered | LeaseUpdated) -> None:
    now = compliance.clock()
    # the tenant first, then the reports lock: apply_lease_month remembers the tenant before it may take the
    # reports lock exclusively, and the other order deadlocked a new tenant's first events
    await uow.tenants.remember(event.tenant_id, now)
    await uow.locks.acquire(reports_lock_key(event.tenant_id), shared=True)
    values = {
        "name": event.name,
        "rrc_district": event.rrc_district,
        "rrc_lease_number": event.rrc_lease_number,
        "lease_type": event.lease_type,
        "county": event.county,
        "status": event.status,
        "event_at": event.occurred_at,
        "updated_at": now,
        "purchasers": [p.model_dump(mode="json") for p in event.purchasers],
    }
    if await uow.leases.apply(event.lease_id, values):
        await _recompute(uow, compliance, event.tenant_id, event.lease_id, None, now, full=True)


async def apply_well(uow: ComplianceWork, compliance: Compliance, event: WellRegistered | WellUpdated) -> None:
    """The well's API number, gas well id and drilling permit number identify a pending lease's line (and a gas
    well's own line on a lease with several gas wells)."""
    now = compliance.clock()
    # the tenant first, then the reports lock: apply_lease_month remembers the tenant before it may take the
    # reports lock exclusively, and the other order deadlocked a new tenant's first events
    await uow.tenants.remember(event.tenant_id, now)
    await uow.locks.acquire(reports_lock_key(event.tenant_id), shared=True)
    old_lease = await uow.wells.lease_of(event.well_id)
    values = {
        "lease_id": event.lease_id,
        "name": event.name,
        "api_number": event.api_number,
        "gas_well_id": event.gas_well_id,
        "status": event.status,
        "event_at": event.occurred_at,
        "updated_at": now,
        "permit_number": event.permit_number,
    }
    if not await uow.wells.apply(event.well_id, values):
        return
    await _recompute(uow, compliance, event.tenant_id, event.lease_id, None, now, full=True)
    if old_lease is not None and old_lease != event.lease_id:
        await _recompute(uow, compliance, event.tenant_id, old_lease, None, now, full=True)


async def apply_well_status(uow: ComplianceWork, compliance: Compliance, event: WellStatusChanged) -> None:
    now = compliance.clock()
    await uow.locks.acquire(reports_lock_key(event.tenant_id), shared=True)
    if await uow.wells.change_status(event.well_id, event.to_status, event.occurred_at, now):
        await _recompute(uow, compliance, event.tenant_id, event.lease_id, None, now, full=True)


def _lease_month_values(event: LeaseMonthUpdated, now: datetime) -> dict[str, object]:
    oil = event.lease_type == "oil"
    return {
        "revision": event.revision,
        "lease_type": event.lease_type,
        "liquid_bbl": event.oil_bbl if oil else event.condensate_bbl,
        "gas_mcf": event.casinghead_gas_mcf if oil else event.gas_well_gas_mcf,
        "beginning_stock_bbl": event.beginning_oil_stock_bbl,
        "ending_stock_bbl": event.ending_oil_stock_bbl,
        # the Form PR's basis: net standard barrels (older producers send none: the draft uses the readings)
        "beginning_net_stock_bbl": event.beginning_net_stock_bbl,
        "ending_net_stock_bbl": event.ending_net_stock_bbl,
        "month_end_gauged": event.month_end_gauged,
        "uncorrected_stock_gauges": [g.model_dump(mode="json") for g in event.uncorrected_stock_gauges],
        "liquid_dispositions": [[d.code, str(d.bbl)] for d in event.oil_dispositions],
        "gas_dispositions": [
            {"code": g.code, "mcf": str(g.mcf), "authority": g.authority} for g in event.gas_dispositions
        ],
        "received_at": now,
    }


def _well_volumes(event: LeaseMonthUpdated) -> list[dict[str, str]]:
    """Each well's month (its liquid: oil or condensate, and its gas): the basis for one line per gas well."""
    return [{"well_id": str(w.well_id), "liquid_bbl": str(w.oil_bbl), "gas_mcf": str(w.gas_mcf)} for w in event.wells]


async def apply_lease_month(uow: ComplianceWork, compliance: Compliance, event: LeaseMonthUpdated) -> bool:
    """Keep the highest revision; returns False when the event was older than what is kept."""
    now = compliance.clock()
    month = event.month.replace(day=1)
    values = {**_lease_month_values(event, now), "well_volumes": _well_volumes(event)}
    kept, reported = await uow.lease_lines.intake(event.lease_id, month, values)
    if not kept:
        return False
    if not reported:
        _, created = await ensure_report(uow, event.tenant_id, month, now)
        if created:
            await ensure_obligations(uow, event.tenant_id, month, compliance)
            await recompute_period_taxes(uow, compliance, event.tenant_id, month, now)
            # A month that arrives after later ones (a backfill) changes their beginning stocks.
            for period in await uow.reports.periods(after=month):
                await regenerate_period(uow, event.tenant_id, period, now)
                await recompute_period_taxes(uow, compliance, event.tenant_id, period, now)
    await _recompute(uow, compliance, event.tenant_id, event.lease_id, month, now)
    return True


async def apply_run_ticket(uow: ComplianceWork, compliance: Compliance, event: RunTicketRecorded) -> None:
    now = compliance.clock()
    await uow.locks.acquire(reports_lock_key(event.tenant_id), shared=True)
    month = event.production_month.replace(day=1)
    await uow.run_tickets.add(
        {
            "id": event.ticket_id,
            "lease_id": event.lease_id,
            "month": month,
            "ticket_number": event.ticket_number,
            "disposition_code": event.disposition_code,
            "net_bbl": event.net_bbl,
            "taken_at": event.taken_at,
            "purchaser": event.purchaser,
            "price_per_bbl": event.price_per_bbl,
        }
    )
    if await uow.lines.line(event.lease_id, month) is not None:
        await _recompute(uow, compliance, event.tenant_id, event.lease_id, month, now)
    # The sale itself is the oil tax's base: its month is taxed again (unchanged results publish nothing).
    if event.price_per_bbl is not None or month in await uow.prices.months_priced(event.lease_id, [month]):
        await recompute_tax(uow, event.tenant_id, event.lease_id, month, now, compliance)


async def apply_run_ticket_rejected(uow: ComplianceWork, compliance: Compliance, event: RunTicketRejected) -> None:
    """The purchaser refused the load: the oil never left the tank, so the ticket is no sale (the severance tax's
    base) and no disposition (the Form PR check). Its month is recomputed; a replay changes nothing."""
    now = compliance.clock()
    await uow.locks.acquire(reports_lock_key(event.tenant_id), shared=True)
    month = event.production_month.replace(day=1)
    await uow.run_tickets.refuse(
        {
            "ticket_id": event.ticket_id,
            "lease_id": event.lease_id,
            "month": month,
            "reason": event.reason,
            "rejected_at": event.rejected_at,
        }
    )
    if await uow.lines.line(event.lease_id, month) is not None:
        await _recompute(uow, compliance, event.tenant_id, event.lease_id, month, now)
    await recompute_tax(uow, event.tenant_id, event.lease_id, month, now, compliance)


async def apply_run_ticket_rejection_resolved(
    uow: ComplianceWork, compliance: Compliance, event: RunTicketRejectionResolved
) -> None:
    """The dispute was settled (who and why, free text): recorded beside the refusal; the ticket stays out, as it
    does in production's dispositions."""
    await uow.run_tickets.settle(
        {
            "ticket_id": event.ticket_id,
            "lease_id": event.lease_id,
            "resolution": event.resolution,
            "resolved_by": event.resolved_by,
            "resolved_at": event.resolved_at,
        }
    )


async def apply_organization(uow: ComplianceWork, compliance: Compliance, event: OrganizationCreated) -> None:
    """The operator number from sign-up, unless someone already set it by hand."""
    now = compliance.clock()
    await uow.tenants.remember(event.tenant_id, now)
    await uow.operators.adopt_from_sign_up(
        name=event.name, number=event.rrc_operator_number, by=str(event.created_by_user_id), now=now
    )


async def apply_profile(uow: ComplianceWork, compliance: Compliance, event: OrganizationUpdated) -> None:
    """The organization's profile: the Form PR's operator block prints its legal name (else its name) and its
    RRC operator number (Form P-5), unless someone corrected them here after this profile was published."""
    await uow.tenants.remember(event.tenant_id, compliance.clock())
    await uow.operators.adopt_profile(
        name=event.legal_name or event.name,
        number=event.rrc_operator_number,
        by=event.updated_by or "identity",
        at=event.occurred_at,
    )


async def _recompute(
    uow: ComplianceWork,
    compliance: Compliance,
    tenant_id: UUID,
    lease_id: UUID,
    start: date | None,
    now: datetime,
    *,
    full: bool = False,
) -> None:
    changed, priced = await recompute_lease(uow, tenant_id, lease_id, start, now, full=full)
    await _after_lines_changed(uow, compliance, tenant_id, lease_id, [period for period, _ in changed], priced, now)
