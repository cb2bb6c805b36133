"""A tank gauge against the tank's expected balance: the last gauge, plus the oil the battery's wells produced
since, less the run tickets taken from the tank since. A gauge far outside it is most often a typo (a foot or an
inch misread, the wrong tank), so the pumper's phone asks before keeping it; the API stores gauges as they are.

The tolerance is WellFlow's own rule, not a statute nor a measurement standard: the larger of

- ``FLOOR_BBL`` (5 bbl): hand gauging is read to the quarter-inch and each reading of the day is an estimate;
- ``CAPACITY_PERCENT`` (1 %) of the tank's capacity: about two and a half inches of a 20-ft tank, more than one
  misread mark and well under a one-foot slip;
- ``PRODUCTION_PERCENT`` (10 %) of the production since the last gauge: the wells' daily figures are meter or
  estimate readings that the tanks true up, and the difference grows with the days since.

A battery with one oil tank is expected at ``last + production - tickets``. With several, the wells' oil goes
into one of them at a time and nothing says which, so a tank is expected between ``last - tickets`` (nothing
went in) and ``last + production - tickets`` (everything did). Water tanks are not checked (their hauling is not
recorded). The route serves these figures and the rule's numbers; the console computes the same bounds, with
what the phone holds unsent added (console/.../pages/production/measure.js, ``balanceRange``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FLOOR_BBL = Decimal(5)
CAPACITY_PERCENT = Decimal(1)
PRODUCTION_PERCENT = Decimal(10)
BARRELS = Decimal("0.01")


def rule() -> dict[str, str]:
    """The rule's numbers as the route serves them (decimal strings)."""
    return {
        "floor_bbl": str(FLOOR_BBL),
        "capacity_percent": str(CAPACITY_PERCENT),
        "production_percent": str(PRODUCTION_PERCENT),
    }


def tolerance(capacity_bbl: Decimal, production_bbl: Decimal) -> Decimal:
    """How far a gauge may be from its expected balance without a question, in barrels."""
    return max(
        FLOOR_BBL,
        capacity_bbl * CAPACITY_PERCENT / 100,
        max(production_bbl, Decimal(0)) * PRODUCTION_PERCENT / 100,
    ).quantize(BARRELS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Balance:
    """What the tank should hold now, as a range (equal ends for a battery's only oil tank), and the tolerance."""

    low_bbl: Decimal
    high_bbl: Decimal
    tolerance_bbl: Decimal

    def outside(self, gauge_bbl: Decimal) -> Decimal:
        """How far ``gauge_bbl`` lies beyond the range plus the tolerance (0 when within)."""
        if gauge_bbl < self.low_bbl - self.tolerance_bbl:
            return self.low_bbl - gauge_bbl
        if gauge_bbl > self.high_bbl + self.tolerance_bbl:
            return gauge_bbl - self.high_bbl
        return Decimal(0)


def expected_balance(
    last_bbl: Decimal, production_bbl: Decimal, tickets_bbl: Decimal, capacity_bbl: Decimal, *, shared: bool
) -> Balance:
    """The balance of a tank whose last gauge read ``last_bbl``; ``shared``: the battery has other oil tanks."""
    high = last_bbl + production_bbl - tickets_bbl
    low = last_bbl - tickets_bbl if shared else high
    return Balance(low, high, tolerance(capacity_bbl, production_bbl))
