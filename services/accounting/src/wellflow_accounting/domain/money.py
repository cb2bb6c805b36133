"""Penny-exact allocation. No rule fixes how pennies fall among owners (docs/domain.md#owner-revenue), so
WellFlow uses the largest-remainder method (``wellflow_texas.apportion``): every share is floored to the cent,
then the cents left over go one each to the largest fractional remainders, ties broken by a stable key. The
shares add up exactly to the amount and the same inputs always give the same shares."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypeVar

from wellflow_texas.apportion import largest_remainder

K = TypeVar("K", bound=Hashable)

CENT = Decimal("0.01")
DECIMAL_PLACES = Decimal("0.00000001")  # ownership decimals carry 8 places (docs/domain.md)
ZERO = Decimal("0.00")


def cents(amount: Decimal) -> Decimal:
    """Dollars rounded to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights scaled once to exact integers, for splitting several amounts the same way (a sale's gross,
    tax and deductions among one deck's owners)."""

    keys: tuple[Any, ...]
    scaled: tuple[int, ...]
    tiebreak: tuple[str, ...]
    denominator: int

    @classmethod
    def of(cls, weights: Mapping[K, Decimal]) -> Weights:
        if not weights:
            raise ValueError("nothing to allocate to")
        if any(w < 0 for w in weights.values()):
            raise ValueError("weights must not be negative")
        exponent = max(0, *(-w.as_tuple().exponent for w in weights.values()))  # type: ignore[operator]
        scale = 10**exponent
        keys = tuple(weights)
        scaled = tuple(int(weights[k] * scale) for k in keys)
        denominator = sum(scaled)
        if denominator <= 0:
            raise ValueError("weights must have a positive total")
        return cls(keys, scaled, tuple(str(k) for k in keys), denominator)

    def split(self, amount: Decimal) -> dict[Any, Decimal]:
        """``amount`` (to the cent) split by largest remainder; a negative amount mirrors a positive one."""
        amount = cents(amount)
        sign = -1 if amount < 0 else 1
        units = int(abs(amount) * 100)
        if units == 0:
            return dict.fromkeys(self.keys, ZERO)
        quotas = [Fraction(units * weight, self.denominator) for weight in self.scaled]
        # Largest remainder first; equal remainders go to the smaller key (stable across runs and processes).
        shares = largest_remainder(quotas, units, keys=self.tiebreak)
        return {key: Decimal(sign * share).scaleb(-2) for key, share in zip(self.keys, shares, strict=True)}


def allocate(amount: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split ``amount`` (to the cent) among ``weights`` in proportion, by largest remainder.

    Weights need not sum to one (the shares are proportional to their total); they must be non-negative
    with a positive total. A negative amount (an adjustment) is split as its absolute value, then negated,
    so a correction mirrors the original split.
    """
    return Weights.of(weights).split(amount)
