"""Alert rules: pure functions that say which alerts a day's data calls for; storing and raising is the app's.

Each rule returns ``AlertCandidate`` values (or None) with a message a manager understands, e.g.
"Ranch A 1H: 42.10 bbl on 2026-03-04, 31% below its forecast of 61.00". ``details`` holds the figures as
strings (Decimal text), ready for an event or a JSON answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

MISSING_READING = "missing_reading"
ZERO_HOURS = "zero_hours"
BELOW_EXPECTATION = "below_expectation"
TANK_HIGH = "tank_high"
NEGATIVE_STOCK = "negative_stock"
TANK_BALANCE_GAP = "tank_balance_gap"
TANK_GAUGE_STALE = "tank_gauge_stale"
ALERT_KINDS: tuple[str, ...] = (
    MISSING_READING,
    ZERO_HOURS,
    BELOW_EXPECTATION,
    TANK_HIGH,
    NEGATIVE_STOCK,
    TANK_BALANCE_GAP,
    TANK_GAUGE_STALE,
)

_TWO_PLACES = Decimal("0.01")
_WHOLE = Decimal(1)


@dataclass(frozen=True)
class AlertCandidate:
    """An alert a rule calls for; the ids say what it is about (a well, a tank, a lease)."""

    kind: str
    day: date
    message: str
    well_id: UUID | None = None
    tank_id: UUID | None = None
    lease_id: UUID | None = None
    details: Mapping[str, str] = field(default_factory=dict)


def _two_places(value: Decimal) -> str:
    return str(value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))


def _label(name: str | None, kind: str, subject_id: UUID) -> str:
    return name or f"{kind} {subject_id}"


def missing_or_zero(
    day: date,
    producing_well_ids: Sequence[UUID],
    readings_by_well: Mapping[UUID, Decimal],
    *,
    names: Mapping[UUID, str] | None = None,
) -> list[AlertCandidate]:
    """For each producing well: no reading for ``day`` -> missing_reading; hours on 0 -> zero_hours."""
    names = names or {}
    found: list[AlertCandidate] = []
    for well_id in producing_well_ids:
        label = _label(names.get(well_id), "well", well_id)
        if well_id not in readings_by_well:
            found.append(
                AlertCandidate(MISSING_READING, day, f"{label}: no reading for {day.isoformat()}", well_id=well_id)
            )
        elif readings_by_well[well_id] == 0:
            found.append(
                AlertCandidate(
                    ZERO_HOURS,
                    day,
                    f"{label}: producing well was on 0 hours on {day.isoformat()}",
                    well_id=well_id,
                    details={"hours_on": "0"},
                )
            )
    return found


def below_expectation(
    well_id: UUID,
    day: date,
    actual: Decimal,
    expected: Decimal,
    threshold_percent: Decimal,
    *,
    name: str | None = None,
    unit: str = "bbl",
    basis: str = "forecast",
) -> AlertCandidate | None:
    """below_expectation when actual < expected x (1 - threshold/100) and expected > 0.

    ``basis`` names the expectation in the message: "forecast" (the decline fit) or "trailing average".
    """
    if not 0 <= threshold_percent <= 100:
        raise ValueError("the below-expectation threshold is a percent from 0 to 100")
    if expected <= 0 or actual >= expected * (1 - threshold_percent / 100):
        return None
    shortfall = ((expected - actual) / expected * 100).quantize(_WHOLE, rounding=ROUND_HALF_UP)
    label = _label(name, "well", well_id)
    return AlertCandidate(
        BELOW_EXPECTATION,
        day,
        f"{label}: {_two_places(actual)} {unit} on {day.isoformat()}, {shortfall}% below its {basis} "
        f"of {_two_places(expected)}",
        well_id=well_id,
        details={
            "actual": str(actual),
            "expected": _two_places(expected),
            "shortfall_percent": str(shortfall),
            "threshold_percent": str(threshold_percent),
            "basis": basis,
            "unit": unit,
        },
    )


def trailing_average(values: Sequence[Decimal | None], days: int = 30) -> Decimal | None:
    """Mean of the producing days (value > 0) among the last ``days`` values, to 0.01; None if there are none.

    ``values`` are daily volumes, oldest first. Down days are left out so downtime does not lower the bar.
    """
    if days <= 0:
        raise ValueError("the trailing window must be at least one day")
    window = [value for value in values[-days:] if value is not None and value > 0]
    if not window:
        return None
    return (sum(window, Decimal(0)) / len(window)).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def tank_high(
    tank_id: UUID,
    day: date,
    level_bbl: Decimal,
    capacity_bbl: Decimal,
    share: Decimal,
    *,
    name: str | None = None,
) -> AlertCandidate | None:
    """tank_high when the gauged volume is at or above ``share`` (0 to 1, e.g. 0.90) of capacity."""
    if capacity_bbl <= 0:
        raise ValueError("tank capacity must be positive")
    if not 0 < share <= 1:
        raise ValueError("the tank-high share is a fraction above 0 and at most 1")
    if level_bbl < capacity_bbl * share:
        return None
    full = (level_bbl / capacity_bbl * 100).quantize(_WHOLE, rounding=ROUND_HALF_UP)
    label = _label(name, "tank", tank_id)
    return AlertCandidate(
        TANK_HIGH,
        day,
        f"{label}: {_two_places(level_bbl)} bbl of {_two_places(capacity_bbl)} on {day.isoformat()} "
        f"({full}% full): call for a haul",
        tank_id=tank_id,
        details={
            "level_bbl": str(level_bbl),
            "capacity_bbl": str(capacity_bbl),
            "share": str(share),
            "percent_full": str(full),
        },
    )


def negative_stock(
    subject_id: UUID,
    day: date,
    beginning: Decimal,
    production: Decimal,
    disposed: Decimal,
    *,
    subject: str = "lease",
    name: str | None = None,
) -> AlertCandidate | None:
    """negative_stock when beginning + production - disposed < 0 (``subject`` "lease" or "tank")."""
    if subject not in ("lease", "tank"):
        raise ValueError("negative stock is checked for a lease or a tank")
    ending = beginning + production - disposed
    if ending >= 0:
        return None
    label = _label(name, subject, subject_id)
    return AlertCandidate(
        NEGATIVE_STOCK,
        day,
        f"{label}: {_two_places(disposed)} bbl disposed but only {_two_places(beginning)} in stock and "
        f"{_two_places(production)} produced by {day.isoformat()} (stock would be {_two_places(ending)}): "
        "a reading, gauge or run ticket is wrong",
        lease_id=subject_id if subject == "lease" else None,
        tank_id=subject_id if subject == "tank" else None,
        details={
            "beginning_bbl": str(beginning),
            "production_bbl": str(production),
            "disposed_bbl": str(disposed),
            "ending_bbl": str(ending),
        },
    )


def tank_balance_gap(
    tank_id: UUID,
    day: date,
    gauged: Decimal,
    expected_low: Decimal,
    expected_high: Decimal,
    gap: Decimal,
    threshold: Decimal,
    *,
    name: str | None = None,
) -> AlertCandidate:
    """tank_balance_gap: the day's gauge is ``gap`` barrels from the tank's balance (``domain.tank_ledger``),
    more than ``threshold``; negative: less oil in the tank than the readings and tickets account for."""
    label = _label(name, "tank", tank_id)
    expected = (
        _two_places(expected_high)
        if expected_low == expected_high
        else f"{_two_places(expected_low)} to {_two_places(expected_high)}"
    )
    direction = "short" if gap < 0 else "over"
    return AlertCandidate(
        TANK_BALANCE_GAP,
        day,
        f"{label}: gauged {_two_places(gauged)} bbl on {day.isoformat()}, expected {expected}: "
        f"{_two_places(abs(gap))} bbl {direction} (threshold {_two_places(threshold)})",
        tank_id=tank_id,
        details={
            "gauged_bbl": str(gauged),
            "expected_low_bbl": str(expected_low),
            "expected_high_bbl": str(expected_high),
            "gap_bbl": str(gap),
            "threshold_bbl": str(threshold),
        },
    )


def tank_gauge_stale(
    tank_id: UUID, day: date, unchanged_days: int, window_days: int, *, name: str | None = None
) -> AlertCandidate:
    """tank_gauge_stale: a tank whose wells read oil has shown the same gauge for ``unchanged_days`` days."""
    label = _label(name, "tank", tank_id)
    return AlertCandidate(
        TANK_GAUGE_STALE,
        day,
        f"{label}: the gauge has not moved in {unchanged_days} days while its wells produced "
        f"(as of {day.isoformat()}): gauge the tank",
        tank_id=tank_id,
        details={"unchanged_days": str(unchanged_days), "window_days": str(window_days)},
    )
