"""API well numbers: the one parser every WellFlow service validates them with.

Structure (API Bulletin D12A, "The API Well Number and Standard State and County Numeric Codes"): 14 digits =
state (2) + county (3) + unique well (5) + sidetrack (2) + event sequence (2); the 10- and 12-digit forms are
the same number without the trailing parts (stored here padded with ``00``). No check digit exists, so the
checks are structural: ASCII digits, length, a D12A state code and, for Texas (42), an odd county code from 001
(Anderson) to 507 (Zavala). The RRC also writes 8 digits, county + unique number with the state (42) implied, e.g.
in its public production data; that form is accepted only where the caller knows the state (an import for a
Texas operator), never on its own.

What is accepted, exactly (leading and trailing blanks are ignored; nothing else is):
- plain: 10, 12 or 14 ASCII digits 0-9 (``4250120130``, ``42501201300300``);
- dashed at the part boundaries, one ASCII hyphen each: ``42-501-20130``, ``42-501-20130-03``,
  ``42-501-20130-03-00``;
- with ``implied_state``: also 8 digits, plain ``50120130`` or dashed ``501-20130``.
Refused, each with its own message: other characters (letters, spaces or tabs inside, dots, slashes, other dash
characters), digits that are not ASCII 0-9 (Arabic-Indic U+0664, superscript U+00B2, full-width U+FF14),
dashes elsewhere than at the part boundaries, any other length, unknown state codes, impossible Texas counties.

Errors are ``ApiNumberError``: a ``ValueError`` (so a pydantic validator turns it into a 422 field error) with
``field``, ``code`` and ``message`` for the caller's structured error list.
"""

from __future__ import annotations

import re

# API Bulletin D12A state codes: 01-49 the states in alphabetical order (no Alaska/Hawaii), 50 Alaska,
# 51 Hawaii, 55 Alaska offshore, 56 Pacific coast offshore, 60 northern Gulf of Mexico (federal offshore),
# 61 Atlantic coast offshore. [B: D12A as reproduced by state agencies and public parsers]
D12A_STATE_CODES: frozenset[str] = frozenset({f"{n:02d}" for n in range(1, 52)} | {"55", "56", "60", "61"})
TEXAS_STATE_CODE = "42"
TEXAS_COUNTY_MIN = 1  # Anderson
TEXAS_COUNTY_MAX = 507  # Zavala; Texas county codes are the odd numbers 001..507

_ASCII_DIGITS = frozenset("0123456789")
_PLAIN = re.compile(r"[0-9]{8}|[0-9]{10}|[0-9]{12}|[0-9]{14}")
_DASHED_FULL = re.compile(r"([0-9]{2})-([0-9]{3})-([0-9]{5})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
_DASHED_RRC = re.compile(r"([0-9]{3})-([0-9]{5})")
EXAMPLE = "42-501-20130-03-00"


class ApiNumberError(ValueError):
    """A structurally wrong API number; ``code`` names the fault, ``message`` says it to a person."""

    def __init__(self, code: str, message: str, *, field: str = "api_number") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def as_error(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def parse_api_number(value: str | None, *, implied_state: str | None = None, field: str = "api_number") -> str:
    """The 14 normalized digits of ``value``, or ``ApiNumberError``.

    ``implied_state`` (e.g. ``"42"`` for an import of a Texas operator's wells) lets the RRC's 8-digit form
    (county + unique number) through; without it, 8 digits are refused with a message saying why.
    """
    text = (value or "").strip()
    if not text:
        raise ApiNumberError("empty", "API number is empty", field=field)
    _check_characters(value or "", text, field)
    digits = _digits_of(value or "", text, implied_state, field)
    if len(digits) == 8:
        if implied_state is None:
            raise ApiNumberError(
                "state-missing",
                f"API number {value!r} has 8 digits (the RRC's county + unique number); write the full number "
                f"with its state code, e.g. {EXAMPLE}",
                field=field,
            )
        digits = implied_state + digits
    digits = digits.ljust(14, "0")
    _check_state_and_county(value or "", digits, field)
    return digits


def _check_characters(value: str, text: str, field: str) -> None:
    for ch in text:
        if ch in _ASCII_DIGITS or ch == "-":
            continue
        if ch.isdigit() or ch.isdecimal() or ch.isnumeric():
            raise ApiNumberError(
                "non-ascii-digit",
                f"API number {value!r} holds {ch!r}, which is not one of the digits 0-9; type the number with "
                "plain digits",
                field=field,
            )
        if ch.isspace():
            raise ApiNumberError(
                "space-inside",
                f"API number {value!r} has a space inside; write it plain or with dashes, e.g. {EXAMPLE}",
                field=field,
            )
        raise ApiNumberError(
            "invalid-character",
            f"API number {value!r} may hold only the digits 0-9 and dashes (found {ch!r})",
            field=field,
        )


def _digits_of(value: str, text: str, implied_state: str | None, field: str) -> str:
    if "-" not in text:
        if _PLAIN.fullmatch(text) is None:
            raise ApiNumberError(
                "wrong-length",
                f"API number {value!r} has {len(text)} digits; it must have 10, 12 or 14"
                + (" (or 8: county + unique number)" if implied_state else ""),
                field=field,
            )
        return text
    match = _DASHED_FULL.fullmatch(text) or (_DASHED_RRC.fullmatch(text) if implied_state else None)
    if match is None:
        count = sum(1 for ch in text if ch in _ASCII_DIGITS)
        if count not in (10, 12, 14) and not (implied_state and count == 8):
            raise ApiNumberError(
                "wrong-length",
                f"API number {value!r} has {count} digits; it must have 10, 12 or 14",
                field=field,
            )
        raise ApiNumberError(
            "misplaced-dash",
            f"API number {value!r}: dashes go between the parts (state-county-unique-sidetrack-event), e.g. {EXAMPLE}",
            field=field,
        )
    return "".join(part for part in match.groups() if part)


def _check_state_and_county(value: str, digits: str, field: str) -> None:
    state, county = digits[:2], digits[2:5]
    if state not in D12A_STATE_CODES:
        raise ApiNumberError(
            "unknown-state",
            f"API number {value!r}: unknown state code {state} (API D12A: 01-51, 55, 56, 60, 61)",
            field=field,
        )
    if state != TEXAS_STATE_CODE:
        return
    number = int(county)
    if not TEXAS_COUNTY_MIN <= number <= TEXAS_COUNTY_MAX:
        raise ApiNumberError(
            "texas-county-range",
            f"API number {value!r}: Texas county code {county} is out of range (001 to 507)",
            field=field,
        )
    if number % 2 == 0:
        raise ApiNumberError(
            "texas-county-even",
            f"API number {value!r}: Texas county code {county} is even; Texas county codes are odd",
            field=field,
        )


def is_valid_api_number(value: str | None, *, implied_state: str | None = None) -> bool:
    try:
        parse_api_number(value, implied_state=implied_state)
    except ApiNumberError:
        return False
    return True


def dashed(digits: str) -> str:
    """``42501201300300`` -> ``42-501-20130-03-00`` (as people write it)."""
    parts = [digits[0:2], digits[2:5], digits[5:10], digits[10:12], digits[12:14]]
    return "-".join(part for part in parts if part)
