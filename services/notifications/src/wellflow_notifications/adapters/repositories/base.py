"""What the notifications repositories share: inserts that answer the written row, reads by a key, pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant

from ...app.ports import MAX_PAGE, Row


class NotificationsRepository(Repository):
    async def insert_row(self, table: Table, row: Row) -> Row:
        statement = insert(table).values({**row, "organization_id": self.organization_id}).returning(table)
        return without_tenant(await self.one(statement))

    async def maybe(self, query: Any) -> Row | None:
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def page_of(self, query: Select[Any], *, limit: int, offset: int) -> PageOf[Row]:
        found = await self.page(query, limit=limit, offset=offset, maximum=MAX_PAGE)
        return PageOf([without_tenant(row) for row in found.items], found.total, found.limit, found.offset)
