"""Prices per product and month (entered, or from a purchaser's statement)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select, true
from sqlalchemy.dialects.postgresql import insert

from wellflow_servicekit.repository import Row

from ..tables import prices
from .base import AccountingRepository


class SqlPrices(AccountingRepository):
    async def put(self, row: dict[str, Any]) -> Row:
        """Insert, or replace the price of the same month, product and lease."""
        statement = insert(prices).values(row)
        keep = ("organization_id", "id", "month", "product", "lease_id")
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "month", "product", "lease_id"],
            set_={k: statement.excluded[k] for k in row if k not in keep},
        )
        return await self.returning(statement.returning(prices))

    async def put_many(self, rows: list[dict[str, Any]]) -> list[Row]:
        """``put`` for many rows (one statement per 1,000)."""
        stored: list[Row] = []
        keep = ("organization_id", "id", "month", "product", "lease_id")
        for start in range(0, len(rows), 1000):
            statement = insert(prices).values(rows[start : start + 1000])
            statement = statement.on_conflict_do_update(
                index_elements=["organization_id", "month", "product", "lease_id"],
                set_={k: statement.excluded[k] for k in rows[0] if k not in keep},
            )
            stored += await self.rows(statement.returning(prices))
        return stored

    async def for_month(self, month: date) -> list[Row]:
        return await self.rows(select(prices).where(prices.c.month == month))

    async def page_of_prices(
        self,
        *,
        month: date | None,
        product: str | None,
        lease_id: UUID | None,
        source: str | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        conditions = []
        if month is not None:
            conditions.append(prices.c.month == month)
        if product is not None:
            conditions.append(prices.c.product == product)
        if lease_id is not None:
            conditions.append(prices.c.lease_id == lease_id)
        if source is not None:
            conditions.append(prices.c.source == source)
        query = select(prices, func.count().over().label("_total")).where(and_(true(), *conditions))
        query = query.order_by(prices.c.month.desc(), prices.c.product, prices.c.lease_id.nulls_first(), prices.c.id)
        return await self.page_of(query, limit, offset)
