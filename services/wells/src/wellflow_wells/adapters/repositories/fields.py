"""Fields (the geological ones): a name, an optional code unique in the organization."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from wellflow_servicekit.kernel import PageOf

from ...app.ports import Row
from ..tables import fields
from .base import WellsRepository


class SqlFields(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(fields, row)

    async def get(self, field_id: UUID) -> Row | None:
        return await self.row_by_id(fields, field_id)

    async def exists(self, field_id: UUID) -> bool:
        return await self.id_exists(fields, field_id)

    async def search(self, *, limit: int, offset: int) -> PageOf[Row]:
        query = select(fields, func.count().over().label("_total")).order_by(fields.c.name, fields.c.id)
        return await self.page_without_tenant(query, limit=limit, offset=offset)
