"""Tank strapping tables: a gauge (feet, inches, quarter-inches) to barrels, by linear interpolation.

A table is a list of (level in inches, barrels) rows, strictly increasing in level and non-decreasing in
barrels, starting at level 0. A gauge between two rows gets the straight-line volume between them, rounded
half up to 0.01 bbl; a gauge above the last row is refused (the tank is not that tall).

Every value is a finite Decimal within what a lease tank can be: levels up to ``MAX_LEVEL_INCHES`` (100 ft;
field stock tanks stand 8 to 30 ft, the tallest shop-built ones about 50), barrels up to ``MAX_BARRELS``, and
at most ``MAX_PLACES`` decimal places (a 1/16 inch is 0.0625). Without these bounds ``1e999999`` inches or a
60-digit fraction were stored, published to production and carried into its arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from .errors import InvalidGauge

QUANT = Decimal("0.01")
MAX_LEVEL_INCHES = Decimal(1200)
MAX_BARRELS = Decimal(1_000_000)
MAX_PLACES = 4


@dataclass(frozen=True, slots=True)
class Gauge:
    feet: int
    inches: int
    quarters: int = 0

    def __post_init__(self) -> None:
        if self.feet < 0:
            raise InvalidGauge("feet must not be negative", field="feet")
        if not 0 <= self.inches <= 11:
            raise InvalidGauge("inches must be 0 to 11", field="inches")
        if not 0 <= self.quarters <= 3:
            raise InvalidGauge("quarter-inches must be 0 to 3", field="quarters")

    @property
    def total_inches(self) -> Decimal:
        return Decimal(self.feet * 12 + self.inches) + Decimal(self.quarters) / 4


def _number(value: Decimal | int | str, top: Decimal, what: str) -> Decimal:
    """A strapping value as a bounded Decimal, or `InvalidGauge` (never an arithmetic error later)."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError:
        raise InvalidGauge(f"strapping {what} must be numbers", field="strapping") from None
    if not number.is_finite() or not 0 <= number <= top:
        raise InvalidGauge(f"strapping {what} must be from 0 to {top}", field="strapping")
    exponent = number.normalize().as_tuple().exponent  # 18.10000 has one place, 0E-9 none
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise InvalidGauge(f"strapping {what} have at most {MAX_PLACES} decimal places", field="strapping")
    return Decimal(0) if number.is_zero() else number  # -0 and 0E-9 are plain 0


@dataclass(frozen=True, slots=True)
class StrappingTable:
    rows: tuple[tuple[Decimal, Decimal], ...]

    @classmethod
    def of(cls, rows: Iterable[tuple[Decimal | int | str, Decimal | int | str]]) -> StrappingTable:
        table = tuple(
            (_number(level, MAX_LEVEL_INCHES, "levels"), _number(bbl, MAX_BARRELS, "volumes")) for level, bbl in rows
        )
        if len(table) < 2:
            raise InvalidGauge("a strapping table needs at least two rows", field="strapping")
        if table[0][0] != 0:
            raise InvalidGauge("a strapping table starts at level 0", field="strapping")
        for (level_a, bbl_a), (level_b, bbl_b) in pairwise(table):
            if level_b <= level_a:
                raise InvalidGauge("strapping levels must increase row by row", field="strapping")
            if bbl_b < bbl_a or bbl_a < 0:
                raise InvalidGauge("strapping volumes must not decrease or be negative", field="strapping")
        return cls(table)

    @property
    def height_inches(self) -> Decimal:
        return self.rows[-1][0]

    def barrels(self, gauge: Gauge) -> Decimal:
        level = gauge.total_inches
        if level > self.height_inches:
            raise InvalidGauge(
                f"gauge {level} in is above the top of the strapping table ({self.height_inches} in)", field="feet"
            )
        for (level_a, bbl_a), (level_b, bbl_b) in pairwise(self.rows):
            if level_a <= level <= level_b:
                # multiply before dividing so exact cases (a quarter inch of 18 bbl/ft) stay exact
                volume = bbl_a + (bbl_b - bbl_a) * (level - level_a) / (level_b - level_a)
                return volume.quantize(QUANT, rounding=ROUND_HALF_UP)
        raise AssertionError("unreachable: the level lies within the table")  # pragma: no cover
