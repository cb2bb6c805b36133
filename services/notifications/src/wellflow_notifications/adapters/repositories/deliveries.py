"""Emails and SMS to send: made once per key, claimed when due, finished with their attempts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import without_tenant

from ...app.ports import Row
from ..tables import attempts
from ..tables import deliveries as D
from .base import NotificationsRepository

WAKE_CHANNEL = "notifications_due"
_READ = [column for column in D.c if column.name != "organization_id"]


class SqlDeliveries(NotificationsRepository):
    async def add(self, rows: list[Row]) -> int:
        """How many were new: a row whose key is already there (the same event to the same person on the same
        channel) is not made again."""
        if not rows:
            return 0
        statement = (
            pg_insert(D)
            .values([{**row, "organization_id": self.organization_id} for row in rows])
            .on_conflict_do_nothing(index_elements=[D.c.organization_id, D.c.dedup_key])
            .returning(D.c.id)
        )
        return len(list((await self.execute(statement)).scalars()))

    async def wake(self) -> None:
        """Tell the dispatchers (every replica) that something is due, when this transaction commits."""
        await self.execute(text(f"SELECT pg_notify('{WAKE_CHANNEL}', '')"))

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Row]:
        due = (
            select(D.c.id)
            .where(D.c.status == "pending", D.c.next_attempt_at <= now)
            .order_by(D.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list((await self.execute(due)).scalars())
        if not ids:
            return []
        await self.execute(update(D).where(D.c.id.in_(ids)).values(next_attempt_at=lease_until))
        return await self.all(select(*_READ).where(D.c.id.in_(ids)).order_by(D.c.created_at))

    async def finish(self, delivery_id: UUID, changes: Row) -> None:
        await self.execute(update(D).where(D.c.id == delivery_id).values(changes))

    async def mark(self, ids: list[UUID], changes: Row) -> None:
        if ids:
            await self.execute(update(D).where(D.c.id.in_(ids)).values(changes))

    async def add_attempt(self, row: Row) -> None:
        await self.execute(attempts.insert().values({**row, "organization_id": self.organization_id}))

    async def get(self, delivery_id: UUID) -> Row | None:
        return await self.maybe(select(*_READ).where(D.c.id == delivery_id))

    async def attempts(self, delivery_id: UUID) -> list[Row]:
        query = (
            select(attempts)
            .where(attempts.c.delivery_id == delivery_id)
            .order_by(attempts.c.attempted_at, attempts.c.id)
        )
        return [without_tenant(row) for row in await self.all(query)]

    async def search(
        self, *, status: str | None, channel: str | None, member_id: UUID | None, limit: int, offset: int
    ) -> PageOf[Row]:
        query = select(*_READ, func.count().over().label("_total"))
        if status is not None:
            query = query.where(D.c.status == status)
        if channel is not None:
            query = query.where(D.c.channel == channel)
        if member_id is not None:
            query = query.where(D.c.member_id == member_id)
        return await self.page_of(query.order_by(D.c.created_at.desc(), D.c.id.desc()), limit=limit, offset=offset)

    async def digest_due(self, now: datetime) -> list[UUID]:
        query = (
            select(D.c.member_id)
            .where(D.c.status == "digest", D.c.next_attempt_at <= now, D.c.member_id.is_not(None))
            .group_by(D.c.member_id)
        )
        return list((await self.execute(query)).scalars())

    async def held_for_digest(self, member_id: UUID, now: datetime) -> list[Row]:
        query = (
            select(*_READ)
            .where(D.c.member_id == member_id, D.c.status == "digest", D.c.next_attempt_at <= now)
            .order_by(D.c.created_at)
            .with_for_update(skip_locked=True)
        )
        return await self.all(query)
