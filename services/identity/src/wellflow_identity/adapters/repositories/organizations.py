"""Organizations (the tenants) and their memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, Row

from ...app.ports import USER_SETTING
from ..tables import memberships, organizations, users
from .common import set_local

MAX_PAGE = 200

_MEMBER_COLUMNS = (
    memberships.c.user_id,
    users.c.email,
    users.c.full_name,
    memberships.c.role,
    memberships.c.status,
    memberships.c.joined_at,
)


_MEMBERSHIPS_OF = (
    "SELECT memberships.organization_id, memberships.role, memberships.status, organizations.name "
    "FROM memberships JOIN organizations ON organizations.organization_id = memberships.organization_id "
    "WHERE memberships.user_id = $1{} ORDER BY memberships.joined_at, memberships.organization_id"
)
_MEMBERSHIPS = _MEMBERSHIPS_OF.format("")
_ACTIVE_MEMBERSHIPS = _MEMBERSHIPS_OF.format(" AND memberships.status = 'active'")


class SqlOrganizations(Repository):
    async def add(self, organization_id: UUID, now: datetime, **fields: Any) -> None:
        await self.execute(
            insert(organizations).values(organization_id=organization_id, created_at=now, updated_at=now, **fields)
        )

    async def get(self, organization_id: UUID, *, lock: bool = False) -> Row | None:
        """The organization; ``lock`` holds its row to the end of the transaction (serializes owner changes)."""
        query = select(organizations).where(organizations.c.organization_id == organization_id)
        if lock:
            query = query.with_for_update()
        return await self.optional(query)

    async def update(self, organization_id: UUID, now: datetime, **fields: Any) -> None:
        await self.execute(
            update(organizations)
            .where(organizations.c.organization_id == organization_id)
            .values(updated_at=now, **fields)
        )

    async def update_profile(self, organization_id: UUID, now: datetime, *, by: str, **fields: Any) -> None:
        """Change profile fields; the profile's version grows by one (consumers keep the highest)."""
        await self.execute(
            update(organizations)
            .where(organizations.c.organization_id == organization_id)
            .values(
                updated_at=now,
                profile_updated_by=by,
                profile_version=organizations.c.profile_version + 1,
                **fields,
            )
        )

    async def add_member(self, organization_id: UUID, user_id: UUID, role: str, now: datetime) -> None:
        await self.execute(
            insert(memberships).values(
                organization_id=organization_id,
                user_id=user_id,
                role=role,
                status="active",
                joined_at=now,
                updated_at=now,
            )
        )

    async def memberships_of(self, user_id: UUID, *, active_only: bool = True) -> list[Row]:
        """Every organization this (already authenticated) person belongs to, oldest membership first.

        Opens the person's memberships and organizations to the rest of the transaction (already open when the
        unit of work began with ``USER_SETTING`` for this person)."""
        if getattr(self.uow, "settings", {}).get(USER_SETTING) != str(user_id):
            await set_local(self.connection, USER_SETTING, str(user_id))
        driver = self.driver_if_begun()
        if driver is not None:  # /api/v1/me on every page load: the prepared statement
            rows = await driver.fetch(_ACTIVE_MEMBERSHIPS if active_only else _MEMBERSHIPS, user_id)
            return [dict(row) for row in rows]
        query = (
            select(memberships.c.organization_id, memberships.c.role, memberships.c.status, organizations.c.name)
            .join(organizations, organizations.c.organization_id == memberships.c.organization_id)
            .where(memberships.c.user_id == user_id)
            .order_by(memberships.c.joined_at, memberships.c.organization_id)
        )
        if active_only:
            query = query.where(memberships.c.status == "active")
        return await self.all(query)

    async def get_member(self, user_id: UUID, *, lock: bool = False) -> Row | None:
        query = (
            select(*_MEMBER_COLUMNS)
            .join(users, users.c.id == memberships.c.user_id)
            .where(memberships.c.user_id == user_id)
        )
        if lock:
            query = query.with_for_update(of=memberships)
        return await self.optional(query)

    async def list_members(self, *, role: str | None, status: str | None, limit: int, offset: int) -> PageOf[Row]:
        conditions = []
        if role is not None:
            conditions.append(memberships.c.role == role)
        if status is not None:
            conditions.append(memberships.c.status == status)
        query = (
            select(*_MEMBER_COLUMNS)
            .join(users, users.c.id == memberships.c.user_id)
            .where(*conditions)
            .order_by(memberships.c.joined_at, memberships.c.user_id)
        )
        return await self.page(query, limit=limit, offset=offset, maximum=MAX_PAGE)

    async def count_active_owners(self) -> int:
        query = select(func.count()).where(memberships.c.role == "owner", memberships.c.status == "active")
        return int(await self.scalar(query))

    async def set_member(self, user_id: UUID, now: datetime, **values: Any) -> None:
        await self.execute(update(memberships).where(memberships.c.user_id == user_id).values(updated_at=now, **values))
