"""Valued downtime: the oil and gas a well did not produce while it was down, and what they were worth.

A downtime day is a reading with fewer than 24 hours on; the missing hours defer ``rate x (24 - hours_on) / 24``
of the day's expected rate. The expected rate is, in order (``expected_rate``):

1. ``decline``: the well's Arps decline (``domain.decline``) fitted to its producing history before the period,
   when that history has at least ``FIT_MIN_DAYS`` producing days and the fit converges; its rate on the day;
2. ``well_test``: otherwise the latest well test on or before the day (a measured 24-hour rate);
3. ``trailing_average``: otherwise the mean hours-normalized rate of the last ``TRAILING_DAYS`` producing days
   before the period;
4. ``none``: nothing to estimate from; nothing is deferred, and the answer says so.

Never "yesterday's rate": one bad day before a failure would price every day of the outage.

Dollars: deferred barrels x the month's oil price + deferred MCF x the month's gas price, times the operator's
net revenue interest when the organization set it (its share of the revenue after royalties), else at 8/8ths
(the whole lease's revenue), rounded to the cent at the end of each line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

FIT_MIN_DAYS = 60  # the alert check's rule for trusting a fit (app.alerts.FIT_MIN_DAYS)
TRAILING_DAYS = 30
HOURS_PER_DAY = Decimal(24)
VOLUME = Decimal("0.01")
CENTS = Decimal("0.01")
ZERO = Decimal(0)

DECLINE = "decline"
WELL_TEST = "well_test"
TRAILING_AVERAGE = "trailing_average"
NONE = "none"


@dataclass(frozen=True)
class Rate:
    """An expected daily rate and where it came from."""

    oil_bbl_per_day: Decimal
    gas_mcf_per_day: Decimal
    basis: str


def down_fraction(hours_on: Decimal) -> Decimal:
    """The share of the day the well was down (0 to 1)."""
    if not ZERO <= hours_on <= HOURS_PER_DAY:
        raise ValueError("hours on is from 0 to 24")
    return (HOURS_PER_DAY - hours_on) / HOURS_PER_DAY


def deferred_volume(rate_per_day: Decimal, hours_on: Decimal) -> Decimal:
    """The volume a well expected at ``rate_per_day`` did not produce in a day of ``hours_on`` hours, to 0.01."""
    return (max(rate_per_day, ZERO) * down_fraction(hours_on)).quantize(VOLUME, rounding=ROUND_HALF_UP)


def trailing_rate(history: Sequence[tuple[date, Decimal, Decimal]], days: int = TRAILING_DAYS) -> Decimal | None:
    """The mean of the last ``days`` producing days' rates (volume x 24 / hours on), from (day, volume, hours)
    oldest first; None when there is no producing day."""
    rates = [volume * HOURS_PER_DAY / hours for _, volume, hours in history if hours > 0 and volume > 0][-days:]
    if not rates:
        return None
    return (sum(rates, ZERO) / len(rates)).quantize(VOLUME, rounding=ROUND_HALF_UP)


def expected_rate(
    *,
    decline_oil: Decimal | None,
    decline_gas: Decimal | None,
    well_test: tuple[Decimal, Decimal] | None,
    trailing_oil: Decimal | None,
    trailing_gas: Decimal | None,
) -> Rate:
    """The first basis that has a figure (see the module's order). A decline fit of one product only (the other
    too short or not converging) takes the other product from the next basis that has it."""
    if decline_oil is not None or decline_gas is not None:
        oil = decline_oil if decline_oil is not None else _fallback(0, well_test, trailing_oil)
        gas = decline_gas if decline_gas is not None else _fallback(1, well_test, trailing_gas)
        return Rate(oil, gas, DECLINE)
    if well_test is not None:
        return Rate(well_test[0], well_test[1], WELL_TEST)
    if trailing_oil is not None or trailing_gas is not None:
        return Rate(trailing_oil or ZERO, trailing_gas or ZERO, TRAILING_AVERAGE)
    return Rate(ZERO, ZERO, NONE)


def _fallback(index: int, well_test: tuple[Decimal, Decimal] | None, trailing: Decimal | None) -> Decimal:
    if well_test is not None:
        return well_test[index]
    return trailing if trailing is not None else ZERO


def deferred_value(
    oil_bbl: Decimal,
    gas_mcf: Decimal,
    oil_price: Decimal | None,
    gas_price: Decimal | None,
    net_revenue_interest: Decimal | None,
) -> Decimal:
    """Dollars the deferred volumes would have brought the operator, to the cent (a missing price counts 0)."""
    gross = oil_bbl * (oil_price or ZERO) + gas_mcf * (gas_price or ZERO)
    share = net_revenue_interest if net_revenue_interest is not None else Decimal(1)
    return (gross * share).quantize(CENTS, rounding=ROUND_HALF_UP)


def month_price(
    prices: Mapping[tuple[str, str], Sequence[tuple[date, Decimal]]], lease_id: UUID | None, month: date, product: str
) -> Decimal | None:
    """The price of ``product`` for ``month``: the lease's own for the month, else the organization's ('*') for
    the month, else the latest earlier month's (the lease's, then the organization's); None when none was
    recorded. ``prices`` maps (lease id or '*', product) to (month, price) pairs, oldest month first."""
    keys = ((str(lease_id), product), ("*", product))
    for key in keys:
        same = [price for m, price in prices.get(key, ()) if m == month]
        if same:
            return same[-1]
    for key in keys:
        earlier = [price for m, price in prices.get(key, ()) if m < month]
        if earlier:
            return earlier[-1]
    return None
