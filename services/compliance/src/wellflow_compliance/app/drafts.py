"""Keeping the Form PR drafts current: one line per lease and month, rebuilt from compliance's own copies of
leases, wells, lease-month volumes, run tickets and the office's adjustments.

A lease's line depends on its previous month's ending stock, so a change in one month is carried forward
through the later months of that lease until a line comes out unchanged. Advisory locks keep two handlers
from rebuilding the same lease (or a whole period) at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ..domain.form_pr import FormPrLine, LeaseFacts, LeaseMonth
from ..domain.form_pr_line import build_line
from .lease_lines import period_lock_key
from .ports import ComplianceWork


def reports_lock_key(tenant_id: UUID) -> str:
    return f"compliance-reports:{tenant_id}"


def _unknown_lease(lease_id: UUID, month: LeaseMonth) -> LeaseFacts:
    """Production may announce volumes before the well registry's lease event arrives."""
    return LeaseFacts(lease_id, f"(not yet in the registry: {lease_id})", "", None, month.lease_type)


async def ensure_report(uow: ComplianceWork, tenant_id: UUID, period: date, now: datetime) -> tuple[UUID, bool]:
    """The report of ``period`` (created, and its lines generated, the first time something touches it).

    Creating one takes the tenant's reports lock exclusively; handlers of lease and well facts hold it shared,
    so a lease registered while a month's report is being created is either in that report's generation or
    sees the new report and adds its own line (never neither)."""
    found = await uow.reports.id_of(period)
    if found is not None:
        return found, False
    await uow.locks.acquire(reports_lock_key(tenant_id))
    created = await uow.reports.create(period, now)
    if created is not None:
        await regenerate_period(uow, tenant_id, period, now)
        return created, True
    existing = await uow.reports.id_of(period)
    assert existing is not None
    return existing, False


def _line_row(period: date, line: FormPrLine, now: datetime) -> dict[str, Any]:
    errors = sum(1 for i in line.issues if i.severity == "error")
    return {
        "period": period,
        "lease_id": line.lease_id,
        "line": line.as_dict(),
        "ending_stock": line.ending_stock,
        "errors": errors,
        "warnings": len(line.issues) - errors,
        "updated_at": now,
    }


async def regenerate_period(uow: ComplianceWork, tenant_id: UUID, period: date, now: datetime) -> list[FormPrLine]:
    """Rebuild every line of ``period`` from scratch (a new period, or on request).

    The report month before ``period`` is normally the month before; a month in which nothing at all was
    reported is skipped, and the stock carries over it."""
    await uow.locks.acquire(period_lock_key(tenant_id, period))
    facts = await uow.leases.facts()
    months = await uow.lease_months.of_period(period)
    previous = await uow.lines.endings(await uow.reports.previous_period(period))
    adjustments = await uow.adjustments.active(period)
    tickets = await uow.run_tickets.sums(period)
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
    await uow.lines.replace_period(period, [_line_row(period, line, now) for line in lines])
    await uow.reports.regenerated(period, now)
    return lines


async def recompute_lease(
    uow: ComplianceWork, tenant_id: UUID, lease_id: UUID, start: date | None, now: datetime, *, full: bool = False
) -> tuple[list[tuple[date, FormPrLine | None]], set[date]]:
    """Rebuild one lease's lines from ``start`` (None: its earliest report) forward; returns what changed and
    which of the months read have a price (``LeaseLines.open``: the locks and every read in a few statements).

    A volume change stops at the first later month that comes out unchanged (only the stock carries over);
    ``full`` (the lease's own facts changed) rebuilds every month."""
    snapshot = await uow.lease_lines.open(tenant_id, lease_id, start)
    if not snapshot.periods:
        return [], set()
    facts = snapshot.facts
    existing = snapshot.lines
    previous_ending = snapshot.endings.get(snapshot.before) if snapshot.before is not None else None
    changed: list[tuple[date, FormPrLine | None]] = []
    for index, period in enumerate(snapshot.periods):
        month = snapshot.months.get(period)
        lease = facts if facts is not None else (_unknown_lease(lease_id, month) if month else None)
        adjustments = snapshot.adjustments.get(period, [])
        if lease is None or (month is None and not lease.reportable and not adjustments):
            if period in existing:
                await uow.lines.remove(period, lease_id)
                changed.append((period, None))
            previous_ending = None
            continue
        line = build_line(
            lease,
            month,
            previous_ending=previous_ending,
            adjustments=adjustments,
            run_ticket_bbl=snapshot.tickets.get(period),
        )
        previous_ending = line.ending_stock
        if existing.get(period) == line.as_dict():
            if index > 0 and not full:
                break  # unchanged here, so every later month is unchanged too
            continue
        await uow.lines.save(_line_row(period, line, now))
        changed.append((period, line))
    return changed, snapshot.priced
