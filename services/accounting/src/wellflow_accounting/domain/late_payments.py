"""The late-payment clock: per owner, lease, sales month and product, what finalized revenue runs made the owner
due, when Nat. Res. Code 91.402(a) says it had to be paid, what was paid and when, and the 91.403 interest.

What counts (docs/owner-payment-law.md):

- An owner line of a finalized run is **payable** when the run paid the owner (its settlement paid something):
  the line's net is then due by ``payment_due`` of its sales month and product (condensate is paid as oil).
- A line held for a title problem is **withheld** (91.402(b)): it is never late and earns no interest (91.403(b)).
- A line the run kept in minimum-payment suspense is **accumulating** (91.402(f)): the law lets small balances
  wait, so it is not late either; the yearly release of ``distribution.settle`` pays it.
- The first sale month is the lease's earliest sales month in a finalized run (the statute counts per well;
  WellFlow's revenue is per lease).
- What was paid comes from the payments made (their date and amount, per item); interest runs on each payment
  from the due date to its date, and on what is still unpaid up to the day asked about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from wellflow_texas.payment_law import RatePeriod, late_interest, late_interest_days, payment_due

from .money import ZERO

Status = Literal["pending", "paid", "paid_late", "late", "withheld", "accumulating", "settled"]
LATE_STATUSES = frozenset({"late", "paid_late"})


def statute_product(product: str) -> Literal["oil", "gas"]:
    """91.402(a) knows oil and gas: condensate (a liquid sold by the barrel) is paid on oil's terms."""
    return "gas" if product == "gas" else "oil"


@dataclass(frozen=True, slots=True)
class ItemKey:
    partner_id: UUID
    lease_id: UUID
    sale_month: date
    product: Literal["oil", "gas"]


@dataclass(frozen=True, slots=True)
class Payment:
    amount: Decimal
    paid_on: date


@dataclass
class Item:
    """One owner's proceeds of one lease, sales month and product, as the finalized runs left them."""

    key: ItemKey
    payable: Decimal = ZERO
    withheld: Decimal = ZERO
    accumulating: Decimal = ZERO
    payments: list[Payment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ClockLine:
    key: ItemKey
    due_date: date
    payable: Decimal
    withheld: Decimal
    accumulating: Decimal
    paid: Decimal
    unpaid: Decimal
    last_paid_on: date | None
    days_late: int
    interest: Decimal | None  # None: no New York Fed rate is known for a late day (enter it)
    status: Status

    @property
    def is_late(self) -> bool:
        return self.status in LATE_STATUSES


def fold(
    lines: Iterable[tuple[UUID, UUID, date, str, str, Decimal]], payments: Iterable[tuple[ItemKey, Payment]]
) -> dict[ItemKey, Item]:
    """Items from owner lines ``(partner, lease, sales month, product, how, net)`` where ``how`` is payable,
    withheld or accumulating, and the payments made against them."""
    items: dict[ItemKey, Item] = {}
    for partner_id, lease_id, month, product, how, net in lines:
        key = ItemKey(partner_id, lease_id, month, statute_product(product))
        item = items.setdefault(key, Item(key))
        if how == "payable":
            item.payable += net
        elif how == "withheld":
            item.withheld += net
        else:
            item.accumulating += net
    for key, payment in payments:
        items.setdefault(key, Item(key)).payments.append(payment)
    return items


def clock_line(item: Item, first_sale_month: date, as_of: date, rates: Sequence[RatePeriod]) -> ClockLine:
    """Where one item stands on ``as_of``: due date, paid, unpaid, days late and interest accrued."""
    key = item.key
    due = payment_due(key.sale_month, key.product, min(first_sale_month, key.sale_month))
    payments = sorted((p for p in item.payments if p.paid_on <= as_of), key=lambda p: p.paid_on)
    paid = sum((p.amount for p in payments), ZERO)
    unpaid = max(item.payable - paid, ZERO)
    last_paid_on = payments[-1].paid_on if payments else None
    chunks = [(p.amount, p.paid_on) for p in payments if p.paid_on > due and p.amount > 0]
    if unpaid > 0 and as_of > due:
        chunks.append((unpaid, as_of))
    days_late = max((late_interest_days(due, until) for _, until in chunks), default=0)
    interest: Decimal | None
    try:
        interest = sum((late_interest(amount, due, until, rates) for amount, until in chunks), ZERO)
    except ValueError:
        interest = None
    status = _status(item, due, as_of, unpaid, paid, days_late)
    return ClockLine(
        key,
        due,
        item.payable,
        item.withheld,
        item.accumulating,
        paid,
        unpaid,
        last_paid_on,
        days_late,
        interest,
        status,
    )


def _status(item: Item, due: date, as_of: date, unpaid: Decimal, paid: Decimal, days_late: int) -> Status:
    if unpaid > 0:
        return "late" if as_of > due else "pending"
    if paid > 0:
        return "paid_late" if days_late else "paid"
    if item.withheld > 0:
        return "withheld"
    if item.accumulating > 0:
        return "accumulating"
    return "settled"  # nothing owed (a correction took it back, or nothing was earned)
