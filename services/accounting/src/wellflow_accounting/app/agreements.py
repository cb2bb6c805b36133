"""Operating agreements per lease (COPAS overhead rates, the date they were set, April 1 adjustments, the AFE
overrun percentage)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound

from .context import Accounting, Actor
from .decks import lease_row
from .ports import AccountingWork, DuplicateKey


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

            stored, new = await uow.agreements.add(row, request, prepare=check, answer=detail)
            return (await detail(stored) if new else stored), new
    except DuplicateKey:
        raise Conflict("This lease already has an operating agreement; change that one.", slug="duplicate") from None


async def _agreement(uow: AccountingWork, agreement_id: UUID) -> dict[str, Any]:
    row = await uow.agreements.get(agreement_id)
    if row is None:
        raise NotFound(f"No operating agreement {agreement_id}.")
    return row


async def update_agreement(
    acc: Accounting, actor: Actor, agreement_id: UUID, changes: Mapping[str, Any]
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        await _agreement(uow, agreement_id)
        await uow.agreements.update(agreement_id, {**changes, "updated_at": acc.clock()})
        return await _agreement_detail(uow, agreement_id)


async def _agreement_detail(uow: AccountingWork, agreement_id: UUID) -> dict[str, Any]:
    row = await _agreement(uow, agreement_id)
    row["adjustments"] = await uow.agreements.adjustments(agreement_id)
    return row


async def get_agreement(acc: Accounting, actor: Actor, agreement_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await _agreement_detail(uow, agreement_id)


async def list_agreements(
    acc: Accounting, actor: Actor, *, lease_id: UUID | None, limit: int, offset: int
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.agreements.page_of_agreements(lease_id=lease_id, limit=limit, offset=offset)


async def set_adjustment(
    acc: Accounting, actor: Actor, agreement_id: UUID, year: int, percent: Decimal
) -> dict[str, Any]:
    """The percentage the overhead rates move on April 1 of ``year`` (COPAS publishes it; entered here)."""
    async with acc.uow(actor) as uow:
        await _agreement(uow, agreement_id)
        await uow.agreements.put_adjustment(
            {
                "organization_id": actor.organization_id,
                "agreement_id": agreement_id,
                "year": year,
                "percent": percent,
                "entered_by": actor.id,
                "entered_at": acc.clock(),
            }
        )
        return await _agreement_detail(uow, agreement_id)
