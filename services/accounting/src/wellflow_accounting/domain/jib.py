"""Joint interest billing (COPAS accounting procedure, Exhibit C of the operating agreement; docs/domain.md).

Each working-interest owner is billed gross charge x its WI decimal (cost deck); royalty owners get no JIB.
Overhead is a fixed rate per well per month, one while drilling (prorated by drilling days) and one while
producing, stored per agreement and adjusted each April 1 by the percentage COPAS publishes (entered by the
accountant). WellFlow's choice where COPAS leaves room: a well with drilling days in a month is charged the
prorated drilling rate only; a well that produced on any day of a month without drilling days is charged
the producing rate for the whole month.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from .money import ZERO, cents

DRILLING_STATUSES = frozenset({"spudded", "drilling", "completing"})
PRODUCING_STATUSES = frozenset({"producing"})


class CostCategory(StrEnum):
    INTANGIBLE_DRILLING = "intangible_drilling"
    TANGIBLE = "tangible"
    COMPLETION = "completion"
    LEASE_OPERATING = "lease_operating"
    WORKOVER = "workover"
    OVERHEAD = "overhead"
    OTHER = "other"


ENTERED_CATEGORIES = tuple(c for c in CostCategory if c is not CostCategory.OVERHEAD)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def adjusted_rate(base_rate: Decimal, rates_set_on: date, adjustments: Mapping[int, Decimal], month: date) -> Decimal:
    """The rate for ``month``: the base rate adjusted by each April 1 percentage that took effect after the
    rates were set and on or before the month, compounding, to the cent at each step."""
    rate = base_rate
    for year in sorted(adjustments):
        april_first = date(year, 4, 1)
        if rates_set_on < april_first <= month:
            rate = cents(rate * (1 + adjustments[year] / 100))
    return rate


def status_days(history: Sequence[tuple[date, str]], month: date) -> dict[str, int]:
    """Days of ``month`` spent in each status, from a well's status changes (date, status) in order."""
    first, last = month, month + timedelta(days=days_in_month(month))
    ordered = sorted(history, key=lambda item: item[0])
    counts: dict[str, int] = {}
    for index, (start, status) in enumerate(ordered):
        end = ordered[index + 1][0] if index + 1 < len(ordered) else last
        lo, hi = max(start, first), min(end, last)
        if hi > lo:
            counts[status] = counts.get(status, 0) + (hi - lo).days
    return counts


@dataclass(frozen=True, slots=True)
class WellOverhead:
    amount: Decimal
    description: str
    drilling_days: int


def well_overhead(
    drilling_rate: Decimal, producing_rate: Decimal, history: Sequence[tuple[date, str]], month: date
) -> WellOverhead | None:
    days = status_days(history, month)
    drilling = sum(n for status, n in days.items() if status in DRILLING_STATUSES)
    total = days_in_month(month)
    if drilling:
        amount = cents(drilling_rate * drilling / total)
        return WellOverhead(amount, f"drilling overhead {drilling}/{total} days at {drilling_rate}", drilling)
    if any(n for status, n in days.items() if status in PRODUCING_STATUSES):
        return WellOverhead(cents(producing_rate), f"producing well overhead at {producing_rate}", 0)
    return None


@dataclass(frozen=True, slots=True)
class PartnerBalance:
    prior_balance: Decimal
    billed: Decimal
    payments: Decimal

    @property
    def balance_due(self) -> Decimal:
        return self.prior_balance + self.billed - self.payments


def balance(prior_billed: Decimal, prior_payments: Decimal, billed: Decimal, payments: Decimal) -> PartnerBalance:
    return PartnerBalance(prior_billed - prior_payments, billed, payments)


__all__ = ["ZERO", "CostCategory", "PartnerBalance", "WellOverhead", "adjusted_rate", "balance", "well_overhead"]
