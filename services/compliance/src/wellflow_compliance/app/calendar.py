"""The filing calendar: obligations per production month (Form PR, oil tax, gas tax), their due dates and
states, and the deadline task that sends each reminder (30, 7, 1 days) and each missed notice exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.events.compliance import FilingDeadlineApproaching, FilingDeadlineMissed
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict

from ..adapters.tables import deadline_notices, filing_obligations, severance_taxes, tenants
from ..domain.calendar import DONE_STATES, LABELS, OBLIGATIONS, is_missed, reminder_due
from ..domain.calendar import due_date as compute_due
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found

log = logging.getLogger(__name__)


async def ensure_obligations(uow: UnitOfWork, tenant_id: UUID, period: date, compliance: Compliance) -> None:
    rows = [
        {
            "organization_id": tenant_id,
            "id": uuid7(),
            "obligation": obligation,
            "period": period,
            "due_date": compute_due(obligation, period, compliance.rules),
            "state": "open",
        }
        for obligation in OBLIGATIONS
    ]
    await uow.connection.execute(pg_insert(filing_obligations).values(rows).on_conflict_do_nothing())


async def set_state(uow: UnitOfWork, obligation: str, period: date, state: str, by: str, now: datetime) -> None:
    done = state in DONE_STATES
    await uow.connection.execute(
        update(filing_obligations)
        .where(filing_obligations.c.obligation == obligation, filing_obligations.c.period == period)
        .values(state=state, done_at=now if done else None, done_by=by if done else None)
    )


def _view(row: Any, today: date) -> dict[str, Any]:
    days_left = (row.due_date - today).days
    state = row.state
    overdue = is_missed(row.due_date, today, state)
    return {
        "id": row.id,
        "obligation": row.obligation,
        "description": LABELS[row.obligation],
        "period": row.period,
        "due_date": row.due_date,
        "days_left": days_left,
        "state": state,
        "overdue": overdue,
        "done_at": row.done_at,
        "done_by": row.done_by,
        "note": row.note,
    }


async def list_obligations(
    compliance: Compliance,
    actor: Actor,
    *,
    due_from: date | None,
    due_to: date | None,
    obligation: str | None,
    state: str | None,
    pending_only: bool,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    conditions = []
    if due_from is not None:
        conditions.append(filing_obligations.c.due_date >= due_from)
    if due_to is not None:
        conditions.append(filing_obligations.c.due_date <= due_to)
    if obligation is not None:
        conditions.append(filing_obligations.c.obligation == obligation)
    if state is not None:
        conditions.append(filing_obligations.c.state == state)
    if pending_only:
        conditions.append(filing_obligations.c.state.not_in(sorted(DONE_STATES)))
    query = (
        select(filing_obligations)
        .where(*conditions)
        .order_by(filing_obligations.c.due_date, filing_obligations.c.obligation)
        .limit(min(limit, MAX_PAGE))
        .offset(offset)
    )
    async with compliance.uow(actor) as uow:
        rows = (await uow.connection.execute(query)).all()
        total = (
            await uow.connection.execute(select(func.count()).select_from(filing_obligations).where(*conditions))
        ).scalar_one()
        amounts = await _tax_amounts(uow, {row.period for row in rows if row.obligation != "form_pr"})
    today = compliance.today()
    items = []
    for row in rows:
        item = _view(row, today)
        if row.obligation != "form_pr":
            item["amount"] = amounts.get((row.obligation, row.period))
        items.append(item)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


async def _tax_amounts(uow: UnitOfWork, periods: set[date]) -> dict[tuple[str, date], dict[str, str]]:
    """Tax and fees computed so far for each tax obligation of ``periods`` (leases with prices entered)."""
    if not periods:
        return {}
    rows = (
        await uow.connection.execute(
            select(severance_taxes.c.month, severance_taxes.c.result).where(severance_taxes.c.month.in_(periods))
        )
    ).all()
    sums: dict[tuple[str, date], list[Decimal]] = {}
    for month, result in rows:
        for line in result["lines"]:
            obligation = "gas_tax" if line["product"] == "gas" else "oil_tax"
            total = sums.setdefault((obligation, month), [Decimal("0"), Decimal("0"), Decimal("0")])
            total[0] += Decimal(line["tax"])
            total[1] += Decimal(line["regulatory_fee"])
            total[2] += 1
    return {
        key: {"tax": str(tax), "regulatory_fees": str(fees), "total": str(tax + fees), "lease_lines": int(count)}
        for key, (tax, fees, count) in sums.items()
    }


async def mark_paid(compliance: Compliance, actor: Actor, obligation_id: UUID, note: str | None) -> dict[str, Any]:
    """A tax report filed and paid with the Comptroller (WellFlow does not file those itself)."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        row = (
            await uow.connection.execute(
                select(filing_obligations).where(filing_obligations.c.id == obligation_id).with_for_update()
            )
        ).one_or_none()
        if row is None:
            raise not_found("The filing obligation")
        if row.obligation == "form_pr":
            raise invalid(
                "obligation_id", "A Form PR is done when the RRC accepts it; submit the report instead of marking it."
            )
        if row.state == "paid":
            return _view(row, compliance.today())
        if row.state not in ("open",):
            raise Conflict(f"This obligation is {row.state}.", slug="obligation-state")
        await uow.connection.execute(
            update(filing_obligations)
            .where(filing_obligations.c.id == obligation_id)
            .values(state="paid", done_at=now, done_by=actor.id, note=note)
        )
        row = (
            await uow.connection.execute(select(filing_obligations).where(filing_obligations.c.id == obligation_id))
        ).one()
    return _view(row, compliance.today())


async def send_deadline_notices(compliance: Compliance) -> int:
    """One pass over every known organization: send what is due today. Safe to run any number of times, by
    any number of replicas: a notice is claimed by inserting its row, in the transaction that records it."""
    async with compliance.database.unit_of_work(None) as uow:
        tenant_ids = list((await uow.connection.execute(select(tenants.c.tenant_id))).scalars())
    today = compliance.today()
    sent = 0
    for tenant_id in tenant_ids:
        async with compliance.database.unit_of_work(tenant_id) as uow:
            rows = (
                await uow.connection.execute(
                    select(filing_obligations).where(filing_obligations.c.state.not_in(sorted(DONE_STATES)))
                )
            ).all()
            notices = (
                await uow.connection.execute(select(deadline_notices.c.obligation_id, deadline_notices.c.kind))
            ).all()
            already: dict[UUID, set[str]] = {}
            for obligation_id, kind in notices:
                already.setdefault(obligation_id, set()).add(kind)
            for row in rows:
                kinds = already.get(row.id, set())
                if is_missed(row.due_date, today, row.state):
                    if "missed" not in kinds and await _claim(uow, tenant_id, row.id, "missed", compliance):
                        uow.record(
                            FilingDeadlineMissed(
                                tenant_id=tenant_id,
                                obligation_id=row.id,
                                obligation=row.obligation,
                                period=row.period,
                                due_date=row.due_date,
                                state=row.state,
                            )
                        )
                        sent += 1
                    continue
                days = reminder_due(row.due_date, today, {int(k) for k in kinds if k.isdigit()})
                if days is not None and await _claim(uow, tenant_id, row.id, str(days), compliance):
                    uow.record(
                        FilingDeadlineApproaching(
                            tenant_id=tenant_id,
                            obligation_id=row.id,
                            obligation=row.obligation,
                            period=row.period,
                            due_date=row.due_date,
                            days_before=days,
                            state=row.state,
                        )
                    )
                    sent += 1
    return sent


async def _claim(uow: UnitOfWork, tenant_id: UUID, obligation_id: UUID, kind: str, compliance: Compliance) -> bool:
    statement = (
        pg_insert(deadline_notices)
        .values(organization_id=tenant_id, obligation_id=obligation_id, kind=kind, sent_at=compliance.clock())
        .on_conflict_do_nothing()
        .returning(deadline_notices.c.kind)
    )
    return (await uow.connection.execute(statement)).first() is not None


@contextlib.asynccontextmanager
async def deadline_task(compliance: Compliance, interval: float) -> AsyncIterator[None]:
    """Runs ``send_deadline_notices`` every ``interval`` seconds while the app lives."""

    async def loop() -> None:
        while True:
            try:
                await send_deadline_notices(compliance)
            except Exception:  # the next pass tries again; nothing was half-sent (one transaction per tenant)
                log.exception("deadline notices pass failed")
            await asyncio.sleep(interval)

    task = asyncio.create_task(loop(), name="compliance-deadlines")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
