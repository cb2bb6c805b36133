"""Costs (vendor invoices, lease operating expense) and the actuals they add up to per AFE."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, select, true

from wellflow_servicekit.repository import Row

from ..tables import costs
from .base import AccountingRepository


class SqlCosts(AccountingRepository):
    async def add(
        self, row: dict[str, Any], request: Mapping[str, Any], *, prepare: Callable[[], Awaitable[None]]
    ) -> tuple[Row, bool]:
        return await self.create_once(costs, row, request=request, noun="cost", prepare=prepare)

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.execute(insert(costs), rows)

    async def unbilled_before(self, end: date) -> list[Row]:
        return await self.rows(
            select(costs).where(costs.c.jib_run_id.is_(None), costs.c.incurred_on < end).order_by(costs.c.id)
        )

    async def actuals(self, numbers: Iterable[str]) -> dict[str, dict[str, Decimal]]:
        """AFE number -> cost category -> the costs charged."""
        rows = await self.execute(
            select(costs.c.afe_number, costs.c.category, func.sum(costs.c.amount).label("amount"))
            .where(costs.c.afe_number.in_(list(numbers)))
            .group_by(costs.c.afe_number, costs.c.category)
        )
        result: dict[str, dict[str, Decimal]] = {}
        for r in rows:
            result.setdefault(r.afe_number, {})[r.category] = r.amount
        return result

    async def page_of_costs(
        self,
        *,
        lease_id: UUID | None,
        category: str | None,
        afe_number: str | None,
        billed: bool | None,
        date_from: date | None,
        date_to: date | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        conditions = []
        if lease_id is not None:
            conditions.append(costs.c.lease_id == lease_id)
        if category is not None:
            conditions.append(costs.c.category == category)
        if afe_number is not None:
            conditions.append(costs.c.afe_number == afe_number)
        if billed is not None:
            conditions.append(costs.c.jib_run_id.is_not(None) if billed else costs.c.jib_run_id.is_(None))
        if date_from is not None:
            conditions.append(costs.c.incurred_on >= date_from)
        if date_to is not None:
            conditions.append(costs.c.incurred_on <= date_to)
        query = select(costs, func.count().over().label("_total")).where(and_(true(), *conditions))
        return await self.page_of(query.order_by(costs.c.incurred_on, costs.c.id), limit, offset)
