"""Suspense balances, moved only by finalized runs: per owner for the minimum payment, per owner and lease
for a title hold."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from .context import Accounting, Actor


async def suspense(
    acc: Accounting,
    actor: Actor,
    *,
    partner_id: UUID | None = None,
    reason: str | None = None,
    lease_id: UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Each owner's suspense balance by reason (and lease for a title hold), from finalized runs."""
    async with acc.uow(actor) as uow:
        return await uow.suspense.page_of_balances(
            partner_id=partner_id, reason=reason, lease_id=lease_id, limit=limit, offset=offset
        )
