"""Token signing keys (global rows): stored encrypted, retired two token lifetimes after a rotation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, text, update

from wellflow_servicekit.repository import Repository, Row

from ..tables import signing_keys

_KEY_LOCK = 7_260_001  # advisory lock id: one process at a time generates or rotates keys


class SqlSigningKeys(Repository):
    async def lock(self) -> None:
        """Hold the key lock to the end of the transaction."""
        await self.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _KEY_LOCK})

    async def exist(self) -> bool:
        return await self.optional(select(signing_keys.c.kid).limit(1)) is not None

    async def add(self, row: dict[str, Any]) -> None:
        await self.execute(insert(signing_keys).values(row))

    async def retire_signing(self, retire_at: datetime) -> None:
        """Schedule the retirement of every key not yet scheduled for it."""
        await self.execute(update(signing_keys).where(signing_keys.c.retire_at.is_(None)).values(retire_at=retire_at))

    async def live(self, now: datetime) -> list[Row]:
        """Keys not retired at ``now``, newest first (the first one signs)."""
        query = (
            select(signing_keys)
            .where(or_(signing_keys.c.retire_at.is_(None), signing_keys.c.retire_at > now))
            .order_by(signing_keys.c.created_at.desc(), signing_keys.c.kid.desc())
        )
        return await self.all(query)

    async def every(self) -> list[Row]:
        """Every key ever made, oldest first."""
        return await self.all(select(signing_keys).order_by(signing_keys.c.created_at))
