"""What accounting learns from other services' events: leases and wells (names and counties for statements,
drilling and producing days for overhead), each lease-month's sold volumes (keeping the highest revision), run
tickets, and the compliance service's severance tax. Each handler runs in the consumer's unit of work, so its
writes and the inbox row commit together and a redelivered event changes nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import SeveranceTaxComputed
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

from . import reconciliation
from .ports import AccountingWork

# Form PR gas disposition codes that are sales: 02 transmission line, 03 processing plant (docs/domain.md).
GAS_SALES_CODES = frozenset({"02", "03"})


def _now() -> datetime:
    return datetime.now(UTC)


async def _reconcile(uow: AccountingWork, tenant_id: UUID, lease_id: UUID, month: date) -> None:
    """The lease-month's reconciliation follows its facts, in the handler's transaction (docs/reconciliation.md)."""
    keys = await uow.recon.touched({(lease_id, month)})
    await reconciliation.refresh(uow, tenant_id, keys, _now())


async def on_lease(uow: AccountingWork, event: LeaseRegistered | LeaseUpdated) -> None:
    values = {
        "organization_id": event.tenant_id,
        "id": event.lease_id,
        "name": event.name,
        "rrc_district": event.rrc_district,
        "rrc_lease_number": event.rrc_lease_number,
        "lease_type": event.lease_type,
        "county": event.county,
        "royalty_rate": event.royalty_rate,
        "status": event.status,
        "updated_at": event.occurred_at,
    }
    # Events of one lease arrive in order; a replayed older event never undoes a newer one.
    await uow.leases.upsert(values)


async def on_well(uow: AccountingWork, event: WellRegistered | WellUpdated) -> None:
    values = {
        "organization_id": event.tenant_id,
        "id": event.well_id,
        "lease_id": event.lease_id,
        "name": event.name,
        "api_number": event.api_number,
        "county": event.county,
        "status": event.status,
        "updated_at": event.occurred_at,
    }
    await uow.wells.upsert(values)
    if isinstance(event, WellRegistered):
        await uow.wells.add_status(event.tenant_id, event.well_id, event.occurred_at.date(), event.status)


async def on_well_status(uow: AccountingWork, event: WellStatusChanged) -> None:
    await uow.wells.set_status(event.well_id, event.to_status, event.occurred_at)
    await uow.wells.add_status(event.tenant_id, event.well_id, event.effective_date, event.to_status)


def gas_sold(event: LeaseMonthUpdated) -> tuple[Decimal, bool]:
    """Gas sold is the gas disposed to a transmission line or a processing plant. When no disposition is
    recorded yet, the lease's gas is taken as sold and flagged as an estimate (the run shows the flag)."""
    if not event.gas_dispositions:
        return event.gas_mcf, event.gas_mcf > 0
    return sum((d.mcf for d in event.gas_dispositions if d.code in GAS_SALES_CODES), Decimal(0)), False


async def on_lease_month(uow: AccountingWork, event: LeaseMonthUpdated) -> None:
    sold_gas, estimated = gas_sold(event)
    values = {
        "organization_id": event.tenant_id,
        "lease_id": event.lease_id,
        "month": event.month,
        "revision": event.revision,
        "lease_type": event.lease_type,
        "oil_bbl": event.oil_bbl,
        "condensate_bbl": event.condensate_bbl,
        "gas_mcf": event.gas_mcf,
        "liquid_sold_bbl": event.oil_disposed_bbl,
        "gas_sold_mcf": sold_gas,
        "gas_sold_estimated": estimated,
        "updated_at": _now(),
    }
    touched = await uow.volumes.upsert_month(values)  # keeps the highest revision
    await reconciliation.refresh(uow, event.tenant_id, touched, _now())


async def on_run_ticket(uow: AccountingWork, event: RunTicketRecorded) -> None:
    await uow.volumes.add_run_ticket(
        {
            "organization_id": event.tenant_id,
            "id": event.ticket_id,
            "lease_id": event.lease_id,
            "production_month": event.production_month,
            "ticket_number": event.ticket_number,
            "net_bbl": event.net_bbl,
            "purchaser": event.purchaser,
            "taken_at": event.taken_at,
        }
    )
    await _reconcile(uow, event.tenant_id, event.lease_id, event.production_month)


async def on_run_ticket_rejected(uow: AccountingWork, event: RunTicketRejected) -> None:
    """The purchaser refused the load: the oil never left the tank, so the ticket leaves the lease-month's sold
    barrels, the valuation and the reconciliation (no ``ticket_not_paid`` for it). Kept apart from the ticket's
    copy, so this event may arrive before ``run_ticket_recorded``."""
    await uow.volumes.refuse_ticket(
        {
            "organization_id": event.tenant_id,
            "ticket_id": event.ticket_id,
            "lease_id": event.lease_id,
            "production_month": event.production_month,
            "reason": event.reason,
            "rejected_at": event.rejected_at,
        }
    )
    await _reconcile(uow, event.tenant_id, event.lease_id, event.production_month)


async def on_run_ticket_rejection_resolved(uow: AccountingWork, event: RunTicketRejectionResolved) -> None:
    """The dispute was settled. The event says who settled it and why (free text), not that the load was sold
    after all, and production keeps a refused load out of the dispositions once settled; so does accounting:
    the settlement is recorded beside the refusal and the ticket stays out."""
    await uow.volumes.settle_refusal(
        {
            "organization_id": event.tenant_id,
            "ticket_id": event.ticket_id,
            "lease_id": event.lease_id,
            "resolution": event.resolution,
            "resolved_by": event.resolved_by,
            "resolved_at": event.resolved_at,
        }
    )


def owners_tax(event: SeveranceTaxComputed) -> tuple[dict[str, str], dict[str, Any]]:
    """Compliance's tax as accounting keeps it: per product, the tax the revenue owners bear (the lines on sold
    volumes, exactly as compliance computed them), and beside it the detail the run checks against: the value
    compliance taxed per product, the tax on unsold volumes (the operator's), the value sources and warnings."""
    lines: dict[str, str] = {}
    values: dict[str, str] = {}
    operator: dict[str, str] = {}
    sources: dict[str, str] = {}
    for line in event.lines:
        if line.commodity == "gas_fee":
            continue
        if line.borne_by_owners:
            lines[line.product] = str(Decimal(lines.get(line.product, "0")) + line.tax)
            values[line.product] = str(Decimal(values.get(line.product, "0")) + line.gross_value)
            if line.value_source:
                sources[line.product] = line.value_source
        else:
            operator[line.product] = str(Decimal(operator.get(line.product, "0")) + line.tax)
    detail = {"values": values, "operator_tax": operator, "sources": sources, "warnings": list(event.warnings)}
    return lines, detail


async def on_severance_tax(uow: AccountingWork, event: SeveranceTaxComputed) -> None:
    lines, detail = owners_tax(event)
    values = {
        "organization_id": event.tenant_id,
        "lease_id": event.lease_id,
        "month": event.month,
        "revision": event.revision,
        "lines": lines,
        "detail": detail,
        "updated_at": _now(),
    }
    await uow.volumes.upsert_severance_tax(values, _now())  # keeps the highest revision
    await _reconcile(uow, event.tenant_id, event.lease_id, event.month)
