"""Checks on one daily well reading: errors refuse it, warnings need the client's confirmation.

Errors: a negative volume, pressure, choke or hours on; hours on above 24; volumes reported on a day with
zero hours on; a choke outside 0 to 128 64ths of an inch; hours on below 24 without a downtime reason (the
alerts and the office need the cause; when the pumper does not know it yet, "other" with a comment says so).
Warnings: a volume above the organization's plausibility limit (a real flush day after a workover can be
that high, so the pumper may confirm it). The per-well comparison is ``reading_rules.well_jumps``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import ReadingError

VOLUME_FIELDS: tuple[str, ...] = ("oil_bbl", "gas_mcf", "water_bbl")
PRESSURE_FIELDS: tuple[str, ...] = ("tubing_pressure_psi", "casing_pressure_psi", "line_pressure_psi")
HOURS_FIELD = "hours_on"
CHOKE_FIELD = "choke_64ths"
DOWNTIME_REASON_FIELD = "downtime_reason"
NUMERIC_FIELDS: tuple[str, ...] = (*VOLUME_FIELDS, HOURS_FIELD, *PRESSURE_FIELDS, CHOKE_FIELD)

HOURS_PER_DAY = Decimal(24)
CHOKE_MAX_64THS = Decimal(128)  # a 2-inch choke; bigger is not a choke
MAX_DECIMAL_PLACES = 3  # volumes are measured to 0.01 bbl and mcf to 0.001 at best; more is a unit mix-up
MAX_INTEGER_DIGITS = 12

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class PlausibilityLimits:
    """Daily volumes above which a reading needs confirmation; set per organization."""

    oil_bbl: Decimal = Decimal(5000)
    gas_mcf: Decimal = Decimal(50000)
    water_bbl: Decimal = Decimal(20000)

    def limit(self, field: str) -> Decimal:
        value: Decimal = getattr(self, field)
        return value


@dataclass(frozen=True)
class Issue:
    """One finding about a reading: the field it concerns, a stable code, and a message for the pumper."""

    field: str
    code: str
    message: str


def parse_decimal(raw: str, field: str) -> Decimal:
    """A number as typed by a person or written in a CSV: plain decimal notation, at most 3 decimals.

    Refused: empty text, thousands separators, exponents (1e3), NaN and infinity, more than 3 decimals,
    more than 12 digits before the point. A sign is accepted so a negative value gets its own clear error
    from ``check_reading``.
    """
    text = (raw or "").strip()
    if not text:
        raise ReadingError(f"{field} is empty", field=field)
    if "," in text:
        raise ReadingError(f"{field} {raw!r}: write numbers without thousands separators", field=field)
    if not _NUMBER.fullmatch(text):
        raise ReadingError(f"{field} {raw!r} is not a decimal number", field=field)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid literals
        raise ReadingError(f"{field} {raw!r} is not a decimal number", field=field) from exc
    whole, _, fraction = text.lstrip("+-").partition(".")
    if len(fraction) > MAX_DECIMAL_PLACES:
        raise ReadingError(f"{field} {raw!r} has more than {MAX_DECIMAL_PLACES} decimal places", field=field)
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ReadingError(f"{field} {raw!r} is too large", field=field)
    return value


def _numbers(values: Mapping[str, Decimal | str | None], errors: list[Issue]) -> dict[str, Decimal]:
    """The numeric fields given, each checked to be a finite, non-negative Decimal (faults go to ``errors``)."""
    numbers: dict[str, Decimal] = {}
    for field in NUMERIC_FIELDS:
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite():
            errors.append(Issue(field, "not_a_number", f"{field} must be a decimal number"))
            continue
        numbers[field] = value
        if value < 0:
            errors.append(Issue(field, "negative", f"{field} must not be negative (got {value})"))
    return numbers


def check_reading(
    values: Mapping[str, Decimal | str | None], limits: PlausibilityLimits
) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) for one day's reading; missing or None fields are not checked.

    ``values`` holds the numeric fields (``NUMERIC_FIELDS``) as Decimal, and optionally ``downtime_reason``
    (a code; any non-blank text counts as given).
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    numbers = _numbers(values, errors)

    for field in VOLUME_FIELDS:
        value = numbers.get(field)
        if value is not None and value > limits.limit(field):
            warnings.append(
                Issue(
                    field,
                    "above_plausibility_limit",
                    f"{field} {value} is above the organization's limit of {limits.limit(field)} a day: confirm it",
                )
            )

    hours = numbers.get(HOURS_FIELD)
    if hours is not None and hours >= 0:
        if hours > HOURS_PER_DAY:
            errors.append(Issue(HOURS_FIELD, "hours_over_24", f"hours on cannot exceed 24 (got {hours})"))
        produced = [field for field in VOLUME_FIELDS if numbers.get(field, Decimal(0)) > 0]
        if hours == 0 and produced:
            errors.append(
                Issue(
                    HOURS_FIELD,
                    "volume_without_hours",
                    f"hours on is 0 but {', '.join(produced)} is reported: a well that was off produced nothing",
                )
            )
        reason = values.get(DOWNTIME_REASON_FIELD)
        if hours < HOURS_PER_DAY and not (isinstance(reason, str) and reason.strip()):
            errors.append(
                Issue(
                    DOWNTIME_REASON_FIELD,
                    "downtime_reason_missing",
                    f"the well was on {hours} of 24 hours: give a downtime reason (why it was down)",
                )
            )

    choke = numbers.get(CHOKE_FIELD)
    if choke is not None and choke > CHOKE_MAX_64THS:
        errors.append(
            Issue(CHOKE_FIELD, "choke_out_of_range", f"choke must be 0 to 128 64ths of an inch (got {choke})")
        )
    return errors, warnings
