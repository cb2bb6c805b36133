"""Invitations to join an organization, found by the hash of their single-use token."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from wellflow_servicekit.repository import Repository, Row

from ..tables import invitations
from .common import set_local


class SqlInvitations(Repository):
    async def add(self, **values: Any) -> None:
        await self.execute(insert(invitations).values(**values))

    async def list_newest(self, *, limit: int, offset: int) -> list[Row]:
        query = select(invitations).order_by(invitations.c.created_at.desc(), invitations.c.id)
        return await self.all(query.limit(limit).offset(offset))

    async def find_by_hash(self, token_hash: str) -> Row | None:
        """The invitation with this token hash, whatever its tenant (only its holder knows the hash)."""
        await set_local(self.connection, "app.lookup_token_hash", token_hash)
        return await self.optional(select(invitations).where(invitations.c.token_hash == token_hash))

    async def mark_accepted(self, invitation_id: UUID, user_id: UUID, now: datetime) -> bool:
        """Claim the invitation for ``user_id``; False when it was already used."""
        claimed = await self.optional(
            update(invitations)
            .where(invitations.c.id == invitation_id, invitations.c.accepted_at.is_(None))
            .values(accepted_at=now, accepted_user_id=user_id)
            .returning(invitations.c.id)
        )
        return claimed is not None
