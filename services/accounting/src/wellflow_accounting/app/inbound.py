"""What accounting learns from other services' events: leases and wells (names and counties for statements,
drilling and producing days for overhead), each lease-month's sold volumes (keeping the highest revision), run
tickets, and the compliance service's severance tax. Each handler runs in the consumer's unit of work, so its
writes and the inbox row commit together and a redelivered event changes nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from wellflow_contracts.events.compliance import SeveranceTaxComputed
from wellflow_contracts.events.production import LeaseMonthUpdated, RunTicketRecorded
from wellflow_contracts.events.wells import (
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellUpdated,
)
from wellflow_servicekit.database import UnitOfWork

from ..adapters.tables import lease_months, leases, run_tickets, severance_taxes, well_status_history, wells

# Form PR gas disposition codes that are sales: 02 transmission line, 03 processing plant (DOMAIN.md).
GAS_SALES_CODES = frozenset({"02", "03"})


def _now() -> datetime:
    return datetime.now(UTC)


async def on_lease(uow: UnitOfWork, event: LeaseRegistered | LeaseUpdated) -> None:
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
    statement = insert(leases).values(values)
    changes = {k: statement.excluded[k] for k in values if k not in ("organization_id", "id")}
    # Events of one lease arrive in order; the guard keeps a replayed older event from undoing a newer one.
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "id"],
            set_=changes,
            where=leases.c.updated_at <= statement.excluded.updated_at,
        )
    )


async def on_well(uow: UnitOfWork, event: WellRegistered | WellUpdated) -> None:
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
    statement = insert(wells).values(values)
    changes = {k: statement.excluded[k] for k in values if k not in ("organization_id", "id")}
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "id"],
            set_=changes,
            where=wells.c.updated_at <= statement.excluded.updated_at,
        )
    )
    if isinstance(event, WellRegistered):
        await _status_from(uow, event.tenant_id, event.well_id, event.occurred_at.date(), event.status)


async def on_well_status(uow: UnitOfWork, event: WellStatusChanged) -> None:
    await uow.connection.execute(
        wells.update()
        .where(wells.c.id == event.well_id, wells.c.updated_at <= event.occurred_at)
        .values(status=event.to_status, updated_at=event.occurred_at)
    )
    await _status_from(uow, event.tenant_id, event.well_id, event.effective_date, event.to_status)


async def _status_from(uow: UnitOfWork, tenant: UUID, well_id: UUID, effective_date: date, status: str) -> None:
    seq = await uow.connection.scalar(
        select(func.count()).where(
            well_status_history.c.well_id == well_id, well_status_history.c.effective_date == effective_date
        )
    )
    await uow.connection.execute(
        insert(well_status_history).values(
            organization_id=tenant, well_id=well_id, effective_date=effective_date, seq=seq, status=status
        )
    )


def gas_sold(event: LeaseMonthUpdated) -> tuple[Decimal, bool]:
    """Gas sold is the gas disposed to a transmission line or a processing plant. When no disposition is
    recorded yet, the lease's gas is taken as sold and flagged as an estimate (the run shows the flag)."""
    if not event.gas_dispositions:
        return event.gas_mcf, event.gas_mcf > 0
    return sum((d.mcf for d in event.gas_dispositions if d.code in GAS_SALES_CODES), Decimal(0)), False


async def on_lease_month(uow: UnitOfWork, event: LeaseMonthUpdated) -> None:
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
    statement = insert(lease_months).values(values)
    changes = {k: statement.excluded[k] for k in values if k not in ("organization_id", "lease_id", "month")}
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "lease_id", "month"],
            set_=changes,
            where=lease_months.c.revision < statement.excluded.revision,  # keep the highest revision
        )
    )


async def on_run_ticket(uow: UnitOfWork, event: RunTicketRecorded) -> None:
    await uow.connection.execute(
        insert(run_tickets)
        .values(
            organization_id=event.tenant_id,
            id=event.ticket_id,
            lease_id=event.lease_id,
            production_month=event.production_month,
            ticket_number=event.ticket_number,
            net_bbl=event.net_bbl,
            purchaser=event.purchaser,
            taken_at=event.taken_at,
        )
        .on_conflict_do_nothing()
    )


async def on_severance_tax(uow: UnitOfWork, event: SeveranceTaxComputed) -> None:
    lines: dict[str, str] = {}
    for line in event.lines:
        lines[line.product] = str(Decimal(lines.get(line.product, "0")) + line.tax)
    statement = insert(severance_taxes).values(
        organization_id=event.tenant_id,
        lease_id=event.lease_id,
        month=event.month,
        revision=event.revision,
        lines=lines,
        updated_at=_now(),
    )
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "lease_id", "month"],
            set_={"revision": statement.excluded.revision, "lines": statement.excluded.lines, "updated_at": _now()},
            where=severance_taxes.c.revision < statement.excluded.revision,
        )
    )
