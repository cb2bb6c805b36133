"""Allocation of battery-level measured volumes to the battery's wells.

When wells share a tank battery, the measured volume (gauges, run tickets, meters) is split in proportion to
each well's theoretical production: its latest well-test rate x the share of the day it was on
(``hours_on / 24``). A well that is not producing, or was on zero hours, or tests at zero, gets nothing.

The shares add up exactly to the measured volume rounded to ``places`` decimals: every share is first
rounded down to the last place, and the units left over go one each to the wells with the largest remainders
(ties broken by ascending well id, so the answer never depends on the order of the input:
``wellflow_texas.apportion.split_units``). The arithmetic is
exact (fractions), so no share is ever more than one unit of the last place away from its exact proportion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

from wellflow_texas.apportion import split_units

from .errors import AllocationError

HOURS_PER_DAY = Decimal(24)


@dataclass(frozen=True)
class AllocationWell:
    """One well of the battery: ``test_rate`` (bbl/d or mcf/d from its latest well test) and hours on that day."""

    well_id: UUID
    test_rate: Decimal
    hours_on: Decimal
    producing: bool


def _require_decimal(value: object, name: str) -> Decimal:
    if not isinstance(value, Decimal):
        raise AllocationError(f"{name} must be a Decimal, got {type(value).__name__}", field=name)
    if not value.is_finite():
        raise AllocationError(f"{name} must be a finite number, got {value}", field=name)
    return value


def allocation_weight(well: AllocationWell) -> Decimal:
    """The well's theoretical production for the day: test rate x hours on / 24 (zero when not producing)."""
    rate = _require_decimal(well.test_rate, "test_rate")
    hours = _require_decimal(well.hours_on, "hours_on")
    if rate < 0:
        raise AllocationError(f"well {well.well_id}: test rate {rate} is negative", field="test_rate")
    if not 0 <= hours <= HOURS_PER_DAY:
        raise AllocationError(f"well {well.well_id}: hours on {hours} must be between 0 and 24", field="hours_on")
    if not well.producing:
        return Decimal(0)
    return rate * hours / HOURS_PER_DAY


def allocate(measured: Decimal, wells: Sequence[AllocationWell], *, places: int = 2) -> dict[UUID, Decimal]:
    """Split ``measured`` among ``wells``; every well appears in the result, shut-in wells with 0.

    Raises AllocationError when measured is negative or not a Decimal, when a well appears twice, or when
    there is volume to allocate but no well has a producing weight (no well was on, or none has a test).
    """
    _require_decimal(measured, "measured")
    if measured < 0:
        raise AllocationError(f"measured volume {measured} is negative", field="measured")
    if places < 0:
        raise AllocationError("places must not be negative", field="places")
    seen: set[UUID] = set()
    for well in wells:
        if well.well_id in seen:
            raise AllocationError(f"well {well.well_id} appears twice in the allocation", field="wells")
        seen.add(well.well_id)
    weights = {well.well_id: Fraction(allocation_weight(well)) for well in wells}

    quantum = Decimal(1).scaleb(-places)
    target = measured.quantize(quantum, rounding=ROUND_HALF_UP)
    units = int(target.scaleb(places))
    zero = Decimal(0).quantize(quantum)
    result = dict.fromkeys(weights, zero)
    if units == 0:
        return result
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        raise AllocationError(
            f"measured volume {target} cannot be allocated: no well of the battery was producing "
            "with hours on and a positive well-test rate",
            field="wells",
        )
    ids = list(weights)
    shares = split_units(units, [weights[well_id] for well_id in ids], keys=ids)
    return {
        well_id: Decimal(count).scaleb(-places).quantize(quantum) for well_id, count in zip(ids, shares, strict=True)
    }
