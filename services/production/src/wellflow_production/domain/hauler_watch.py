"""Hauler watch: does a hauler's (or a purchaser's) run tickets keep showing less oil than left the tank?

One ticket's difference: between the pumper's gauge before the load (P) and the next one after it (N), with no
other load taken in between, the tank's own balance says ``P + production - N`` barrels left; the ticket says
``gross_bbl`` (its opening minus closing gauge). ``difference = (P + production - N) - gross_bbl``: positive when
more oil left than the ticket shows (a short ticket), negative when less. It is the tank balance's gap at N with
the sign turned (``domain.tank_ledger``), so the pumper's gauges and the wells' readings are the reference and the
hauler's own gauges are what is judged. Tickets sharing a stretch with another load are left out (the
difference could be either hauler's), as are refused loads.

The statistic, per hauler or purchaser, over n tickets: the mean difference, its standard error
``s / sqrt(n)`` (s the sample standard deviation, n - 1 in the denominator), and Student's t = mean / SE. The
group is flagged when n is at least ``MIN_TICKETS`` and |t| exceeds the two-sided 95 % critical value of t
with n - 1 degrees of freedom (a one-sample t-test of "mean difference = 0"). Gauge reading and the wells'
daily estimates add noise of either sign to each difference; a bias that survives many tickets is not noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from scipy.stats import t as student_t

MIN_TICKETS = 10
CONFIDENCE = 0.95
ZERO = Decimal(0)
BARRELS = Decimal("0.01")
FOUR = Decimal("0.0001")


@dataclass(frozen=True)
class PumperGauge:
    gauged_at: datetime
    day: date
    barrels: Decimal


@dataclass(frozen=True)
class Load:
    ticket_id: object
    taken_at: datetime
    day: date
    gross_bbl: Decimal
    hauler: str | None
    purchaser: str
    rejected: bool = False


@dataclass(frozen=True)
class TicketDifference:
    ticket_id: object
    day: date
    hauler: str | None
    purchaser: str
    gross_bbl: Decimal
    balance_bbl: Decimal
    difference_bbl: Decimal


@dataclass(frozen=True)
class Bias:
    count: int
    mean_bbl: Decimal
    standard_error_bbl: Decimal | None
    t_statistic: Decimal | None
    critical_t: Decimal | None
    flagged: bool


def ticket_differences(
    gauges: Sequence[PumperGauge], loads: Sequence[Load], production: Mapping[date, Decimal]
) -> list[TicketDifference]:
    """Each load alone between two pumper gauges, against the tank's balance over that stretch."""
    ordered = sorted(gauges, key=lambda g: g.gauged_at)
    taken = [load for load in loads if not load.rejected]
    found = []
    for before, after in pairwise(ordered):
        inside = [load for load in taken if before.gauged_at < load.taken_at <= after.gauged_at]
        if len(inside) != 1:
            continue
        (load,) = inside
        produced = sum((v for d, v in production.items() if before.day < d <= after.day), ZERO)
        removed = before.barrels + produced - after.barrels
        found.append(
            TicketDifference(
                load.ticket_id, load.day, load.hauler, load.purchaser, load.gross_bbl, removed, removed - load.gross_bbl
            )
        )
    return found


def critical_t(count: int, confidence: float = CONFIDENCE) -> Decimal:
    """The two-sided critical value of Student's t with ``count - 1`` degrees of freedom."""
    value = float(student_t.ppf(1 - (1 - confidence) / 2, count - 1))
    return Decimal(repr(value)).quantize(FOUR, rounding=ROUND_HALF_UP)


def bias(differences: Sequence[Decimal], *, min_tickets: int = MIN_TICKETS) -> Bias:
    """The mean difference, its standard error and whether it differs from 0 (see the module's docstring)."""
    n = len(differences)
    if n == 0:
        return Bias(0, ZERO, None, None, None, False)
    mean = sum(differences, ZERO) / n
    if n < 2:
        return Bias(n, mean.quantize(BARRELS, rounding=ROUND_HALF_UP), None, None, None, False)
    variance = sum(((d - mean) ** 2 for d in differences), ZERO) / (n - 1)
    se = (variance / n).sqrt()
    critical = critical_t(n)
    if se == 0:
        t_value = None
        flagged = n >= min_tickets and mean != 0
    else:
        t_value = (mean / se).quantize(FOUR, rounding=ROUND_HALF_UP)
        flagged = n >= min_tickets and abs(t_value) > critical
    return Bias(
        n,
        mean.quantize(BARRELS, rounding=ROUND_HALF_UP),
        se.quantize(FOUR, rounding=ROUND_HALF_UP),
        t_value,
        critical,
        flagged,
    )
