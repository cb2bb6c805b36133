"""The rules a daily reading's values follow, written once: the HTTP schemas build their limits from
``FIELDS``, ``readings.check_reading`` applies the cross-field rules, ``well_jumps`` compares a day with the
well's own recent days, and ``GET /api/v1/readings/rules`` serves all of it (with the organization's limits)
so the console checks a reading on the phone, offline too, exactly as the API will.

A reading whose volume jumps far above what the well made lately is most often a slipped digit (12.5 typed for
2.5); it is asked about (the client confirms), never refused, because a well does come back strong after a
workover. The reference is the mean of the well's days on production over the trailing window before the
reading's day; a well with too few such days is not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

VOLUME_FIELDS: tuple[str, ...] = ("oil_bbl", "gas_mcf", "water_bbl")


@dataclass(frozen=True)
class FieldRule:
    """A numeric field's bounds (inclusive) and its decimal places; ``required`` on a new reading."""

    minimum: Decimal
    maximum: Decimal
    decimals: int
    required: bool


VOLUME_MAX = Decimal("99999999999.999")  # numeric(15,3): 12 digits and 3 decimals
FIELDS: dict[str, FieldRule] = {
    "oil_bbl": FieldRule(Decimal(0), VOLUME_MAX, 3, True),
    "gas_mcf": FieldRule(Decimal(0), VOLUME_MAX, 3, True),
    "water_bbl": FieldRule(Decimal(0), VOLUME_MAX, 3, True),
    "hours_on": FieldRule(Decimal(0), Decimal(24), 2, True),
    "tubing_pressure_psi": FieldRule(Decimal(0), Decimal(30000), 2, False),
    "casing_pressure_psi": FieldRule(Decimal(0), Decimal(30000), 2, False),
    "line_pressure_psi": FieldRule(Decimal(0), Decimal(30000), 2, False),
    "choke_size_64ths": FieldRule(Decimal(0), Decimal(256), 2, False),
}
MAX_COMMENT_CHARS = 2000
MAX_CODE_CHARS = 40
CORRECTION_REASON_CHARS = (3, 1000)

# A volume above JUMP_FACTOR times the well's recent mean, and at least MIN_JUMP above it, is asked about.
JUMP_FACTOR = Decimal(3)
MIN_JUMP: dict[str, Decimal] = {"oil_bbl": Decimal(5), "gas_mcf": Decimal(50), "water_bbl": Decimal(10)}
MIN_HISTORY_DAYS = 5  # fewer days on production in the window: no mean worth comparing with
# The days a pumper may pick on the phone: today back to a week ago (a missed day is entered late; older
# days are the office's, from the lease-month grid). The API itself takes any day that has happened.
FIELD_DAYS_BACK = 7


@dataclass(frozen=True)
class RecentDays:
    """The well's mean daily volumes over its days on production in the trailing window, and how many."""

    days: int
    oil_bbl: Decimal | None = None
    gas_mcf: Decimal | None = None
    water_bbl: Decimal | None = None

    def mean(self, field: str) -> Decimal | None:
        value: Decimal | None = getattr(self, field)
        return value


def well_jumps(values: Mapping[str, Any], recent: RecentDays | None) -> list[tuple[str, str]]:
    """(field, message) for each volume far above the well's recent mean (see the module's docstring)."""
    if recent is None or recent.days < MIN_HISTORY_DAYS:
        return []
    found = []
    for field in VOLUME_FIELDS:
        value, mean = values.get(field), recent.mean(field)
        if not isinstance(value, Decimal) or mean is None:
            continue
        if value > mean * JUMP_FACTOR and value - mean >= MIN_JUMP[field]:
            times = (value / mean).quantize(Decimal(1)) if mean > 0 else None
            said = f"{times} times" if times is not None else "far above"
            found.append(
                (field, f"{field} {value} is {said} the well's recent average of {mean.quantize(Decimal('0.1'))}")
            )
    return found


def field_days(today: date) -> tuple[date, date]:
    """(earliest, latest) production day the phone offers."""
    return today - timedelta(days=FIELD_DAYS_BACK), today


def describe(limits: Mapping[str, Decimal], trailing_days: int, today: date) -> dict[str, Any]:
    """The rules as data (``GET /api/v1/readings/rules``): what the console needs to check like the API."""
    earliest, latest = field_days(today)
    return {
        "fields": {
            name: {
                "min": rule.minimum,
                "max": rule.maximum,
                "decimals": rule.decimals,
                "required": rule.required,
            }
            for name, rule in FIELDS.items()
        },
        "comments_max_length": MAX_COMMENT_CHARS,
        "hours_per_day": Decimal(24),
        "downtime_reason_required_below_hours": Decimal(24),
        "no_volume_without_hours": True,
        "plausibility": {
            "organization_limits": dict(limits),
            "well_jump_factor": JUMP_FACTOR,
            "well_min_jump": dict(MIN_JUMP),
            "well_min_history_days": MIN_HISTORY_DAYS,
            "trailing_days": trailing_days,
        },
        "production_date": {"latest": latest, "earliest_on_phone": earliest, "future": False},
        "correction_reason_length": {"min": CORRECTION_REASON_CHARS[0], "max": CORRECTION_REASON_CHARS[1]},
    }
