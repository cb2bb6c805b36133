"""When Texas owner proceeds are due, when a small balance must be paid, and the interest on a late payment.

Texas Natural Resources Code, chapter 91, subchapter J (payment for proceeds of sale). Text read at
casetext.com and weblaws.org (copies of statutes.capitol.texas.gov, "current with legislation from the 2023
Regular and Special Sessions"):

- 91.402(a): proceeds must be paid on or before 120 days after the end of the month of FIRST sale of production
  from the well. After that, on the frequency the lease or another written agreement sets; when it sets none,
  no later than 60 days after the end of the calendar month in which subsequent OIL is sold, 90 days for GAS.
  The days are calendar days and the section moves no deadline off a weekend or holiday, so neither do we.
- 91.402(b): payments may be withheld WITHOUT interest for a title dispute, a reasonable doubt about the payee's
  title or authority to sell, an unmet title-opinion requirement after a reasonable curative request, or a child
  support lien or withholding order. 91.403(b): such withheld payments accrue no 91.403 interest.
- 91.402(f) (small balances; the stored copies cut the subsection short, so its exact wording was read from two
  summaries that cite it: an Avvo legal guide on Texas lease payments and an operators' brochure on chapter 91,
  subchapters J and L): the payor may accumulate an owner's proceeds until they reach $100; if they have not
  reached $100 within 12 months but are more than $10, the accumulated amount must be paid at least once a year;
  an owner may ask for monthly payment once the balance is $25 or more; amounts under $10 are paid when the
  property is sold or the well plugged, or at the owner's request. The dollar figures are the constants below.
- 91.403(a): if payment has not been made within the 91.402 time limits, the payor pays interest "beginning at
  the expiration of those time limits" at two percentage points above the percentage rate charged on loans to
  depository institutions by the New York Federal Reserve Bank (its primary credit, i.e. discount window, rate),
  unless a written agreement between payor and payee sets another rate. 91.403(c): interest stops when the
  proceeds and interest are delivered to the Comptroller as unclaimed property (Property Code title 6).
- 91.407(d): a new payor who gave no notice of change of payor owes 91.403 interest two percent above that rate.

How WellFlow computes 91.403 interest (the section sets the rate, not the arithmetic, so these are choices):

- Simple interest, never compounded, on the unpaid principal.
- Day count actual/365: each day after the due date up to and including the day of payment is one day of
  interest at 1/365 of the annual rate in effect ON THAT DAY (leap years too: a 366th day earns 1/365 more).
  Paid on or before the due date: no interest. Paid the day after: one day.
- The Fed rate is effective-dated data (``RatePeriod``): a period applies from its ``effective`` date until the
  next period's; a rate change during the late period splits the interest at the change.
- Rounding: the total is rounded once, to the cent, half up; never per day or per period.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from itertools import pairwise
from typing import Literal

FIRST_SALE_DAYS = 120  # Nat. Res. Code 91.402(a): first payment, days after the end of the month of first sale
OIL_DAYS = 60  # 91.402(a)(1): later oil, days after the end of the calendar month of sale
GAS_DAYS = 90  # 91.402(a)(2): later gas, days after the end of the calendar month of sale

ACCUMULATE_UNTIL = Decimal("100.00")  # 91.402(f): proceeds may be held until they reach $100
YEARLY_MINIMUM = Decimal("10.00")  # 91.402(f): more than $10 accumulated must be paid at least every 12 months
YEARLY_MONTHS = 12  # 91.402(f): "within 12 months"
MONTHLY_ON_REQUEST = Decimal("25.00")  # 91.402(f): monthly payment from $25 when the owner asks

LATE_INTEREST_SPREAD = Decimal("0.02")  # 91.403(a): two percentage points above the NY Fed rate
NO_NOTICE_EXTRA = Decimal("0.02")  # 91.407(d): two percent more when the new payor gave no notice
DAYS_IN_YEAR = Decimal(365)  # our day-count choice (module docstring): actual/365

# 91.402(f): events on which any balance, however small, is paid.
RELEASE_EVENTS = frozenset({"owner-request", "property-sold", "well-plugged"})

CENT = Decimal("0.01")
Product = Literal["oil", "gas"]


def month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def payment_due(sale_month: date, product: Product, first_sale_month: date) -> date:
    """The last day 91.402(a) allows for paying the proceeds of ``sale_month`` (both months: their first day).

    The first sale month of the well gets 120 days; any later month 60 days (oil) or 90 days (gas), counted from
    the last day of the month of sale. A lease or written agreement may set another frequency; callers that
    honour one do not use this function.
    """
    if sale_month.day != 1 or first_sale_month.day != 1:
        raise ValueError("sale_month and first_sale_month are the first day of a month")
    if sale_month < first_sale_month:
        raise ValueError("sale_month is before the month of first sale")
    if product not in ("oil", "gas"):
        raise ValueError(f"product must be 'oil' or 'gas', not {product!r}")
    later_days = OIL_DAYS if product == "oil" else GAS_DAYS
    days = FIRST_SALE_DAYS if sale_month == first_sale_month else later_days
    return month_end(sale_month) + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class PaymentDecision:
    pay: bool
    reason: str


def minimum_payment_decision(
    balance: Decimal,
    *,
    owner_asked_monthly: bool,
    months_since_last_payment: int,
    release_event: str | None,
) -> PaymentDecision:
    """Whether an owner's accumulated balance must (or may) be paid now under 91.402(f).

    ``balance`` is what the owner is owed and not yet paid; ``months_since_last_payment`` counts whole months
    since the owner was last paid (or since the oldest unpaid month, for an owner never paid);
    ``release_event`` is one of ``RELEASE_EVENTS`` or None.
    """
    if release_event is not None and release_event not in RELEASE_EVENTS:
        raise ValueError(f"release_event must be one of {sorted(RELEASE_EVENTS)} or None, not {release_event!r}")
    if months_since_last_payment < 0:
        raise ValueError("months_since_last_payment cannot be negative")
    if balance <= 0:
        return PaymentDecision(False, "nothing owed")
    if balance >= ACCUMULATE_UNTIL:
        return PaymentDecision(True, f"balance reached ${ACCUMULATE_UNTIL} (91.402(f))")
    if owner_asked_monthly and balance >= MONTHLY_ON_REQUEST:
        return PaymentDecision(True, f"owner asked for monthly payment; ${MONTHLY_ON_REQUEST} or more (91.402(f))")
    if months_since_last_payment >= YEARLY_MONTHS and balance > YEARLY_MINIMUM:
        held = f"more than ${YEARLY_MINIMUM} held {YEARLY_MONTHS} months"
        return PaymentDecision(True, f"{held}: paid at least yearly (91.402(f))")
    if release_event is not None:
        return PaymentDecision(True, f"{release_event}: any balance is paid (91.402(f))")
    if balance > YEARLY_MINIMUM:
        until = f"${ACCUMULATE_UNTIL} or {YEARLY_MONTHS} months"
        return PaymentDecision(False, f"under ${ACCUMULATE_UNTIL}: accumulates until {until} (91.402(f))")
    when = "on the owner's request, sale of the property or plugging"
    return PaymentDecision(False, f"${YEARLY_MINIMUM} or less: paid {when} (91.402(f))")


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """The New York Fed's rate on loans to depository institutions from ``effective`` on, as a fraction
    (5.50% is ``Decimal("0.0550")``). 91.403 adds its two points on top; callers pass the Fed's rate."""

    effective: date
    annual_rate: Decimal


def _periods_sorted(rates: Sequence[RatePeriod]) -> list[RatePeriod]:
    ordered = sorted(rates, key=lambda r: r.effective)
    for before, after in pairwise(ordered):
        if before.effective == after.effective:
            raise ValueError(f"two rates take effect on {after.effective}")
    for r in ordered:
        if r.annual_rate < 0:
            raise ValueError(f"the rate effective {r.effective} is negative")
    return ordered


def late_interest_days(due: date, paid: date) -> int:
    """Days of 91.403 interest: every day after the due date up to and including the day of payment."""
    return max(0, (paid - due).days)


def late_interest(
    amount: Decimal,
    due: date,
    paid: date,
    rates: Sequence[RatePeriod],
    *,
    extra_points: Decimal = Decimal(0),
) -> Decimal:
    """91.403(a) interest on ``amount`` paid on ``paid`` that was due on ``due`` (conventions: module docstring).

    ``extra_points`` is added to the 91.403 rate where another rule raises it (``NO_NOTICE_EXTRA`` for 91.407(d)).
    Raises ValueError when a late day has no rate in ``rates``.
    """
    if amount < 0:
        raise ValueError("amount cannot be negative")
    days = late_interest_days(due, paid)
    if days == 0 or amount == 0:
        return Decimal("0.00")
    ordered = _periods_sorted(rates)
    first_day = due + timedelta(days=1)
    if not ordered or ordered[0].effective > first_day:
        raise ValueError(f"no New York Fed rate is known for {first_day}")
    total = Decimal(0)
    for index, period in enumerate(ordered):
        start = max(period.effective, first_day)
        end = ordered[index + 1].effective - timedelta(days=1) if index + 1 < len(ordered) else paid
        end = min(end, paid)
        if end < start:
            continue
        span = (end - start).days + 1
        rate = period.annual_rate + LATE_INTEREST_SPREAD + extra_points
        total += amount * rate * span / DAYS_IN_YEAR
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_on(day: date, rates: Sequence[RatePeriod]) -> RatePeriod | None:
    """The period in effect on ``day``, or None when ``rates`` start later."""
    current = None
    for period in _periods_sorted(rates):
        if period.effective <= day:
            current = period
    return current


@dataclass(frozen=True, slots=True)
class PublishedRate:
    """One change of the New York Fed's primary credit rate as ``data/ny_fed_primary_credit.csv`` lists it."""

    effective: date
    annual_rate: Decimal  # a fraction: 5.50% is 0.0550
    verified: bool
    source: str


def published_fed_rates() -> list[PublishedRate]:
    """The primary credit rate history shipped with WellFlow (its sources and unverified rows: the file's header)."""
    text = resources.files("wellflow_texas").joinpath("data/ny_fed_primary_credit.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [
        PublishedRate(
            date.fromisoformat(row["effective"]),
            Decimal(row["percent"]) / 100,
            row["verified"] == "yes",
            row["source"],
        )
        for row in csv.DictReader(lines)
    ]
