"""API well numbers: 14 digits = state (2) + county (3) + unique well (5) + sidetrack (2) + event (2).

Parsing and every structural rule live in ``wellflow_texas.api_number`` (one parser for all services: ASCII
digits, dashes only at the part boundaries, D12A state codes, Texas county codes, the RRC's 8-digit form when
the state is known); this value object keeps the normalized digits and displays them dashed.
"""

from __future__ import annotations

from dataclasses import dataclass

from wellflow_texas.api_number import ApiNumberError, parse_api_number

from .errors import InvalidApiNumber


@dataclass(frozen=True, slots=True)
class ApiNumber:
    digits: str  # always 14

    @classmethod
    def parse(cls, value: str, *, implied_state: str | None = None) -> ApiNumber:
        """``implied_state`` (imports of Texas wells) also accepts the RRC's 8 digits (county + unique)."""
        try:
            return cls(parse_api_number(value, implied_state=implied_state))
        except ApiNumberError as exc:
            raise InvalidApiNumber(exc.message, field=exc.field) from None

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
