"""One line of a daily-readings CSV import, parsed and checked on its own: fully valid or rejected, never half.

Columns (header names are case-insensitive, surrounding blanks ignored): ``api_number`` (dashed or plain, 10,
12 or 14 digits, or the RRC's 8 with Texas implied), ``date`` (``YYYY-MM-DD`` or ``MM/DD/YYYY``), ``oil_bbl``,
``gas_mcf``, ``water_bbl``, ``hours_on``; optional ``downtime_reason``, ``tubing_pressure_psi``,
``casing_pressure_psi``, ``comments``. A blank volume or hours is an error (write 0 for a day without
production: a blank could be a day nobody gauged). Readings dated after ``today`` are errors.
Plausibility-limit and downtime-reason findings do not reject a line; they come back as ``ParsedRow.warnings``
for the import to report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from wellflow_texas.api_number import TEXAS_STATE_CODE, ApiNumberError, parse_api_number

from .errors import ReadingError
from .readings import Issue, PlausibilityLimits, check_reading, parse_decimal

REQUIRED_COLUMNS: tuple[str, ...] = ("api_number", "date", "oil_bbl", "gas_mcf", "water_bbl", "hours_on")
OPTIONAL_COLUMNS: tuple[str, ...] = ("downtime_reason", "tubing_pressure_psi", "casing_pressure_psi", "comments")
ALL_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
_REQUIRED_NUMBERS = ("oil_bbl", "gas_mcf", "water_bbl", "hours_on")
_OPTIONAL_NUMBERS = ("tubing_pressure_psi", "casing_pressure_psi")
MAX_COMMENT_CHARS = 2000
MAX_REASON_CHARS = 64
EARLIEST_DAY = date(1900, 1, 1)

_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class HeaderCheck:
    """What is wrong with a CSV header; ``ok`` when nothing."""

    missing: tuple[str, ...]
    unknown: tuple[str, ...]
    duplicated: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unknown or self.duplicated)

    @property
    def message(self) -> str:
        parts = []
        if self.missing:
            parts.append(f"missing columns: {', '.join(self.missing)}")
        if self.unknown:
            parts.append(f"unknown columns: {', '.join(self.unknown)} (allowed: {', '.join(ALL_COLUMNS)})")
        if self.duplicated:
            parts.append(f"columns given twice: {', '.join(self.duplicated)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class ParsedRow:
    """A valid line: the well's 14-digit API number, the day, the values, and warnings to report."""

    line: int
    api_number: str
    day: date
    oil_bbl: Decimal
    gas_mcf: Decimal
    water_bbl: Decimal
    hours_on: Decimal
    downtime_reason: str | None = None
    tubing_pressure_psi: Decimal | None = None
    casing_pressure_psi: Decimal | None = None
    comments: str | None = None
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class RowError:
    """A rejected line: the first problem's field and a message naming every problem found."""

    line: int
    field: str
    message: str


def normalize_column(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def check_header(header: Sequence[str]) -> HeaderCheck:
    names = [normalize_column(name) for name in header]
    seen: set[str] = set()
    duplicated = []
    for name in names:
        if name in seen and name not in duplicated:
            duplicated.append(name)
        seen.add(name)
    return HeaderCheck(
        missing=tuple(column for column in REQUIRED_COLUMNS if column not in seen),
        unknown=tuple(name for name in dict.fromkeys(names) if name not in ALL_COLUMNS),
        duplicated=tuple(duplicated),
    )


def normalize_api_number(value: str) -> str:
    """Dashed or plain, 10/12/14 digits (or the RRC's 8: county + unique number, Texas implied) -> 14 digits, by
    the one parser every service uses (``wellflow_texas.api_number``)."""
    try:
        return parse_api_number(value, implied_state=TEXAS_STATE_CODE)
    except ApiNumberError as exc:
        raise ReadingError(exc.message, field="api_number") from None


def parse_day(raw: str, today: date) -> date:
    """``YYYY-MM-DD`` or ``MM/DD/YYYY``; not after ``today`` nor before 1900."""
    text = (raw or "").strip()
    try:
        if _ISO_DATE.fullmatch(text):
            day = date.fromisoformat(text)
        elif match := _US_DATE.fullmatch(text):
            month, day_of_month, year = (int(part) for part in match.groups())
            day = date(year, month, day_of_month)
        else:
            raise ReadingError(f"date {raw!r}: write YYYY-MM-DD or MM/DD/YYYY", field="date")
    except ValueError as exc:
        if isinstance(exc, ReadingError):
            raise
        raise ReadingError(f"date {raw!r} is not a calendar day", field="date") from exc
    if day > today:
        raise ReadingError(f"date {day.isoformat()} is in the future", field="date")
    if day < EARLIEST_DAY:
        raise ReadingError(f"date {day.isoformat()} is before 1900", field="date")
    return day


def _text(row: Mapping[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return value or None


def _numbers(cells: Mapping[str, str], problems: list[tuple[str, str]]) -> dict[str, Decimal | None]:
    """The line's volumes, hours and pressures; each fault is added to ``problems``."""
    numbers: dict[str, Decimal | None] = {}
    for column in _REQUIRED_NUMBERS:
        raw = cells.get(column) or ""
        if not raw.strip():
            problems.append((column, f"{column} is empty: write 0 for a day without it"))
            continue
        try:
            numbers[column] = parse_decimal(raw, column)
        except ReadingError as exc:
            problems.append((column, exc.message))
    for column in _OPTIONAL_NUMBERS:
        raw = cells.get(column) or ""
        if raw.strip():
            try:
                numbers[column] = parse_decimal(raw, column)
            except ReadingError as exc:
                problems.append((column, exc.message))
    return numbers


def parse_row(
    line_no: int, row: Mapping[str, str], limits: PlausibilityLimits, *, today: date | None = None
) -> ParsedRow | RowError:
    """Parse one line (a mapping of column to raw text, as csv.DictReader gives it).

    ``today`` (default: today in UTC) is the last day a reading may be dated.
    """
    today = today or datetime.now(UTC).date()
    cells = {normalize_column(key): value for key, value in row.items() if key is not None}
    problems: list[tuple[str, str]] = []
    api_number = day = None
    try:
        api_number = normalize_api_number(cells.get("api_number") or "")
    except ReadingError as exc:
        problems.append(("api_number", exc.message))
    try:
        day = parse_day(cells.get("date") or "", today)
    except ReadingError as exc:
        problems.append(("date", exc.message))
    numbers = _numbers(cells, problems)
    reason = _text(cells, "downtime_reason")
    if reason is not None:
        reason = reason.lower()
        if len(reason) > MAX_REASON_CHARS:
            problems.append(("downtime_reason", f"downtime_reason is longer than {MAX_REASON_CHARS} characters"))
    comments = _text(cells, "comments")
    if comments is not None and len(comments) > MAX_COMMENT_CHARS:
        problems.append(("comments", f"comments are longer than {MAX_COMMENT_CHARS} characters"))

    errors, warnings = check_reading({**numbers, "downtime_reason": reason}, limits)
    problems.extend((issue.field, issue.message) for issue in errors)
    if problems:
        return RowError(line=line_no, field=problems[0][0], message="; ".join(message for _, message in problems))
    assert api_number is not None and day is not None
    return ParsedRow(
        line=line_no,
        api_number=api_number,
        day=day,
        oil_bbl=numbers["oil_bbl"],  # type: ignore[arg-type]
        gas_mcf=numbers["gas_mcf"],  # type: ignore[arg-type]
        water_bbl=numbers["water_bbl"],  # type: ignore[arg-type]
        hours_on=numbers["hours_on"],  # type: ignore[arg-type]
        downtime_reason=reason,
        tubing_pressure_psi=numbers.get("tubing_pressure_psi"),
        casing_pressure_psi=numbers.get("casing_pressure_psi"),
        comments=comments,
        warnings=tuple(warnings),
    )
