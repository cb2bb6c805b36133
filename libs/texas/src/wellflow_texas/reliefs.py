"""Severance tax reliefs a small Texas operator meets, as effective-dated data.

A relief is granted to a lease (or its wells) for a period: WellFlow stores the grant (code, from, to and
the inputs the Comptroller certified) and asks ``relief_rate`` for the rate it sets for a product. The
certified prices and costs are inputs, never guessed here.

Sources (Texas Comptroller pages on crude oil and natural gas production tax exemptions and credits;
Tax Code chapters 201 and 202):
- ``enhanced_recovery``: Tax Code 202.052(b), oil from a new or expanded enhanced recovery project that
  qualifies under 202.054: 2.3% of market value, for ten years. 202.052(b) has no per-barrel alternative, so
  no 4.6-cent floor; the cleanup fee always applies (NRC 81.116(d)).
- ``low_producing_oil``: Tax Code 202.058, "a credit on the tax otherwise due on oil produced from that
  lease" (a lease whose 90-day average is under 15 BBL/day per well or under 5% oil per barrel of water):
  25% when the certified average price (2005 dollars) is over $25 and at most $30, 50% over $22 up to $25,
  100% at or under $22. None above $30. Oil only: 202.058 is in the oil production tax chapter and speaks of
  oil leases; condensate is taxed under the gas chapter (201.055), so the credit never reaches it. The credit
  comes off the tax otherwise due, the 4.6-cent floor included.
- ``low_producing_gas``: Tax Code 201.059, a credit on gas from a well producing at most 90 MCF/day: 25%
  when the certified average price is over $3.00 and at most $3.50, 50% over $2.50 up to $3.00, 100% at or
  under $2.50 (docs/domain.md#reliefs, open: brackets to confirm).
- ``high_cost_gas``: Tax Code 201.057, rate = 7.5% x (1 - well cost / (2 x prior-year median cost)), never
  below zero, for 120 months or until the savings reach 50% of drilling and completion costs (the caller
  tracks the savings and ends the grant).
- ``inactive_well``: Tax Code 202.056 (oil; 202.052(c)) and 201.053(4) / 201.058(a) (gas): a well inactive
  for two years and returned to production is exempt for five years. Condensate follows the gas chapter, so
  the exemption reaches it too. Regulatory fees still apply (81.116(d), 81.117(d)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .severance import CONDENSATE_RATE, ENHANCED_RECOVERY_OIL_RATE, GAS_RATE, OIL_RATE
from .severance import Relief as Effect


@dataclass(frozen=True, slots=True)
class Relief:
    code: str
    name: str
    products: frozenset[str]
    statute: str
    max_months: int | None
    inputs: tuple[str, ...]


RELIEFS: dict[str, Relief] = {
    relief.code: relief
    for relief in (
        Relief(
            "enhanced_recovery",
            "Enhanced oil recovery project",
            frozenset({"oil"}),
            "Tax Code 202.052(b), 202.054",
            120,
            (),
        ),
        Relief(
            "low_producing_oil",
            "Low-producing oil lease credit",
            frozenset({"oil"}),
            "Tax Code 202.058",
            None,
            ("certified_price",),
        ),
        Relief(
            "low_producing_gas",
            "Low-producing gas well credit",
            frozenset({"gas"}),
            "Tax Code 201.059",
            None,
            ("certified_price",),
        ),
        Relief(
            "high_cost_gas",
            "High-cost gas reduced rate",
            frozenset({"gas"}),
            "Tax Code 201.057",
            120,
            ("well_cost", "median_cost"),
        ),
        Relief(
            "inactive_well",
            "Two-year inactive well exemption",
            frozenset({"oil", "condensate", "gas"}),
            "Tax Code 202.056, 201.053(4), 201.058(a)",
            60,
            (),
        ),
    )
}

# (lower bound exclusive, upper bound inclusive, credit share); prices in 2005 dollars as certified.
OIL_CREDIT_BRACKETS: tuple[tuple[Decimal, Decimal, Decimal], ...] = (
    (Decimal("25.00"), Decimal("30.00"), Decimal("0.25")),
    (Decimal("22.00"), Decimal("25.00"), Decimal("0.50")),
    (Decimal("-1"), Decimal("22.00"), Decimal("1.00")),
)
GAS_CREDIT_BRACKETS: tuple[tuple[Decimal, Decimal, Decimal], ...] = (
    (Decimal("3.00"), Decimal("3.50"), Decimal("0.25")),
    (Decimal("2.50"), Decimal("3.00"), Decimal("0.50")),
    (Decimal("-1"), Decimal("2.50"), Decimal("1.00")),
)

_BASE_RATES = {"oil": OIL_RATE, "condensate": CONDENSATE_RATE, "gas": GAS_RATE}


def credit_share(brackets: tuple[tuple[Decimal, Decimal, Decimal], ...], price: Decimal) -> Decimal:
    for low, high, share in brackets:
        if low < price <= high:
            return share
    return Decimal("0")


@dataclass(frozen=True, slots=True)
class ReliefGrant:
    """A relief granted to a lease from ``effective_from`` (inclusive) to ``effective_to`` (inclusive, or open)."""

    code: str
    effective_from: date
    effective_to: date | None = None
    inputs: Mapping[str, Decimal] | None = None

    def covers(self, month: date) -> bool:
        return self.effective_from <= month and (self.effective_to is None or month <= self.effective_to)


def validate_grant(grant: ReliefGrant) -> list[str]:
    """Problems with a grant, in words an accountant can act on (empty when it is usable)."""
    relief = RELIEFS.get(grant.code)
    if relief is None:
        return [f"unknown relief {grant.code!r}; known: {', '.join(sorted(RELIEFS))}"]
    problems = []
    if grant.effective_to is not None and grant.effective_to < grant.effective_from:
        problems.append("effective_to is before effective_from")
    inputs = grant.inputs or {}
    for name in relief.inputs:
        value = inputs.get(name)
        if value is None:
            problems.append(f"{relief.name} needs {name}")
        elif value < 0:
            problems.append(f"{name} must not be negative")
    if grant.code == "high_cost_gas" and inputs.get("median_cost") == 0:
        problems.append("median_cost must be above zero")
    return problems


def relief_rate(grant: ReliefGrant, product: str) -> Decimal | None:
    """The rate ``grant`` sets for ``product``, or None when it does not concern that product."""
    relief = RELIEFS[grant.code]
    if product not in relief.products:
        return None
    inputs = grant.inputs or {}
    base = _BASE_RATES[product]
    if grant.code == "enhanced_recovery":
        return ENHANCED_RECOVERY_OIL_RATE
    if grant.code == "inactive_well":
        return Decimal("0")
    if grant.code == "low_producing_oil":
        return base * (1 - credit_share(OIL_CREDIT_BRACKETS, inputs["certified_price"]))
    if grant.code == "low_producing_gas":
        return base * (1 - credit_share(GAS_CREDIT_BRACKETS, inputs["certified_price"]))
    if grant.code == "high_cost_gas":
        reduced = GAS_RATE * (1 - inputs["well_cost"] / (2 * inputs["median_cost"]))
        return max(reduced, Decimal("0")).quantize(Decimal("0.000001"))
    raise KeyError(grant.code)


def relief_effect(grant: ReliefGrant, product: str) -> Effect | None:
    """What ``grant`` does to ``product``'s tax (``severance.Relief``), or None when it does not concern it:
    a rate (enhanced recovery, high-cost gas), an exemption (inactive well) or a credit of a share of the tax
    otherwise due (low-producing oil lease, low-producing gas well)."""
    relief = RELIEFS[grant.code]
    if product not in relief.products:
        return None
    inputs = grant.inputs or {}
    if grant.code == "enhanced_recovery":
        return Effect(rate=ENHANCED_RECOVERY_OIL_RATE, no_floor=True)
    if grant.code == "inactive_well":
        return Effect(exempt=True)
    if grant.code == "low_producing_oil":
        return Effect(credit_share=credit_share(OIL_CREDIT_BRACKETS, inputs["certified_price"]))
    if grant.code == "low_producing_gas":
        return Effect(credit_share=credit_share(GAS_CREDIT_BRACKETS, inputs["certified_price"]))
    if grant.code == "high_cost_gas":
        rate = relief_rate(grant, product)
        return Effect(rate=rate)
    raise KeyError(grant.code)
