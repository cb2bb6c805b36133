"""Payments made outside WellFlow's payment runs that a year's 1099s must include: what an owner was paid
before the operator moved to WellFlow during the year, or a lease bonus paid by hand. Each counts in the year of
``paid_on``, at its gross, with the backup withholding taken from it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import NotFound

from ..context import Accounting, Actor, invalid
from ..partners import require_partners
from .queries import check_year

FIELDS = ("partner_id", "paid_on", "kind", "gross", "backup_withholding", "memo")


async def record_outside_payment(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new entry and True, or the entry with this client-chosen id and False (a retried request)."""
    check_year(data["paid_on"].year, acc.clock().date(), "body.paid_on")
    if data["backup_withholding"] > abs(data["gross"]):
        raise invalid("body.backup_withholding", "cannot exceed the gross paid")
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        **{key: data.get(key) for key in FIELDS},
        "created_by": actor.id,
        "created_at": acc.clock(),
    }
    request = {key: row[key] for key in FIELDS}
    async with acc.uow(actor) as uow:

        async def check() -> None:
            await require_partners(uow, {data["partner_id"]}, "body.partner_id")

        return await uow.tax_reporting.add_outside_payment(row, request, prepare=check)


async def list_outside_payments(
    acc: Accounting, actor: Actor, year: int, *, partner_id: UUID | None, limit: int, offset: int
) -> dict[str, Any]:
    check_year(year, acc.clock().date(), "query.year")
    async with acc.uow(actor) as uow:
        return await uow.tax_reporting.outside_payments(year, partner_id=partner_id, limit=limit, offset=offset)


async def delete_outside_payment(acc: Accounting, actor: Actor, payment_id: UUID) -> None:
    """A mistaken entry is removed; a year already filed then needs a correction (the 1099 page says so)."""
    async with acc.uow(actor) as uow:
        if not await uow.tax_reporting.delete_outside_payment(payment_id):
            raise NotFound(f"No outside payment {payment_id}.")
