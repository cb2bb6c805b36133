"""The organization and member copies, and the cross-tenant list of organizations."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository

from ...app.ports import Row
from ..tables import members, notification_tenants, organization
from .base import NotificationsRepository


class SqlRoster(NotificationsRepository):
    async def organization(self) -> Row | None:
        return await self.maybe(select(organization))

    async def keep_organization(self, name: str, version: int, at: datetime) -> None:
        """The highest version wins: a late or replayed older snapshot changes nothing."""
        statement = pg_insert(organization).values(
            organization_id=self.organization_id, name=name, version=version, updated_at=at
        )
        statement = statement.on_conflict_do_update(
            index_elements=[organization.c.organization_id],
            set_={"name": statement.excluded.name, "version": statement.excluded.version, "updated_at": at},
            where=organization.c.version <= statement.excluded.version,
        )
        await self.execute(statement)

    async def keep_member(self, row: Row) -> None:
        """A member joined (or joined again): their role, active; email and name kept when the event lacks them."""
        statement = pg_insert(members).values({**row, "organization_id": self.organization_id})
        statement = statement.on_conflict_do_update(
            index_elements=[members.c.organization_id, members.c.id],
            set_={
                "email": func.coalesce(statement.excluded.email, members.c.email),
                "full_name": func.coalesce(statement.excluded.full_name, members.c.full_name),
                "role": statement.excluded.role,
                "active": statement.excluded.active,
                "updated_at": statement.excluded.updated_at,
            },
        )
        await self.execute(statement)

    async def change_member(self, member_id: UUID, changes: Row) -> bool:
        result = await self.execute(update(members).where(members.c.id == member_id).values(changes))
        return bool(result.rowcount)

    async def member(self, member_id: UUID) -> Row | None:
        return await self.maybe(select(members).where(members.c.id == member_id))

    async def members_in(self, roles: frozenset[str]) -> list[Row]:
        query = select(members).where(members.c.active, members.c.role.in_(sorted(roles))).order_by(members.c.id)
        return [{k: v for k, v in row.items() if k != "organization_id"} for row in await self.all(query)]


class SqlTenants(Repository):
    async def mark(self, organization_id: UUID, at: datetime) -> None:
        statement = pg_insert(notification_tenants).values(tenant_id=organization_id, since=at)
        await self.execute(statement.on_conflict_do_nothing())

    async def organizations(self) -> list[UUID]:
        return list((await self.execute(select(notification_tenants.c.tenant_id))).scalars())
