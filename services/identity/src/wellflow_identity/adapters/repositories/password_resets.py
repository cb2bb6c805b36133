"""Links to choose a new password: one row per link, found by the hash of its single-use token (global rows,
like the credentials they change)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from wellflow_servicekit.repository import Repository, Row

from ..tables import password_resets


class SqlPasswordResets(Repository):
    async def add(self, **values: Any) -> None:
        await self.execute(insert(password_resets).values(**values))

    async def find_by_hash(self, token_hash: str) -> Row | None:
        return await self.optional(select(password_resets).where(password_resets.c.token_hash == token_hash))

    async def claim(self, link_id: UUID, now: datetime) -> bool:
        """Spend the link; False when it was spent already (used, or replaced by a newer one)."""
        claimed = await self.optional(
            update(password_resets)
            .where(password_resets.c.id == link_id, password_resets.c.used_at.is_(None))
            .values(used_at=now)
            .returning(password_resets.c.id)
        )
        return claimed is not None

    async def spend_all_of(self, user_id: UUID, now: datetime) -> int:
        """Spend every unused link of this person (a newer link, or a password just changed, replaces them)."""
        result = await self.execute(
            update(password_resets)
            .where(password_resets.c.user_id == user_id, password_resets.c.used_at.is_(None))
            .values(used_at=now)
        )
        return int(result.rowcount)
