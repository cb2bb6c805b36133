"""Invitations to join an organization, found by the hash of their single-use token; withdrawn or sent again
with a new token by an owner."""

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

    async def get(self, invitation_id: UUID, *, lock: bool = False) -> Row | None:
        """The invitation in this tenant (None for another organization's id); ``lock`` until the transaction ends."""
        query = select(invitations).where(invitations.c.id == invitation_id)
        return await self.optional(query.with_for_update() if lock else query)

    async def revoke(self, invitation_id: UUID, now: datetime, revoked_by: UUID | None) -> None:
        await self.execute(
            update(invitations)
            .where(invitations.c.id == invitation_id, invitations.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_by=revoked_by)
        )

    async def renew(self, invitation_id: UUID, *, token_hash: str, expires_at: datetime) -> None:
        """A new token (the old link dies with its hash) and a new expiry."""
        await self.execute(
            update(invitations)
            .where(invitations.c.id == invitation_id)
            .values(token_hash=token_hash, expires_at=expires_at, send_count=invitations.c.send_count + 1)
        )

    async def sent(self, invitation_id: UUID, delivery: str, now: datetime) -> None:
        await self.execute(
            update(invitations).where(invitations.c.id == invitation_id).values(delivery=delivery, last_sent_at=now)
        )

    async def mark_accepted(self, invitation_id: UUID, user_id: UUID, now: datetime) -> bool:
        """Claim the invitation for ``user_id``; False when it was already used."""
        claimed = await self.optional(
            update(invitations)
            .where(
                invitations.c.id == invitation_id,
                invitations.c.accepted_at.is_(None),
                invitations.c.revoked_at.is_(None),
            )
            .values(accepted_at=now, accepted_user_id=user_id)
            .returning(invitations.c.id)
        )
        return claimed is not None
