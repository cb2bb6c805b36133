"""The late-payment clock (Nat. Res. Code 91.402 / 91.403): what each owner was made due by finalized revenue
runs, per lease, sales month and product; when it was due; what was paid; what is late, by how many days, and the
interest accrued. The daily check announces each late item once (``accounting.owner_payment_late.v1``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import OwnerPaymentLate

from ...domain import late_payments as clock
from ..context import Accounting, Actor, invalid
from ..ports import AccountingWork
from .rates import rate_periods

SORTS = ("due_date", "-days_late", "sale_month")


async def clock_lines(
    uow: AccountingWork, as_of: date, *, partner_id: UUID | None = None, lease_id: UUID | None = None
) -> list[clock.ClockLine]:
    lines = await uow.late_payments.owner_lines(partner_id=partner_id, lease_id=lease_id)
    paid = await uow.late_payments.payments_made(partner_id=partner_id, lease_id=lease_id)
    items = clock.fold(
        ((r["partner_id"], r["lease_id"], r["month"], r["product"], r["how"], r["net"]) for r in lines),
        (
            (
                clock.ItemKey(r["partner_id"], r["lease_id"], r["sale_month"], clock.statute_product(r["product"])),
                clock.Payment(r["amount"], r["paid_on"]),
            )
            for r in paid
        ),
    )
    first_sales = await uow.late_payments.first_sale_months()
    rates = await rate_periods(uow)
    return [
        clock.clock_line(item, first_sales.get(key.lease_id, key.sale_month), as_of, rates)
        for key, item in items.items()
    ]


def _read(line: clock.ClockLine, names: dict[UUID, str]) -> dict[str, Any]:
    key = line.key
    return {
        "partner_id": key.partner_id,
        "lease_id": key.lease_id,
        "lease": names.get(key.lease_id),
        "sale_month": key.sale_month,
        "product": key.product,
        "due_date": line.due_date,
        "payable": line.payable,
        "withheld": line.withheld,
        "accumulating": line.accumulating,
        "paid": line.paid,
        "unpaid": line.unpaid,
        "last_paid_on": line.last_paid_on,
        "days_late": line.days_late,
        "interest": line.interest,
        "status": line.status,
    }


def _sorted(lines: list[clock.ClockLine], sort: str) -> list[clock.ClockLine]:
    def order(line: clock.ClockLine) -> tuple[Any, ...]:
        key = line.key
        tail = (str(key.partner_id), str(key.lease_id), key.sale_month, key.product)
        if sort == "-days_late":
            return (-line.days_late, line.due_date, *tail)
        if sort == "sale_month":
            return (key.sale_month, *tail)
        return (line.due_date, *tail)

    return sorted(lines, key=order)


async def late_payment_clock(
    acc: Accounting,
    actor: Actor,
    *,
    as_of: date | None,
    late_only: bool,
    partner_id: UUID | None,
    lease_id: UUID | None,
    sort: str,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """A page of the clock on ``as_of`` (today by default), with the totals of every matching item."""
    if sort not in SORTS:
        raise invalid("query.sort", f"one of {', '.join(SORTS)}")
    day = as_of or acc.clock().date()
    async with acc.uow(actor) as uow:
        lines = await clock_lines(uow, day, partner_id=partner_id, lease_id=lease_id)
        names = await uow.leases.names()
    if late_only:
        lines = [line for line in lines if line.is_late]
    lines = _sorted(lines, sort)
    late = [line for line in lines if line.status == "late"]
    totals = {
        "unpaid_late": sum((line.unpaid for line in late), clock.ZERO),
        "interest": sum((line.interest or clock.ZERO for line in lines), clock.ZERO),
        "late_items": len(late),
    }
    return {
        "items": [_read(line, names) for line in lines[offset : offset + limit]],
        "total": len(lines),
        "limit": limit,
        "offset": offset,
        "as_of": day,
        "totals": totals,
    }


async def announce_late(uow: AccountingWork, tenant_id: UUID, today: date, now: datetime) -> int:
    """Announce each item late on ``today`` that was never announced; how many. A notice is claimed by inserting
    its row in the transaction that records the event, so a retry, a second pass or a second replica sends
    nothing twice."""
    sent = 0
    for line in await clock_lines(uow, today):
        if line.status != "late":
            continue
        key = line.key
        claim = {
            "partner_id": key.partner_id,
            "lease_id": key.lease_id,
            "sale_month": key.sale_month,
            "product": key.product,
            "due_date": line.due_date,
            "unpaid": line.unpaid,
            "notified_at": now,
        }
        if await uow.late_payments.claim_notice(claim):
            uow.record(
                OwnerPaymentLate(
                    tenant_id=tenant_id,
                    partner_id=key.partner_id,
                    lease_id=key.lease_id,
                    sale_month=key.sale_month,
                    product=key.product,
                    due_date=line.due_date,
                    unpaid=line.unpaid,
                    days_late=line.days_late,
                    interest_accrued=line.interest,
                    checked_on=today,
                ),
                aggregate_key=f"accounting.partner:{key.partner_id}",
            )
            sent += 1
    return sent


async def check_late_payments(acc: Accounting, actor: Actor) -> dict[str, Any]:
    """Run the late check of one organization now (the daily task runs it for every organization)."""
    today = acc.clock().date()
    async with acc.uow(actor) as uow:
        return {"checked_on": today, "announced": await announce_late(uow, actor.organization_id, today, acc.clock())}


async def daily_late_check(acc: Accounting) -> int:
    """One pass over every organization with a finalized run; safe to run any number of times."""
    async with acc.database.unit_of_work(None) as uow:
        tenant_ids = await uow.late_payments.tenant_ids()
    sent = 0
    today = acc.clock().date()
    for tenant_id in tenant_ids:
        async with acc.database.unit_of_work(tenant_id) as uow:
            sent += await announce_late(uow, tenant_id, today, acc.clock())
    return sent
