"""What the wells repositories share: inserts and updates that answer the written row, a broken unique key
raised as ``Taken``, and reads by id."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant

from ...app.ports import MAX_PAGE, Row, Taken


class WellsRepository(Repository):
    async def insert_row(self, table: Table, row: Row) -> Row:
        statement = insert(table).values({**row, "organization_id": self.organization_id}).returning(table)
        try:
            return without_tenant(await self.one(statement))
        except IntegrityError:
            raise Taken(table.name) from None

    async def update_row(self, table: Table, row_id: UUID, changes: Row) -> Row:
        statement = update(table).where(table.c.id == row_id).values(changes).returning(table)
        try:
            return without_tenant(await self.one(statement))
        except IntegrityError:
            raise Taken(table.name) from None

    async def row_by_id(self, table: Table, row_id: UUID, *, lock: bool = False) -> Row | None:
        query: Any = select(table).where(table.c.id == row_id)
        if lock:
            query = query.with_for_update()
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def id_exists(self, table: Table, row_id: UUID) -> bool:
        return await self.scalar(select(table.c.id).where(table.c.id == row_id)) is not None

    async def page_without_tenant(self, query: Select[Any], *, limit: int, offset: int) -> PageOf[Row]:
        found = await self.page(query, limit=limit, offset=offset, maximum=MAX_PAGE)
        return PageOf([without_tenant(row) for row in found.items], found.total, found.limit, found.offset)
