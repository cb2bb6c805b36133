"""API well numbers: 14 digits = state (2) + county (3) + unique well (5) + sidetrack (2) + event (2).

10- and 12-digit forms are the same number without the trailing parts (we pad them with ``00``). Validation is
structural only (no check digit exists): digits, length, known state code, and for Texas (42) an odd county
code from 001 to 507.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidApiNumber
from .rules import API_STATE_CODES, TEXAS_COUNTY_MAX, TEXAS_COUNTY_MIN, TEXAS_STATE_CODE

_SEPARATORS = re.compile(r"[\s\-]")


@dataclass(frozen=True, slots=True)
class ApiNumber:
    digits: str  # always 14

    @classmethod
    def parse(cls, value: str) -> ApiNumber:
        text = _SEPARATORS.sub("", value or "")
        if not text:
            raise InvalidApiNumber("API number is empty", field="api_number")
        if not text.isdigit():
            raise InvalidApiNumber(f"API number {value!r} may hold only digits and dashes", field="api_number")
        if len(text) not in (10, 12, 14):
            raise InvalidApiNumber(
                f"API number {value!r} has {len(text)} digits; it must have 10, 12 or 14", field="api_number"
            )
        text = text.ljust(14, "0")
        state, county = text[:2], text[2:5]
        if state not in API_STATE_CODES:
            raise InvalidApiNumber(f"API number {value!r}: unknown state code {state}", field="api_number")
        if state == TEXAS_STATE_CODE:
            number = int(county)
            if not TEXAS_COUNTY_MIN <= number <= TEXAS_COUNTY_MAX:
                raise InvalidApiNumber(
                    f"API number {value!r}: Texas county code {county} is out of range (001 to 507)",
                    field="api_number",
                )
            if number % 2 == 0:
                raise InvalidApiNumber(
                    f"API number {value!r}: Texas county code {county} is even; Texas county codes are odd",
                    field="api_number",
                )
        return cls(text)

    @property
    def state(self) -> str:
        return self.digits[:2]

    @property
    def county(self) -> str:
        return self.digits[2:5]

    @property
    def dashed(self) -> str:
        d = self.digits
        return f"{d[:2]}-{d[2:5]}-{d[5:10]}-{d[10:12]}-{d[12:14]}"

    def __str__(self) -> str:
        return self.dashed
