"""Leases: RRC district and lease number (unique together in the organization; the number may be pending)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select, true

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import escape_like, order_by, without_tenant

from ...app.ports import Row
from ..tables import leases
from .base import WellsRepository

SORTS = {"name": leases.c.name, "rrc_lease_number": leases.c.rrc_lease_number, "created_at": leases.c.created_at}


class SqlLeases(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(leases, row)

    async def get(self, lease_id: UUID, *, lock: bool = False) -> Row | None:
        return await self.row_by_id(leases, lease_id, lock=lock)

    async def change(self, lease_id: UUID, changes: Row) -> Row:
        return await self.update_row(leases, lease_id, changes)

    async def every(self) -> list[Row]:
        return [without_tenant(row) for row in await self.all(select(leases))]

    async def search(
        self,
        *,
        field_id: UUID | None,
        rrc_district: str | None,
        county: str | None,
        status: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        conditions: list[Any] = []
        if field_id is not None:
            conditions.append(leases.c.field_id == field_id)
        if rrc_district is not None:
            conditions.append(leases.c.rrc_district == rrc_district)
        if county is not None:
            conditions.append(func.lower(leases.c.county) == county.lower())
        if status is not None:
            conditions.append(leases.c.status == status)
        if q:
            pattern = f"%{escape_like(q)}%"
            conditions.append(or_(leases.c.name.ilike(pattern), leases.c.rrc_lease_number.ilike(pattern)))
        query = select(leases, func.count().over().label("_total")).where(and_(true(), *conditions))
        query = query.order_by(*order_by(sort, SORTS), leases.c.id)
        return await self.page_without_tenant(query, limit=limit, offset=offset)
