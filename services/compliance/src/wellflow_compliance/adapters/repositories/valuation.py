"""Compliance's copy of accounting's prices (``accounting.price_recorded.v1``): the newest recorded price per
month, product and lease (or every lease)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository

from ...domain.valuation import PostedPrice
from ..tables import form_pr_lines
from ..tables_office import accounting_prices

Row = dict[str, Any]
EVERY_LEASE = "all"


class SqlAccountingPrices(Repository):
    async def keep(self, values: Row) -> bool:
        """Store the price unless a newer one of the same month, product and lease is held; True when stored."""
        applies_to = str(values["lease_id"]) if values["lease_id"] is not None else EVERY_LEASE
        statement = pg_insert(accounting_prices).values(
            organization_id=self.organization_id, applies_to=applies_to, **values
        )
        changed = {k: statement.excluded[k] for k in values if k not in ("month", "product", "lease_id")}
        upsert = statement.on_conflict_do_update(
            index_elements=["organization_id", "month", "product", "applies_to"],
            set_=changed,
            where=accounting_prices.c.recorded_at <= statement.excluded.recorded_at,
        )
        return (await self.execute(upsert.returning(accounting_prices.c.month))).first() is not None

    async def of_lease_month(self, lease_id: UUID, month: date) -> dict[str, list[PostedPrice]]:
        """By product (oil, condensate, gas): the lease's own prices and the month's prices for every lease."""
        table = accounting_prices
        query = select(table).where(
            table.c.month == month, or_(table.c.lease_id == lease_id, table.c.applies_to == EVERY_LEASE)
        )
        found: dict[str, list[PostedPrice]] = {}
        for row in await self.all(query):
            posted = PostedPrice(row["price"], row["source"], row["lease_id"] is not None, row["gross_value"])
            found.setdefault(row["product"], []).append(posted)
        return found

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        table = accounting_prices
        query = select(table.c.month).where(or_(table.c.lease_id == lease_id, table.c.applies_to == EVERY_LEASE))
        if among is not None:
            query = query.where(table.c.month.in_(among))
        return list((await self.execute(query.distinct())).scalars())

    async def leases_priced(self, month: date) -> list[UUID]:
        """Leases with a price of their own for ``month``, and, when a price is for every lease, every lease with
        a Form PR line that month."""
        table = accounting_prices
        own = select(table.c.lease_id).where(table.c.month == month, table.c.lease_id.is_not(None))
        leases = set((await self.execute(own)).scalars())
        every = select(table.c.month).where(table.c.month == month, table.c.applies_to == EVERY_LEASE).limit(1)
        if (await self.execute(every)).first() is not None:
            lines = select(form_pr_lines.c.lease_id).where(form_pr_lines.c.period == month)
            leases |= set((await self.execute(lines)).scalars())
        return sorted(leases, key=str)
