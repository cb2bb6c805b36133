"""Suspense entries: moved only by finalized runs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select

from wellflow_servicekit.repository import Row

from ..tables import suspense_entries
from .base import AccountingRepository


class SqlSuspense(AccountingRepository):
    async def balances(self) -> list[Row]:
        """Each (partner, lease, reason) with its balance."""
        return await self.rows(
            select(
                suspense_entries.c.partner_id,
                suspense_entries.c.lease_id,
                suspense_entries.c.reason,
                func.sum(suspense_entries.c.amount).label("balance"),
            ).group_by(suspense_entries.c.partner_id, suspense_entries.c.lease_id, suspense_entries.c.reason)
        )

    async def add(self, entries: list[dict[str, Any]]) -> None:
        if entries:
            await self.execute(insert(suspense_entries), entries)

    async def page_of_balances(
        self, *, partner_id: UUID | None, reason: str | None, lease_id: UUID | None, limit: int, offset: int
    ) -> dict[str, Any]:
        query = select(
            suspense_entries.c.partner_id,
            suspense_entries.c.reason,
            suspense_entries.c.lease_id,
            func.sum(suspense_entries.c.amount).label("balance"),
            func.min(suspense_entries.c.month).label("since"),
            func.count().over().label("_total"),
        )
        if partner_id is not None:
            query = query.where(suspense_entries.c.partner_id == partner_id)
        if reason is not None:
            query = query.where(suspense_entries.c.reason == reason)
        if lease_id is not None:
            query = query.where(suspense_entries.c.lease_id == lease_id)
        query = (
            query.group_by(suspense_entries.c.partner_id, suspense_entries.c.reason, suspense_entries.c.lease_id)
            .having(func.sum(suspense_entries.c.amount) != 0)
            .order_by(suspense_entries.c.partner_id, suspense_entries.c.reason, suspense_entries.c.lease_id)
        )
        return await self.page_of(query, limit, offset)
