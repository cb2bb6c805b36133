"""API keys: an organization's machine credentials, found by the id their key carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from wellflow_servicekit.repository import Repository, Row

from ..tables import api_keys
from .common import set_local

_LISTED = (
    api_keys.c.id,
    api_keys.c.name,
    api_keys.c.role,
    api_keys.c.created_by,
    api_keys.c.created_at,
    api_keys.c.last_used_at,
    api_keys.c.revoked_at,
)


class SqlApiKeys(Repository):
    async def add(self, **values: Any) -> None:
        await self.execute(insert(api_keys).values(**values))

    async def list_newest(self) -> list[Row]:
        return await self.all(select(*_LISTED).order_by(api_keys.c.created_at.desc(), api_keys.c.id))

    async def find(self, key_id: UUID) -> Row | None:
        """The key with its secret's hash, whatever its tenant (only the key's holder knows its id)."""
        await set_local(self.connection, "app.lookup_api_key_id", str(key_id))
        return await self.optional(select(api_keys).where(api_keys.c.id == key_id))

    async def touch(self, key_id: UUID, now: datetime) -> None:
        await self.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=now))

    async def revoke(self, key_id: UUID, now: datetime) -> Row | None:
        """The key's row after revoking it (idempotent), or None when this tenant has no such key."""
        await self.execute(
            update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=now)
        )
        return await self.optional(select(*_LISTED).where(api_keys.c.id == key_id))

    async def revoke_created_by(self, created_by: str, now: datetime) -> list[UUID]:
        result = await self.execute(
            update(api_keys)
            .where(api_keys.c.created_by == created_by, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(api_keys.c.id)
        )
        return [row[0] for row in result.all()]
