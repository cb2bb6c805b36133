"""The idempotency keys of writes: the key a write was sent under, its request's fingerprint and the first
result it answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, Row

from ..tables import idempotency_keys


class SqlIdempotency(Repository):
    """The key a write was sent under, with the first result it answered."""

    async def claim(self, operation: str, key: str, fingerprint: str, now: datetime) -> Row | None:
        """None when this transaction now holds the key; else the stored key (its hash and first result).

        A concurrent first request holding the key makes the INSERT wait for its commit (then it is answered
        as stored) or its rollback (then this transaction owns the key): never two effects for one key."""
        claimed = await self.execute(
            pg_insert(idempotency_keys)
            .values(
                organization_id=self.organization_id,
                key=key,
                operation=operation,
                request_hash=fingerprint,
                created_at=now,
            )
            .on_conflict_do_nothing()
            .returning(idempotency_keys.c.key)
        )
        if claimed.first() is not None:
            return None
        return await self.stored(operation, key)

    async def stored(self, operation: str, key: str) -> Row:
        """The key as stored (a new statement: it sees the first request's commit the claim waited for)."""
        return await self.one(
            select(idempotency_keys).where(idempotency_keys.c.operation == operation, idempotency_keys.c.key == key)
        )

    async def answer(self, operation: str, key: str, status: int, response: dict[str, Any]) -> None:
        await self.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.operation == operation, idempotency_keys.c.key == key)
            .values(status_code=status, response=response)
        )
