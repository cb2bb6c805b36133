"""What one payee is paid by a payment run, line by line (docs/payments.md#what-a-payment-pays).

- Revenue: the owner's lines of the finalized revenue run that were paid (title holds stay in suspense), and
  what suspense the run released (title holds lifted, the minimum-payment balance once it was reached).
- An owner the revenue run held under the minimum is looked at again under Nat. Res. Code 91.402(f)
  (``wellflow_texas.payment_law.minimum_payment_decision``): a balance held twelve months and above $10 is paid.
- Late interest (91.403): what is paid after its 91.402 due date earns interest from the due date to the pay
  date, one line of its own per sales month and product (the leases sharing a due date), rounded once.
- JIB: a working-interest partner whose JIB balance is a credit is refunded; one who owes a balance has it
  netted against its revenue when the operating agreements allow netting (never below zero).
- A payment that netting leaves under the minimum is held again under 91.402(f).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from wellflow_texas import payment_law

ZERO = Decimal("0.00")
LineKind = Literal["revenue", "suspense_release", "jib_credit", "jib_netting", "interest"]


@dataclass(slots=True)  # not frozen: a run builds 40,000 of them, and a frozen init costs a setattr per field
class RevenueLine:
    owner_line_id: UUID
    lease_id: UUID
    sale_month: date
    product: str  # oil, gas or condensate (paid as oil)
    decimal: Decimal
    volume: Decimal
    gross: Decimal
    tax: Decimal
    deductions: Decimal
    net: Decimal


@dataclass(slots=True)  # not frozen: see RevenueLine
class PaymentLine:
    kind: LineKind
    gross: Decimal
    tax: Decimal
    deductions: Decimal
    net: Decimal
    owner_line_id: UUID | None = None
    lease_id: UUID | None = None
    sale_month: date | None = None
    product: str | None = None
    decimal: Decimal | None = None
    volume: Decimal | None = None
    due_on: date | None = None
    days_late: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PayeeFacts:
    """What the books say about one payee for this run."""

    partner_id: UUID
    settled_paid: Decimal  # what the revenue run settled to pay (0 when held or no settlement)
    settlement_reason: str | None  # the revenue run's reason ("paid", "held: below the minimum payment", ...)
    revenue_lines: Sequence[RevenueLine] = ()
    prior_minimum: Decimal = ZERO  # minimum-payment suspense the revenue run released into ``settled_paid``
    title_released: Sequence[tuple[UUID, Decimal]] = ()  # per lease, title suspense released into ``settled_paid``
    minimum_balance: Decimal = ZERO  # minimum-payment suspense still held after the revenue run
    months_since_last_payment: int = 0
    owner_asked_monthly: bool = False
    jib_balance: Decimal = ZERO  # + the partner owes the operator, - the operator owes the partner
    netting_allowed: bool = False


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    partner_id: UUID
    status: Literal["pending", "held"]
    hold_reason: str | None
    lines: tuple[PaymentLine, ...]
    gross: Decimal
    tax: Decimal
    deductions: Decimal
    netted: Decimal
    interest: Decimal
    net: Decimal
    jib_payment: Decimal = ZERO  # recorded against the JIB balance: + netted, - refunded
    minimum_suspense_change: Decimal = ZERO  # + held again, - released
    warnings: tuple[str, ...] = field(default_factory=tuple)


def law_product(product: str) -> Literal["oil", "gas"]:
    """91.402 knows oil and gas: condensate is a liquid sold like oil, paid on the oil schedule."""
    return "gas" if product == "gas" else "oil"


@functools.lru_cache(maxsize=4096)
def due_date(sale_month: date, product: Literal["oil", "gas"], first_sale_month: date) -> date:
    """``payment_law.payment_due``, remembered: a run asks it for the same few months thousands of times."""
    return payment_law.payment_due(sale_month, product, first_sale_month)


def interest_line(
    sale_month: date,
    product: Literal["oil", "gas"],
    due: date,
    amount: Decimal,
    pay_date: date,
    rates: Sequence[payment_law.RatePeriod],
) -> PaymentLine | None:
    """The 91.403 interest on ``amount`` (what the payee is paid for one sales month and product, all leases
    sharing the due date) paid on ``pay_date``; None when it is paid on time. One line per due date: the interest
    is rounded once on the late amount, not per lease."""
    if amount <= 0:
        return None
    days = payment_law.late_interest_days(due, pay_date)
    if days == 0:
        return None
    interest = payment_law.late_interest(amount, due, pay_date, rates)
    if interest == 0:
        return None
    note = (
        f"Late-payment interest (Tex. Nat. Res. Code 91.403) on {amount} of {product} sold {sale_month:%m/%Y}: "
        f"due {due:%m/%d/%Y}, paid {days} days late"
    )
    return PaymentLine(
        "interest", interest, ZERO, ZERO, interest, sale_month=sale_month, product=product, due_on=due,
        days_late=days, note=note,
    )  # fmt: skip


def _interest(revenue: list[PaymentLine], pay_date: date, rates: Sequence[payment_law.RatePeriod]) -> list[PaymentLine]:
    late: dict[tuple[date, str, date], Decimal] = {}
    for line in revenue:
        if line.due_on is not None and line.due_on < pay_date and line.sale_month and line.product:
            key = (line.sale_month, line.product, line.due_on)
            late[key] = late.get(key, ZERO) + line.net
    lines = []
    for (month, product, due), amount in sorted(late.items()):
        interest = interest_line(month, law_product(product), due, amount, pay_date, rates)
        if interest is not None:
            lines.append(interest)
    return lines


def _revenue(line: RevenueLine, first_sale: dict[UUID, date]) -> PaymentLine:
    due = due_date(line.sale_month, law_product(line.product), first_sale[line.lease_id])
    return PaymentLine(
        "revenue",
        line.gross,
        line.tax,
        line.deductions,
        line.net,
        owner_line_id=line.owner_line_id,
        lease_id=line.lease_id,
        sale_month=line.sale_month,
        product=law_product(line.product),
        decimal=line.decimal,
        volume=line.volume,
        due_on=due,
    )


def _release(amount: Decimal, note: str, lease_id: UUID | None = None) -> PaymentLine:
    return PaymentLine("suspense_release", amount, ZERO, ZERO, amount, lease_id=lease_id, note=note)


# long: the payee's whole story in one place (revenue, releases, interest, JIB credit and netting, holds)
def plan_payment(
    facts: PayeeFacts,
    *,
    pay_date: date,
    first_sale: dict[UUID, date],
    rates: Sequence[payment_law.RatePeriod],
    include_jib_credit: bool,
) -> PaymentPlan:
    lines: list[PaymentLine] = []
    minimum_change = ZERO
    if facts.settled_paid > 0:
        revenue = [_revenue(r, first_sale) for r in facts.revenue_lines]
        lines += revenue
        if facts.prior_minimum:
            lines.append(_release(facts.prior_minimum, "Released from minimum-payment suspense"))
        for lease_id, amount in facts.title_released:
            lines.append(_release(amount, "Released from suspense: title hold lifted", lease_id))
        lines += _interest(revenue, pay_date, rates)
    elif facts.minimum_balance > 0:
        decision = payment_law.minimum_payment_decision(
            facts.minimum_balance,
            owner_asked_monthly=facts.owner_asked_monthly,
            months_since_last_payment=facts.months_since_last_payment,
            release_event=None,
        )
        if decision.pay:
            lines.append(_release(facts.minimum_balance, f"Released from minimum-payment suspense: {decision.reason}"))
            minimum_change = -facts.minimum_balance
        else:
            return _held(facts, f"{facts.settlement_reason or 'held'}; {decision.reason}", facts.minimum_balance)
    refund = ZERO
    if include_jib_credit and facts.jib_balance < 0:
        refund = -facts.jib_balance
        lines.append(PaymentLine("jib_credit", refund, ZERO, ZERO, refund, note="Refund of the JIB credit balance"))
    subtotal = sum((line.net for line in lines), ZERO)
    netted = ZERO
    if facts.jib_balance > 0 and facts.netting_allowed and subtotal > 0:
        netted = min(facts.jib_balance, subtotal)
        note = "JIB balance netted against revenue (operating agreement allows netting)"
        lines.append(PaymentLine("jib_netting", -netted, ZERO, ZERO, -netted, note=note))
    return _plan(facts, lines, netted, refund, minimum_change)


def _plan(
    facts: PayeeFacts, lines: list[PaymentLine], netted: Decimal, refund: Decimal, minimum_change: Decimal
) -> PaymentPlan:
    paying = [line for line in lines if line.kind in ("revenue", "suspense_release", "jib_credit")]
    interest = sum((line.net for line in lines if line.kind == "interest"), ZERO)
    net = sum((line.net for line in lines), ZERO)
    status: Literal["pending", "held"] = "pending"
    reason = None
    if netted and net > 0:
        decision = payment_law.minimum_payment_decision(
            net,
            owner_asked_monthly=facts.owner_asked_monthly,
            months_since_last_payment=facts.months_since_last_payment,
            release_event=None,
        )
        if not decision.pay:  # what netting left is small: it waits in suspense like any small balance
            status, reason = "held", f"after netting the JIB balance: {decision.reason}"
            minimum_change += net
    return PaymentPlan(
        facts.partner_id,
        status,
        reason,
        tuple(lines),
        gross=sum((line.gross for line in paying), ZERO),
        tax=sum((line.tax for line in paying), ZERO),
        deductions=sum((line.deductions for line in paying), ZERO),
        netted=netted,
        interest=interest,
        net=net,
        jib_payment=netted - refund,
        minimum_suspense_change=minimum_change,
    )


def _held(facts: PayeeFacts, reason: str, balance: Decimal) -> PaymentPlan:
    """An owner whose balance stays in suspense: shown on the run, nothing paid, nothing moved."""
    reason = f"{reason} (balance held: {balance})"
    return PaymentPlan(facts.partner_id, "held", reason, (), ZERO, ZERO, ZERO, ZERO, ZERO, ZERO)
