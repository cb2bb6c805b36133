"""Checks: the amount in words a check prints, and the positive-pay file the operator's bank matches presented
checks against (docs/payments.md#positive-pay)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _under_thousand(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return words


def amount_in_words(amount: Decimal) -> str:
    """``Decimal("1253.07")`` -> ``"One thousand two hundred fifty-three and 07/100 dollars"``."""
    if amount < 0:
        raise ValueError("a check is never negative")
    cents = int((amount * 100).to_integral_value())
    dollars, rest = divmod(cents, 100)
    words: list[str] = []
    for scale, name in _SCALES:
        if dollars >= scale:
            words += [*_under_thousand(dollars // scale), name]
            dollars %= scale
    if dollars or not words:
        words += _under_thousand(dollars)
    text = " ".join(words)
    return f"{text[0].upper()}{text[1:]} and {rest:02d}/100 dollars"


@dataclass(frozen=True, slots=True)
class PositivePayItem:
    account_number: str
    check_number: int
    issue_date: date
    amount: Decimal
    payee: str
    void: bool = False


POSITIVE_PAY_COLUMNS = ("Account Number", "Check Number", "Issue Date", "Amount", "Payee Name", "Issue/Void")


def positive_pay_rows(items: Iterable[PositivePayItem]) -> list[list[str]]:
    """One row per check issued (``I``) or voided (``V``): account, check number, MM/DD/YYYY, amount to the cent
    without separators, payee as printed (upper case, at most 50 characters)."""
    return [
        [
            item.account_number,
            str(item.check_number),
            f"{item.issue_date:%m/%d/%Y}",
            f"{item.amount:.2f}",
            item.payee.upper()[:50],
            "V" if item.void else "I",
        ]
        for item in items
    ]
