"""Suspense balances, moved only by finalized runs: per owner for the minimum payment, per owner and lease
for a title hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from wellflow_servicekit.database import UnitOfWork

from ..adapters.tables import (
    suspense_entries,
)
from ..domain import distribution as dist
from ..domain.money import ZERO
from .context import Accounting, Actor, fetch_page


async def suspense_balances(uow: UnitOfWork) -> tuple[dict[UUID, Decimal], dict[tuple[UUID, UUID], Decimal]]:
    """Minimum-payment balance per owner, and title-hold balance per owner and lease."""
    rows = await uow.connection.execute(
        select(
            suspense_entries.c.partner_id,
            suspense_entries.c.lease_id,
            suspense_entries.c.reason,
            func.sum(suspense_entries.c.amount).label("balance"),
        ).group_by(suspense_entries.c.partner_id, suspense_entries.c.lease_id, suspense_entries.c.reason)
    )
    minimum: dict[UUID, Decimal] = {}
    title: dict[tuple[UUID, UUID], Decimal] = {}
    for r in rows:
        if r.balance == 0:
            continue
        if r.reason == dist.SuspenseReason.MINIMUM_PAYMENT.value:
            minimum[r.partner_id] = minimum.get(r.partner_id, ZERO) + r.balance
        else:
            title[(r.partner_id, r.lease_id)] = r.balance
    return minimum, title


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
    query = select(
        suspense_entries.c.partner_id,
        suspense_entries.c.reason,
        suspense_entries.c.lease_id,
        func.sum(suspense_entries.c.amount).label("balance"),
        func.min(suspense_entries.c.month).label("since"),
        func.count().over().label("_total"),
    )
    if partner_id is not None:
        query = query.where(suspense_entries.c.partner_id == partner_id)
    if reason is not None:
        query = query.where(suspense_entries.c.reason == reason)
    if lease_id is not None:
        query = query.where(suspense_entries.c.lease_id == lease_id)
    query = (
        query.group_by(suspense_entries.c.partner_id, suspense_entries.c.reason, suspense_entries.c.lease_id)
        .having(func.sum(suspense_entries.c.amount) != 0)
        .order_by(suspense_entries.c.partner_id, suspense_entries.c.reason, suspense_entries.c.lease_id)
    )
    return await fetch_page(acc, actor, query, limit, offset)
