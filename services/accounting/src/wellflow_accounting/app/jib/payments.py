"""Partners' payments against their JIB balances."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7

from ..context import Accounting, Actor
from ..partners import require_partners


async def record_payment(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new payment and True, or the payment with this client-chosen id and False (a retried request)."""
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "partner_id": data["partner_id"],
        "received_on": data["received_on"],
        "amount": data["amount"],
        "reference": data.get("reference"),
        "created_by": actor.id,
        "created_at": acc.clock(),
    }
    request = {key: row[key] for key in ("partner_id", "received_on", "amount", "reference")}
    async with acc.uow(actor) as uow:

        async def check() -> None:
            await require_partners(uow, {data["partner_id"]}, "body.partner_id")

        return await uow.payments.add(row, request, prepare=check)


async def list_payments(
    acc: Accounting, actor: Actor, *, partner_id: UUID | None, limit: int, offset: int
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.payments.page_of_payments(partner_id=partner_id, limit=limit, offset=offset)
