"""Webhook endpoints, and the cross-tenant list of organizations that have them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, driver_in_transaction

from ...app.ports import Row
from ..tables import webhook_endpoints, webhook_tenants
from .base import IntegrationsRepository

ALL_TYPES = "*"
_INTERESTED_IN = (
    "SELECT id FROM webhook_endpoints WHERE enabled AND ($1 = ANY (event_types) OR $2 = ANY (event_types)) ORDER BY id"
)


class SqlEndpoints(IntegrationsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(webhook_endpoints, row)

    async def get(self, endpoint_id: UUID) -> Row | None:
        return await self.maybe(select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id))

    async def update(self, endpoint_id: UUID, changes: Row) -> Row | None:
        statement = (
            update(webhook_endpoints)
            .where(webhook_endpoints.c.id == endpoint_id)
            .values(changes)
            .returning(webhook_endpoints)
        )
        return await self.maybe(statement)

    async def delete(self, endpoint_id: UUID) -> bool:
        statement = delete(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)
        return (await self.execute(statement)).rowcount > 0  # type: ignore[no-any-return]

    async def search(self, *, limit: int, offset: int) -> PageOf[Row]:
        query = select(webhook_endpoints, func.count().over().label("_total")).order_by(
            webhook_endpoints.c.created_at, webhook_endpoints.c.id
        )
        return await self.page_of(query, limit=limit, offset=offset)

    async def interested_in(self, event_type: str) -> list[Row]:
        """The enabled endpoints that want ``event_type``: asked for every event of every service, so prepared on
        asyncpg inside the consumer's transaction."""
        driver = await driver_in_transaction(self.connection)
        return [{"id": row[0]} for row in await driver.fetch(_INTERESTED_IN, event_type, ALL_TYPES)]

    async def any(self) -> bool:
        driver = await driver_in_transaction(self.connection)
        return await driver.fetchval("SELECT 1 FROM webhook_endpoints LIMIT 1") is not None


class SqlTenants(Repository):
    async def mark(self, organization_id: UUID, at: datetime) -> None:
        statement = pg_insert(webhook_tenants).values(tenant_id=organization_id, since=at).on_conflict_do_nothing()
        await self.execute(statement)

    async def organizations(self) -> list[UUID]:
        return list((await self.execute(select(webhook_tenants.c.tenant_id))).scalars())
