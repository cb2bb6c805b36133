"""Members' preferences and suppressed addresses."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf

from ...app.ports import Row
from ..tables import preferences, suppressions
from .base import NotificationsRepository


class SqlPreferences(NotificationsRepository):
    async def get(self, member_id: UUID) -> Row | None:
        return await self.maybe(select(preferences).where(preferences.c.member_id == member_id))

    async def put(self, row: Row) -> None:
        statement = pg_insert(preferences).values({**row, "organization_id": self.organization_id})
        changed = {key: getattr(statement.excluded, key) for key in row if key != "member_id"}
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=[preferences.c.organization_id, preferences.c.member_id], set_=changed
            )
        )

    async def all_for(self, member_ids: list[UUID]) -> dict[UUID, Row]:
        if not member_ids:
            return {}
        rows = await self.all(select(preferences).where(preferences.c.member_id.in_(member_ids)))
        return {row["member_id"]: dict(row) for row in rows}


class SqlSuppressions(NotificationsRepository):
    async def add(self, channel: str, address: str, reason: str, detail: str | None, at: datetime) -> None:
        statement = pg_insert(suppressions).values(
            organization_id=self.organization_id,
            channel=channel,
            address=address,
            reason=reason,
            detail=(detail or "")[:1000] or None,
            created_at=at,
        )
        await self.execute(statement.on_conflict_do_nothing())

    async def suppressed(self, channel: str, addresses: list[str]) -> set[str]:
        if not addresses:
            return set()
        query = select(suppressions.c.address).where(
            suppressions.c.channel == channel, suppressions.c.address.in_(sorted(set(addresses)))
        )
        return set((await self.execute(query)).scalars())

    async def remove(self, channel: str, address: str) -> bool:
        statement = delete(suppressions).where(suppressions.c.channel == channel, suppressions.c.address == address)
        return bool((await self.execute(statement)).rowcount)

    async def search(self, *, limit: int, offset: int) -> PageOf[Row]:
        query = select(suppressions, func.count().over().label("_total")).order_by(suppressions.c.created_at.desc())
        return await self.page_of(query, limit=limit, offset=offset)
