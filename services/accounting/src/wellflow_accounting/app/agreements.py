"""Operating agreements per lease (COPAS overhead rates, the date they were set, April 1 adjustments, the AFE
overrun percentage)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.tables import (
    agreements,
    overhead_adjustments,
)
from .context import Accounting, Actor, fetch_all, fetch_page
from .creates import create_once
from .decks import lease_row

# ---------------------------------------------------------------- agreements


async def create_agreement(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new agreement and True, or the agreement with this client-chosen id and False (a retried request)."""
    now = acc.clock()
    request = {key: value for key, value in data.items() if key != "id"}
    row = {
        **request,
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "created_at": now,
        "updated_at": now,
    }
    try:
        async with acc.uow(actor) as uow:

            async def check() -> None:
                await lease_row(uow, data["lease_id"])

            async def detail(stored: dict[str, Any]) -> dict[str, Any]:
                return await _agreement_detail(uow, stored["id"])

            stored, new = await create_once(
                uow, agreements, row, request=request, noun="operating agreement", prepare=check, answer=detail
            )
            return (await detail(stored) if new else stored), new
    except IntegrityError:
        raise Conflict("This lease already has an operating agreement; change that one.", slug="duplicate") from None


async def _agreement(uow: UnitOfWork, agreement_id: UUID) -> dict[str, Any]:
    row = (await uow.connection.execute(select(agreements).where(agreements.c.id == agreement_id))).mappings().first()
    if row is None:
        raise NotFound(f"No operating agreement {agreement_id}.")
    return dict(row)


async def update_agreement(acc: Accounting, actor: Actor, agreement_id: UUID, changes: Mapping[str, Any]) -> dict:
    async with acc.uow(actor) as uow:
        await _agreement(uow, agreement_id)
        await uow.connection.execute(
            update(agreements).where(agreements.c.id == agreement_id).values(**changes, updated_at=acc.clock())
        )
        return await _agreement_detail(uow, agreement_id)


async def _agreement_detail(uow: UnitOfWork, agreement_id: UUID) -> dict[str, Any]:
    row = await _agreement(uow, agreement_id)
    row["adjustments"] = await fetch_all(
        uow,
        select(overhead_adjustments.c.year, overhead_adjustments.c.percent)
        .where(overhead_adjustments.c.agreement_id == agreement_id)
        .order_by(overhead_adjustments.c.year),
    )
    return row


async def get_agreement(acc: Accounting, actor: Actor, agreement_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await _agreement_detail(uow, agreement_id)


async def list_agreements(acc: Accounting, actor: Actor, *, lease_id: UUID | None, limit: int, offset: int) -> dict:
    query = select(agreements, func.count().over().label("_total"))
    if lease_id is not None:
        query = query.where(agreements.c.lease_id == lease_id)
    return await fetch_page(acc, actor, query.order_by(agreements.c.name, agreements.c.id), limit, offset)


async def set_adjustment(acc: Accounting, actor: Actor, agreement_id: UUID, year: int, percent: Decimal) -> dict:
    """The percentage the overhead rates move on April 1 of ``year`` (COPAS publishes it; entered here)."""
    async with acc.uow(actor) as uow:
        await _agreement(uow, agreement_id)
        statement = pg_insert(overhead_adjustments).values(
            organization_id=actor.organization_id,
            agreement_id=agreement_id,
            year=year,
            percent=percent,
            entered_by=actor.id,
            entered_at=acc.clock(),
        )
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "agreement_id", "year"],
            set_={k: statement.excluded[k] for k in ("percent", "entered_by", "entered_at")},
        )
        await uow.connection.execute(statement)
        return await _agreement_detail(uow, agreement_id)
