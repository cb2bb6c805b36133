"""The port of the 1099 use cases: what they read and keep (``adapters/repositories/tax.py`` implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

Row = dict[str, Any]


class TaxReporting(Protocol):
    async def filer_settings(self) -> Row | None: ...
    async def save_filer_settings(self, values: dict[str, Any]) -> Row: ...
    async def payment_lines_paid(self, year: int) -> list[Row]:
        """Per payment sent with a pay date in ``year``, and per kind of line and interest type: the payment's
        partner, pay date, net, netted, interest and backup withholding, and the lines' gross, tax and deductions."""

    async def filings(self, year: int | None = None) -> list[Row]: ...
    async def filing(self, filing_id: UUID) -> Row | None: ...
    async def filing_by_key(self, key: str) -> Row | None: ...
    async def add_filing(self, row: dict[str, Any], returns: Sequence[dict[str, Any]]) -> None: ...
    async def filed_returns(self, year: int) -> list[Row]:
        """The return in effect per partner and form: the last one sent in a file that was not a test."""

    async def lock_year(self, year: int) -> None: ...
