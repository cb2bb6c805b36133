"""General-ledger journal entries for a month, balanced by construction (debits equal credits), laid out for
QuickBooks Online's journal entry import: Journal No, Journal Date, Account, Debits, Credits, Description,
Name. Account names are WellFlow's defaults; an accountant maps them to the chart of accounts on import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import ZERO

REVENUE_RECEIVABLE = "Revenue Receivable - Purchasers"
SEVERANCE_TAX_PAYABLE = "Severance Taxes Payable"
DEDUCTIONS_PAYABLE = "Purchaser Deductions"
OWNER_PAYABLE = "Owner Revenue Payable"
SUSPENSE_PAYABLE = "Owner Revenue Suspense"
JIB_RECEIVABLE = "Joint Interest Billing Receivable"
JIB_RECOVERY = "Joint Interest Cost Recovery"
CASH = "Operating Cash"
LATE_INTEREST = "Late Payment Interest Expense"

COLUMNS = ("Journal No", "Journal Date", "Account", "Debits", "Credits", "Description", "Name")


@dataclass(frozen=True, slots=True)
class JournalLine:
    journal_no: str
    journal_date: date
    account: str
    debit: Decimal
    credit: Decimal
    description: str
    name: str = ""


def _line(no: str, day: date, account: str, amount: Decimal, description: str, name: str = "") -> JournalLine:
    """A positive amount is a debit, a negative one a credit (so signs from the books land on the right side)."""
    if amount >= 0:
        return JournalLine(no, day, account, amount, ZERO, description, name)
    return JournalLine(no, day, account, ZERO, -amount, description, name)


def revenue_entry(
    month: date,
    journal_date: date,
    *,
    gross: Decimal,
    tax: Decimal,
    deductions: Decimal,
    owners_paid: Sequence[tuple[str, Decimal]],
    suspense_change: Decimal,
) -> list[JournalLine]:
    """Dr receivable from purchasers (gross); Cr severance tax, deductions, each owner's payment and the
    change in suspense. gross - tax - deductions = paid + change in suspense, so the entry balances."""
    no = f"REV-{month:%Y-%m}"
    label = f"Revenue distribution {month:%m/%Y}"
    lines = [_line(no, journal_date, REVENUE_RECEIVABLE, gross, label)]
    lines.append(_line(no, journal_date, SEVERANCE_TAX_PAYABLE, -tax, f"{label}: severance tax"))
    lines.append(_line(no, journal_date, DEDUCTIONS_PAYABLE, -deductions, f"{label}: purchaser deductions"))
    for name, paid in owners_paid:
        if paid:
            lines.append(_line(no, journal_date, OWNER_PAYABLE, -paid, f"{label}: owner payment", name))
    if suspense_change:
        lines.append(_line(no, journal_date, SUSPENSE_PAYABLE, -suspense_change, f"{label}: suspense held (released)"))
    return [line for line in lines if line.debit or line.credit]


def jib_entry(
    month: date,
    journal_date: date,
    *,
    partners: Sequence[tuple[str, Decimal]],
    categories: Sequence[tuple[str, Decimal]],
) -> list[JournalLine]:
    """Dr each partner's receivable; Cr cost recovery by category. Both sides sum the same allocated lines."""
    no = f"JIB-{month:%Y-%m}"
    label = f"Joint interest billing {month:%m/%Y}"
    lines = [_line(no, journal_date, JIB_RECEIVABLE, amount, label, name) for name, amount in partners if amount]
    lines += [
        _line(no, journal_date, f"{JIB_RECOVERY} - {category}", -amount, f"{label}: {category}")
        for category, amount in categories
        if amount
    ]
    return lines


@dataclass(frozen=True, slots=True)
class CashPayment:
    """One payment as the books see it: what it pays from the owner payable, the interest, the JIB credit it
    refunds, the JIB balance it nets, and where the rest goes (cash, or suspense when it was held again)."""

    name: str
    payable: Decimal
    interest: Decimal
    jib_credit: Decimal
    netted: Decimal
    net: Decimal
    held: bool = False
    reference: str = ""


def payment_entry(no: str, day: date, payments: Sequence[CashPayment]) -> list[JournalLine]:
    """Dr owner payable, late-payment interest and the JIB receivable refunded; Cr the JIB receivable netted and
    cash paid (owner suspense for a payment held again). payable + interest + refund = netted + net."""
    label = f"Owner payments {day:%m/%d/%Y}"
    lines: list[JournalLine] = []
    for p in payments:
        about = f"{label}{': ' + p.reference if p.reference else ''}"
        lines.append(_line(no, day, OWNER_PAYABLE, p.payable, about, p.name))
        lines.append(
            _line(no, day, LATE_INTEREST, p.interest, f"{about}: interest (Tex. Nat. Res. Code 91.403)", p.name)
        )
        lines.append(_line(no, day, JIB_RECEIVABLE, p.jib_credit, f"{about}: JIB credit refunded", p.name))
        lines.append(_line(no, day, JIB_RECEIVABLE, -p.netted, f"{about}: JIB balance netted", p.name))
        lines.append(_line(no, day, SUSPENSE_PAYABLE if p.held else CASH, -p.net, about, p.name))
    return [line for line in lines if line.debit or line.credit]


def void_entry(no: str, day: date, name: str, amount: Decimal, check_number: int, reissued: bool) -> list[JournalLine]:
    """A voided check puts the cash back and owes the owner again: to the payable when a new check replaces it,
    else to owner suspense (a later run pays it)."""
    label = f"Check {check_number} voided"
    account = OWNER_PAYABLE if reissued else SUSPENSE_PAYABLE
    return [_line(no, day, CASH, amount, label, name), _line(no, day, account, -amount, label, name)]


def balanced(lines: Sequence[JournalLine]) -> bool:
    by_journal: dict[str, Decimal] = {}
    for line in lines:
        by_journal[line.journal_no] = by_journal.get(line.journal_no, ZERO) + line.debit - line.credit
    return all(total == 0 for total in by_journal.values())
