"""Severance tax storage: prices entered per lease-month, relief grants, and the computed taxes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant
from wellflow_texas.reliefs import ReliefGrant

from ...domain.severance import ProductPrice
from ..tables import relief_grants, severance_prices, severance_taxes

Row = dict[str, Any]


class SqlPrices(Repository):
    async def of_lease_month(self, lease_id: UUID, month: date) -> dict[str, ProductPrice]:
        query = select(severance_prices).where(
            severance_prices.c.lease_id == lease_id, severance_prices.c.month == month
        )
        return {
            row["product"]: ProductPrice(row["price"], row["gross_value"], row["marketing_costs"] or Decimal("0"))
            for row in await self.all(query)
        }

    async def replace(self, lease_id: UUID, month: date, entries: Mapping[str, Row], *, by: str, at: datetime) -> None:
        await self.execute(
            severance_prices.delete().where(severance_prices.c.lease_id == lease_id, severance_prices.c.month == month)
        )
        for product, entered in entries.items():
            await self.execute(
                severance_prices.insert().values(
                    organization_id=self.organization_id,
                    lease_id=lease_id,
                    month=month,
                    product=product,
                    price=entered.get("price"),
                    gross_value=entered.get("gross_value"),
                    marketing_costs=entered.get("marketing_costs") or Decimal("0"),
                    entered_by=by,
                    entered_at=at,
                )
            )

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        query = select(severance_prices.c.month).where(severance_prices.c.lease_id == lease_id)
        if among is not None:
            query = query.where(severance_prices.c.month.in_(among))
        return list((await self.execute(query.distinct())).scalars())

    async def leases_priced(self, month: date) -> list[UUID]:
        query = select(severance_prices.c.lease_id).where(severance_prices.c.month == month).distinct()
        return list((await self.execute(query)).scalars())


class SqlReliefs(Repository):
    async def grants(self, lease_id: UUID) -> list[ReliefGrant]:
        query = select(relief_grants).where(relief_grants.c.lease_id == lease_id).order_by(relief_grants.c.created_at)
        return [
            ReliefGrant(
                row["code"],
                row["effective_from"],
                row["effective_to"],
                {k: Decimal(v) for k, v in (row["inputs"] or {}).items()},
            )
            for row in await self.all(query)
        ]

    async def add(self, values: Row) -> None:
        await self.execute(relief_grants.insert().values(organization_id=self.organization_id, **values))

    async def listed(self, lease_id: UUID | None) -> list[Row]:
        query = select(relief_grants).order_by(relief_grants.c.lease_id, relief_grants.c.created_at)
        if lease_id is not None:
            query = query.where(relief_grants.c.lease_id == lease_id)
        return await self.all(query)


class SqlTaxes(Repository):
    async def get(self, lease_id: UUID, month: date) -> Row | None:
        query = select(severance_taxes).where(severance_taxes.c.lease_id == lease_id, severance_taxes.c.month == month)
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def save(self, values: Row) -> None:
        statement = pg_insert(severance_taxes).values(organization_id=self.organization_id, **values)
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "lease_id", "month"],
                set_={
                    k: statement.excluded[k] for k in ("revision", "result", "result_hash", "total_tax", "computed_at")
                },
            )
        )

    async def find(self, *, month: date | None, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]:
        conditions = []
        if month is not None:
            conditions.append(severance_taxes.c.month == month)
        if lease_id is not None:
            conditions.append(severance_taxes.c.lease_id == lease_id)
        query = (
            select(severance_taxes)
            .where(*conditions)
            .order_by(severance_taxes.c.month.desc(), severance_taxes.c.lease_id)
            .limit(limit)
            .offset(offset)
        )
        rows = await self.all(query)
        total = await self.scalar(select(func.count()).select_from(severance_taxes).where(*conditions))
        return PageOf([without_tenant(row) for row in rows], int(total), limit, offset)

    async def results_of_months(self, months: set[date]) -> list[tuple[date, Row]]:
        query = select(severance_taxes.c.month, severance_taxes.c.result).where(severance_taxes.c.month.in_(months))
        return [(month, result) for month, result in (await self.execute(query)).all()]

    async def of_month(self, month: date) -> list[Row]:
        rows = await self.all(select(severance_taxes).where(severance_taxes.c.month == month))
        return [without_tenant(row) for row in rows]
