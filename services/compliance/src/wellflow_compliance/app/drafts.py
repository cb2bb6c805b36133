"""Keeping the Form PR drafts current: one line per lease and month, rebuilt from compliance's own copies of
leases, wells, lease-month volumes, run tickets and the office's adjustments.

A lease's line depends on its previous month's ending stock, so a change in one month is carried forward
through the later months of that lease until a line comes out unchanged. Advisory locks keep two handlers
from rebuilding the same lease (or a whole period) at once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork

from ..adapters.tables import (
    form_pr_adjustments,
    form_pr_lines,
    form_pr_reports,
    lease_months,
    leases,
    run_tickets,
    wells,
)
from ..domain.form_pr import (
    Adjustment,
    FormPrLine,
    LeaseFacts,
    LeaseMonth,
    RecordedGas,
    WellFacts,
)
from ..domain.form_pr_line import build_line
from .common import lock


def lease_lock_key(tenant_id: UUID, lease_id: UUID) -> str:
    return f"compliance-lease:{tenant_id}:{lease_id}"


def reports_lock_key(tenant_id: UUID) -> str:
    return f"compliance-reports:{tenant_id}"


def period_lock_key(tenant_id: UUID, period: date) -> str:
    return f"compliance-period:{tenant_id}:{period.isoformat()}"


def _lease_facts(row: Any, well_rows: list[Any]) -> LeaseFacts:
    return LeaseFacts(
        lease_id=row.id,
        name=row.name,
        rrc_district=row.rrc_district,
        rrc_lease_number=row.rrc_lease_number,
        lease_type=row.lease_type,
        status=row.status,
        county=row.county,
        wells=tuple(WellFacts(w.id, w.api_number, w.status, w.gas_well_id) for w in well_rows),
    )


def _unknown_lease(lease_id: UUID, month: LeaseMonth) -> LeaseFacts:
    """Production may announce volumes before the well registry's lease event arrives."""
    return LeaseFacts(lease_id, f"(not yet in the registry: {lease_id})", "", None, month.lease_type)


def _lease_month(row: Any) -> LeaseMonth:
    return LeaseMonth(
        revision=row.revision,
        lease_type=row.lease_type,
        liquid_bbl=row.liquid_bbl,
        gas_mcf=row.gas_mcf,
        beginning_stock_bbl=row.beginning_stock_bbl,
        ending_stock_bbl=row.ending_stock_bbl,
        liquid_dispositions=tuple((code, Decimal(bbl)) for code, bbl in row.liquid_dispositions),
        gas_dispositions=tuple(
            RecordedGas(g["code"], Decimal(g["mcf"]), g.get("authority")) for g in row.gas_dispositions
        ),
    )


def _adjustment(row: Any) -> Adjustment:
    return Adjustment(row.id, row.product, row.code, row.volume, row.authority, row.remark, row.reason, row.created_by)


async def ensure_report(uow: UnitOfWork, tenant_id: UUID, period: date, now: datetime) -> tuple[UUID, bool]:
    """The report of ``period`` (created, and its lines generated, the first time something touches it).

    Creating one takes the tenant's reports lock exclusively; handlers of lease and well facts hold it shared,
    so a lease registered while a month's report is being created is either in that report's generation or
    sees the new report and adds its own line (never neither)."""
    existing = await uow.connection.execute(select(form_pr_reports.c.id).where(form_pr_reports.c.period == period))
    found = existing.scalar_one_or_none()
    if found is not None:
        return found, False
    await lock(uow, reports_lock_key(tenant_id))
    statement = (
        pg_insert(form_pr_reports)
        .values(organization_id=tenant_id, id=uuid7(), period=period, created_at=now, regenerated_at=now)
        .on_conflict_do_nothing()
        .returning(form_pr_reports.c.id)
    )
    created = (await uow.connection.execute(statement)).scalar_one_or_none()
    if created is not None:
        await regenerate_period(uow, tenant_id, period, now)
        return created, True
    existing = await uow.connection.execute(select(form_pr_reports.c.id).where(form_pr_reports.c.period == period))
    return existing.scalar_one(), False


async def _load_leases(uow: UnitOfWork, lease_id: UUID | None = None) -> dict[UUID, LeaseFacts]:
    lease_query = select(leases)
    well_query = select(wells)
    if lease_id is not None:
        lease_query = lease_query.where(leases.c.id == lease_id)
        well_query = well_query.where(wells.c.lease_id == lease_id)
    lease_rows = (await uow.connection.execute(lease_query)).all()
    by_lease: dict[UUID, list[Any]] = defaultdict(list)
    for row in (await uow.connection.execute(well_query)).all():
        by_lease[row.lease_id].append(row)
    return {row.id: _lease_facts(row, by_lease.get(row.id, [])) for row in lease_rows}


async def _run_ticket_sums(
    uow: UnitOfWork, period: date, lease_id: UUID | None = None
) -> dict[UUID, dict[str, Decimal]]:
    query = (
        select(run_tickets.c.lease_id, run_tickets.c.disposition_code, func.sum(run_tickets.c.net_bbl))
        .where(run_tickets.c.month == period)
        .group_by(run_tickets.c.lease_id, run_tickets.c.disposition_code)
    )
    if lease_id is not None:
        query = query.where(run_tickets.c.lease_id == lease_id)
    sums: dict[UUID, dict[str, Decimal]] = defaultdict(dict)
    for lease, code, total in (await uow.connection.execute(query)).all():
        sums[lease][code] = total
    return sums


async def _adjustments(uow: UnitOfWork, period: date, lease_id: UUID | None = None) -> dict[UUID, list[Adjustment]]:
    query = (
        select(form_pr_adjustments)
        .where(form_pr_adjustments.c.period == period, form_pr_adjustments.c.voided_at.is_(None))
        .order_by(form_pr_adjustments.c.created_at, form_pr_adjustments.c.id)
    )
    if lease_id is not None:
        query = query.where(form_pr_adjustments.c.lease_id == lease_id)
    found: dict[UUID, list[Adjustment]] = defaultdict(list)
    for row in (await uow.connection.execute(query)).all():
        found[row.lease_id].append(_adjustment(row))
    return found


def _line_row(tenant_id: UUID, period: date, line: FormPrLine, now: datetime) -> dict[str, Any]:
    errors = sum(1 for i in line.issues if i.severity == "error")
    return {
        "organization_id": tenant_id,
        "period": period,
        "lease_id": line.lease_id,
        "line": line.as_dict(),
        "ending_stock": line.ending_stock,
        "errors": errors,
        "warnings": len(line.issues) - errors,
        "updated_at": now,
    }


async def _previous_period(uow: UnitOfWork, period: date) -> date | None:
    """The report month before ``period`` (normally the month before; a month in which nothing at all was
    reported is skipped, and the stock carries over it)."""
    query = select(func.max(form_pr_reports.c.period)).where(form_pr_reports.c.period < period)
    return (await uow.connection.execute(query)).scalar_one()


async def regenerate_period(uow: UnitOfWork, tenant_id: UUID, period: date, now: datetime) -> list[FormPrLine]:
    """Rebuild every line of ``period`` from scratch (a new period, or on request)."""
    await lock(uow, period_lock_key(tenant_id, period))
    conn = uow.connection
    facts = await _load_leases(uow)
    months = {
        row.lease_id: _lease_month(row)
        for row in (await conn.execute(select(lease_months).where(lease_months.c.month == period))).all()
    }
    before = await _previous_period(uow, period)
    previous = dict(
        (
            await conn.execute(
                select(form_pr_lines.c.lease_id, form_pr_lines.c.ending_stock).where(form_pr_lines.c.period == before)
            )
        ).all()
    )
    adjustments = await _adjustments(uow, period)
    tickets = await _run_ticket_sums(uow, period)
    lines: list[FormPrLine] = []
    for lease_id in sorted(set(facts) | set(months), key=str):
        lease = facts.get(lease_id)
        month = months.get(lease_id)
        if lease is None:
            assert month is not None
            lease = _unknown_lease(lease_id, month)
        elif month is None and not lease.reportable and lease_id not in adjustments:
            continue
        lines.append(
            build_line(
                lease,
                month,
                previous_ending=previous.get(lease_id),
                adjustments=adjustments.get(lease_id, ()),
                run_ticket_bbl=tickets.get(lease_id),
            )
        )
    await conn.execute(delete(form_pr_lines).where(form_pr_lines.c.period == period))
    if lines:
        await conn.execute(insert(form_pr_lines), [_line_row(tenant_id, period, line, now) for line in lines])
    await conn.execute(form_pr_reports.update().where(form_pr_reports.c.period == period).values(regenerated_at=now))
    return lines


async def recompute_lease(
    uow: UnitOfWork, tenant_id: UUID, lease_id: UUID, start: date | None, now: datetime, *, full: bool = False
) -> list[tuple[date, FormPrLine | None]]:
    """Rebuild one lease's lines from ``start`` (None: its earliest report) forward; returns what changed.

    A volume change stops at the first later month that comes out unchanged (only the stock carries over);
    ``full`` (the lease's own facts changed) rebuilds every month."""
    await lock(uow, lease_lock_key(tenant_id, lease_id))
    conn = uow.connection
    query = select(form_pr_reports.c.period).order_by(form_pr_reports.c.period)
    if start is not None:
        query = query.where(form_pr_reports.c.period >= start)
    periods = list((await conn.execute(query)).scalars())
    if not periods:
        return []
    facts = (await _load_leases(uow, lease_id)).get(lease_id)
    month_rows = (
        await conn.execute(
            select(lease_months).where(lease_months.c.lease_id == lease_id, lease_months.c.month >= periods[0])
        )
    ).all()
    months = {row.month: _lease_month(row) for row in month_rows}
    before = await _previous_period(uow, periods[0])
    existing_rows = (
        await conn.execute(
            select(form_pr_lines.c.period, form_pr_lines.c.line, form_pr_lines.c.ending_stock).where(
                form_pr_lines.c.lease_id == lease_id,
                form_pr_lines.c.period >= (before or periods[0]),
            )
        )
    ).all()
    existing = {row.period: row.line for row in existing_rows}
    previous_ending = next((row.ending_stock for row in existing_rows if row.period == before), None)
    changed: list[tuple[date, FormPrLine | None]] = []
    for index, period in enumerate(periods):
        await lock(uow, period_lock_key(tenant_id, period), shared=True)
        month = months.get(period)
        lease = facts if facts is not None else (_unknown_lease(lease_id, month) if month else None)
        adjustments = (await _adjustments(uow, period, lease_id)).get(lease_id, [])
        if lease is None or (month is None and not lease.reportable and not adjustments):
            if period in existing:
                await conn.execute(
                    delete(form_pr_lines).where(form_pr_lines.c.period == period, form_pr_lines.c.lease_id == lease_id)
                )
                changed.append((period, None))
            previous_ending = None
            continue
        tickets = (await _run_ticket_sums(uow, period, lease_id)).get(lease_id)
        line = build_line(
            lease, month, previous_ending=previous_ending, adjustments=adjustments, run_ticket_bbl=tickets
        )
        previous_ending = line.ending_stock
        as_dict = line.as_dict()
        if existing.get(period) == as_dict:
            if index > 0 and not full:
                break  # unchanged here, so every later month is unchanged too
            continue
        row = _line_row(tenant_id, period, line, now)
        statement = pg_insert(form_pr_lines).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "period", "lease_id"],
            set_={k: statement.excluded[k] for k in ("line", "ending_stock", "errors", "warnings", "updated_at")},
        )
        await conn.execute(statement)
        changed.append((period, line))
    return changed
