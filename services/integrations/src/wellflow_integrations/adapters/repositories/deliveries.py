"""Kept events, deliveries and their attempts; the claim of due deliveries in order per aggregate."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import aliased

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import without_tenant

from ...app.ports import Row
from ..tables import webhook_attempts, webhook_deliveries, webhook_endpoints, webhook_events
from .base import IntegrationsRepository

D = webhook_deliveries
_READ = [column for column in D.c if column.name not in ("organization_id", "seq")]


class SqlDeliveries(IntegrationsRepository):
    async def keep_event(self, row: Row) -> bool:
        statement = (
            pg_insert(webhook_events).values({**row, "organization_id": self.organization_id}).on_conflict_do_nothing()
        )
        return (await self.execute(statement)).rowcount > 0  # type: ignore[no-any-return]

    async def add(self, rows: list[Row]) -> None:
        if rows:
            await self.execute(D.insert(), [{**row, "organization_id": self.organization_id} for row in rows])

    async def events_since(self, since: datetime, event_types: list[str]) -> list[Row]:
        query = select(webhook_events.c.id, webhook_events.c.event_type, webhook_events.c.ordering_key).where(
            webhook_events.c.occurred_at >= since
        )
        if "*" not in event_types:
            query = query.where(webhook_events.c.event_type.in_(event_types))
        return await self.all(query.order_by(webhook_events.c.occurred_at, webhook_events.c.id))

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Row]:
        """Due pending deliveries of enabled endpoints with nothing unfinished before them for the same
        endpoint and aggregate, locked (others skip them), then leased until ``lease_until``."""
        earlier = aliased(D)
        blocked = exists().where(
            earlier.c.organization_id == D.c.organization_id,
            earlier.c.endpoint_id == D.c.endpoint_id,
            earlier.c.ordering_key == D.c.ordering_key,
            earlier.c.seq < D.c.seq,
            earlier.c.status == "pending",
        )
        due = (
            select(D.c.id)
            .join(webhook_endpoints, and_(webhook_endpoints.c.id == D.c.endpoint_id, webhook_endpoints.c.enabled))
            .where(D.c.status == "pending", D.c.next_attempt_at <= now, ~blocked)
            .order_by(D.c.seq)
            .limit(limit)
            .with_for_update(of=D, skip_locked=True)
        )
        ids = list((await self.execute(due)).scalars())
        if not ids:
            return []
        await self.execute(update(D).where(D.c.id.in_(ids)).values(next_attempt_at=lease_until))
        query = (
            select(
                *_READ,
                D.c.seq,
                webhook_endpoints.c.url,
                webhook_endpoints.c.secret,
                webhook_events.c.payload,
            )
            .join(webhook_endpoints, webhook_endpoints.c.id == D.c.endpoint_id)
            .join(webhook_events, webhook_events.c.id == D.c.event_id)
            .where(D.c.id.in_(ids))
            .order_by(D.c.seq)
        )
        return await self.all(query)

    async def finish(self, delivery_id: UUID, changes: Row) -> None:
        await self.execute(update(D).where(D.c.id == delivery_id).values(changes))

    async def add_attempt(self, row: Row) -> None:
        await self.execute(webhook_attempts.insert().values({**row, "organization_id": self.organization_id}))

    async def get(self, delivery_id: UUID) -> Row | None:
        return await self.maybe(select(*_READ).where(D.c.id == delivery_id))

    async def attempts(self, delivery_id: UUID) -> list[Row]:
        query = (
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id == delivery_id)
            .order_by(webhook_attempts.c.attempted_at, webhook_attempts.c.id)
        )
        return [without_tenant(row) for row in await self.all(query)]

    async def search(self, *, endpoint_id: UUID | None, status: str | None, limit: int, offset: int) -> PageOf[Row]:
        query = select(*_READ, func.count().over().label("_total"))
        if endpoint_id is not None:
            query = query.where(D.c.endpoint_id == endpoint_id)
        if status is not None:
            query = query.where(D.c.status == status)
        return await self.page_of(query.order_by(D.c.seq.desc()), limit=limit, offset=offset)

    async def give_up_pending(self, endpoint_id: UUID, at: datetime, reason: str) -> None:
        statement = (
            update(D)
            .where(D.c.endpoint_id == endpoint_id, D.c.status == "pending")
            .values(status="failed", finished_at=at, last_error=reason)
        )
        await self.execute(statement)
