"""Largest-remainder (Hamilton) apportionment: whole units split so that the parts add up exactly.

WellFlow uses it wherever a total must be shared in whole units and no rule says how the odd units fall:
an owner's cents of a sale, a battery's barrels among its wells, a lease's gas dispositions in whole MCF on
the Form PR. Each part is the floor or the ceiling of its exact quota; the units left over go one each to the
largest fractional remainders, ties to the smaller key (stable across runs and processes).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

Quota = Fraction | Decimal | int


def largest_remainder(quotas: Sequence[Quota], total: int, *, keys: Sequence[Any] | None = None) -> list[int]:
    """Whole numbers summing to ``total``, each within one of its quota.

    When ``total`` exceeds the sum of the floors, the largest remainders get one more unit each; when it is
    below (a rounded total under the sum of floors cannot happen for proportional quotas, but can for rounded
    figures), the smallest remainders give one back. ``keys`` break ties (default: position).
    """
    exact = [Fraction(q) for q in quotas]
    floors = [q.numerator // q.denominator for q in exact]
    tiebreak: Sequence[Any] = keys if keys is not None else range(len(exact))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), tiebreak[i]))
    left = total - sum(floors)
    if left > len(exact) or -left > len(exact):
        raise ValueError(f"a total of {total} is more than one unit per part away from the quotas' floors")
    result = list(floors)
    if left >= 0:
        for i in order[:left]:
            result[i] += 1
    else:
        for i in order[len(order) + left :]:
            result[i] -= 1
    return result


def split_units(units: int, weights: Sequence[int | Decimal | Fraction], *, keys: Sequence[Hashable]) -> list[int]:
    """``units`` split among non-negative ``weights`` in proportion (a zero weight receives nothing)."""
    exact = [Fraction(w) for w in weights]
    whole = sum(exact, Fraction(0))
    if whole <= 0:
        raise ValueError("weights must have a positive total")
    quotas = [units * w / whole for w in exact]
    return largest_remainder(quotas, units, keys=[(w == 0, k) for w, k in zip(exact, keys, strict=True)])
