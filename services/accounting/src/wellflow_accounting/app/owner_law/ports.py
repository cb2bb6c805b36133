"""The repositories the owner-payment-law use cases need (``adapters/repositories/owner_law.py`` and
``escheat.py`` implement them with SQL). Rows are plain dicts without ``organization_id``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

Row = dict[str, Any]


class LateInterestRates(Protocol):
    """The New York Fed rate history: the published one every organization shares and the organization's own."""

    async def published(self) -> list[Row]: ...
    async def entered(self) -> list[Row]: ...
    async def add(self, row: Row, request: Mapping[str, Any]) -> tuple[Row, bool]: ...


class LatePayments(Protocol):
    async def owner_lines(self, *, partner_id: UUID | None, lease_id: UUID | None) -> list[Row]:
        """Finalized runs' owner lines summed per (partner_id, lease_id, month, product, how), ``how`` being
        payable, withheld or accumulating; ``net``."""

    async def first_sale_months(self) -> dict[UUID, date]: ...

    async def payments_made(self, *, partner_id: UUID | None, lease_id: UUID | None) -> list[Row]:
        """Revenue paid by sent payments per (partner_id, lease_id, sale_month, product, paid_on): ``amount``."""

    async def claim_notice(self, values: Row) -> bool:
        """True when this transaction is the one that announces the late item."""

    async def remember_tenant(self, tenant_id: UUID, now: datetime) -> None: ...
    async def tenant_ids(self) -> list[UUID]: ...


class InformationRequests(Protocol):
    async def add(self, row: Row, request: Mapping[str, Any]) -> tuple[Row, bool]: ...
    async def get(self, request_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def answer(self, request_id: UUID, values: Row) -> Row: ...
    async def page_of_requests(
        self, *, partner_id: UUID | None, open_only: bool, overdue_on: date | None, limit: int, offset: int
    ) -> dict[str, Any]: ...
    async def owner_months(self, partner_id: UUID, lease_id: UUID | None, start: date, end: date) -> list[Row]:
        """The owner's lines of finalized runs for sales months ``start``..``end``, with their sale's volume,
        price and value."""


class Escheat(Protocol):
    async def unclaimed(self) -> list[Row]:
        """Per owner: the suspense balance, the month of its oldest unreleased entry, and the last month the
        owner was paid (``last_paid``)."""

    async def add_letter(self, row: Row) -> bool: ...
    async def letters(self, report_year: int | None) -> list[Row]: ...
    async def mark_claimed(self, letter_id: UUID, on: date) -> Row | None: ...
    async def report_for(self, report_year: int) -> Row | None: ...
    async def add_report(self, row: Row, releases: list[Row]) -> None: ...
    async def reports(self) -> list[Row]: ...
    async def suspense_by_lease(self, partner_id: UUID) -> dict[tuple[UUID | None, str], Decimal]: ...
