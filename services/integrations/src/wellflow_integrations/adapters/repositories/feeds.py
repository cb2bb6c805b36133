"""Feeds: the organization's record of its durable consumers (the consumers themselves live in NATS)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from wellflow_servicekit.kernel import PageOf

from ...app.ports import Row
from ..tables import feeds
from .base import IntegrationsRepository


class SqlFeeds(IntegrationsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(feeds, row)

    async def get(self, name: str) -> Row | None:
        return await self.maybe(select(feeds).where(feeds.c.name == name))

    async def restart(self, name: str, start: str, at: datetime) -> Row | None:
        statement = update(feeds).where(feeds.c.name == name).values(start=start, updated_at=at).returning(feeds)
        return await self.maybe(statement)

    async def search(self, *, limit: int, offset: int) -> PageOf[Row]:
        query = select(feeds, func.count().over().label("_total")).order_by(feeds.c.name)
        return await self.page_of(query, limit=limit, offset=offset)

    async def delete(self, name: str) -> bool:
        return (await self.execute(delete(feeds).where(feeds.c.name == name))).rowcount > 0  # type: ignore[no-any-return]
