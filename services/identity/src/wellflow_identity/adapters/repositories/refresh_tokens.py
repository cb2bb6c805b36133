"""Refresh tokens: one row per token, grouped in families (one family per sign-in)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.repository import Repository, Row

from ..tables import refresh_tokens
from .common import set_local


class SqlRefreshTokens(Repository):
    async def add(self, **values: Any) -> None:
        await self.execute(insert(refresh_tokens).values(id=uuid7(), **values))

    async def find_by_hash(self, token_hash: str) -> Row | None:
        """The token with this hash, whatever its tenant (only its holder knows the hash)."""
        await set_local(self.connection, "app.lookup_token_hash", token_hash)
        return await self.optional(select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash))

    async def mark_used(self, token_id: UUID, now: datetime) -> bool:
        """Claim the token for one rotation; False when someone already used it (a replay)."""
        claimed = await self.optional(
            update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.used_at.is_(None))
            .values(used_at=now)
            .returning(refresh_tokens.c.id)
        )
        return claimed is not None

    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        result = await self.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(result.rowcount)

    async def revoke_sessions_of(self, user_id: UUID, now: datetime) -> int:
        result = await self.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(result.rowcount)
