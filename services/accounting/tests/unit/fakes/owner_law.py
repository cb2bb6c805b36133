"""In-memory twins of the owner-payment-law repositories. The clock's inputs (finalized runs' lines joined to
their settlements, payments made) are SQL questions left to the integration tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from .base import Fake, Row


class InMemoryLateInterestRates(Fake):
    store_name = "late_interest_rates"
    unique = ("effective",)
    published_rows: tuple[Row, ...] = ()

    async def published(self) -> list[Row]:
        return [dict(r) for r in self.published_rows]

    async def entered(self) -> list[Row]:
        return sorted(self.rows(), key=lambda r: r["effective"])

    async def add(self, row: Row, request: Mapping[str, Any]) -> tuple[Row, bool]:
        return await self.create_once(row, request, "rate")


class InMemoryLatePayments(Fake):
    store_name = "late_payment_notices"

    async def owner_lines(self, *, partner_id: UUID | None, lease_id: UUID | None) -> list[Row]:
        raise NotImplementedError("finalized runs' lines with their settlements: integration tests")

    async def first_sale_months(self) -> dict[UUID, date]:
        raise NotImplementedError("integration tests")

    async def payments_made(self, *, partner_id: UUID | None, lease_id: UUID | None) -> list[Row]:
        raise NotImplementedError("integration tests")

    async def claim_notice(self, values: Row) -> bool:
        key = (values["partner_id"], values["lease_id"], values["sale_month"], values["product"], self.organization_id)
        if self.get_row(key) is not None:
            return False
        self.keep(key, values)
        return True

    async def remember_tenant(self, tenant_id: UUID, now: datetime) -> None:
        tenants = self.uow.database.stores.setdefault("owner_law_tenants", {})
        tenants.setdefault(tenant_id, {"tenant_id": tenant_id, "first_seen_at": now})

    async def tenant_ids(self) -> list[UUID]:
        return list(self.uow.database.stores.get("owner_law_tenants", {}))
