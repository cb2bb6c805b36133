"""The console's notifications of each member (the bell)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf

from ...app.ports import Row
from ..tables import notifications as N
from .base import NotificationsRepository


class SqlInApp(NotificationsRepository):
    async def add(self, rows: list[Row]) -> list[Row]:
        """The rows written; one already there for the same event and member is left as it is."""
        if not rows:
            return []
        statement = (
            pg_insert(N)
            .values([{**row, "organization_id": self.organization_id} for row in rows])
            .on_conflict_do_nothing(index_elements=[N.c.organization_id, N.c.event_id, N.c.member_id])
            .returning(N.c.id)
        )
        written = set((await self.execute(statement)).scalars())
        return [row for row in rows if row["id"] in written]

    async def search(
        self, member_id: UUID, *, unread: bool | None, kind: str | None, limit: int, offset: int
    ) -> PageOf[Row]:
        query = select(N, func.count().over().label("_total")).where(N.c.member_id == member_id)
        if unread is True:
            query = query.where(N.c.read_at.is_(None))
        elif unread is False:
            query = query.where(N.c.read_at.is_not(None))
        if kind is not None:
            query = query.where(N.c.kind == kind)
        return await self.page_of(query.order_by(N.c.created_at.desc(), N.c.id.desc()), limit=limit, offset=offset)

    async def unread_count(self, member_id: UUID) -> int:
        query = select(func.count()).where(N.c.member_id == member_id, N.c.read_at.is_(None))
        return int(await self.scalar(query))

    async def mark_read(self, member_id: UUID, ids: list[UUID] | None, at: datetime, *, read: bool = True) -> int:
        statement = update(N).where(N.c.member_id == member_id)
        if ids is not None:
            statement = statement.where(N.c.id.in_(ids))
        if read:
            statement = statement.where(N.c.read_at.is_(None)).values(read_at=at)
        else:
            statement = statement.where(N.c.read_at.is_not(None)).values(read_at=None)
        return int((await self.execute(statement)).rowcount)
