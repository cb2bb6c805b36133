"""Prices per product and month: entered by the accountant (for every lease, or one lease), or recorded from a
purchaser's statement (volume, price, gross value, deductions for one lease). A month whose distribution is
finalized is locked: its prices can no longer change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import PriceRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ..domain.money import cents
from ..domain.partners import PartnerRole
from .context import Accounting, Actor, check_month, invalid
from .decks import lease_row
from .partners import require_partners
from .ports import AccountingWork

STATEMENT_TOLERANCE = Decimal("1.00")  # a statement's gross may differ from volume x price by rounding only


async def check_month_open(uow: AccountingWork, month: date) -> None:
    status = await uow.runs.status_of_month(month)
    if status == "finalized":
        raise Conflict(
            f"The distribution for {month:%m/%Y} is finalized: the month is locked. A correction to it is "
            "distributed as adjustment lines in a later run.",
            slug="period-locked",
        )


async def set_price(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Enter (or replace) a price: the same request twice leaves one price."""
    month = check_month(data["month"])
    async with acc.uow(actor) as uow:
        await check_month_open(uow, month)
        if data.get("lease_id") is not None:
            await lease_row(uow, data["lease_id"])
        row = await uow.prices.put(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "month": month,
                "product": data["product"],
                "lease_id": data.get("lease_id"),
                "price": data["price"],
                "source": "entered",
                "purchaser_id": None,
                "volume": None,
                "gross_value": None,
                "deductions": None,
                "created_by": actor.id,
                "created_at": acc.clock(),
            },
        )
        _announce(uow, actor, row)
        return row


def _announce(uow: AccountingWork, actor: Actor, row: dict[str, Any]) -> None:
    """Tell compliance (its severance valuation) the price, in the transaction that stores it."""
    uow.record(
        PriceRecorded(
            tenant_id=actor.organization_id,
            price_id=row["id"],
            month=row["month"],
            product=row["product"],
            lease_id=row["lease_id"],
            price=row["price"],
            source=row["source"],
            volume=row["volume"],
            gross_value=row["gross_value"],
            deductions=row["deductions"],
            recorded_by=actor.id,
            recorded_at=row["created_at"],
        )
    )


announce_price = _announce  # statement imports (app/statement_import.py) announce their prices the same way


async def record_purchaser_statement(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """A purchaser's statement for one lease, product and month; it sets that lease's price and sold volume."""
    month = check_month(data["month"])
    volume, gross = data["volume"], cents(data["gross_value"])
    price = data.get("price")
    if price is None:
        if volume <= 0:
            raise invalid("body.price", "give the price when the volume is zero")
        price = (gross / volume).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    elif abs(cents(volume * price) - gross) > STATEMENT_TOLERANCE:
        raise invalid(
            "body.gross_value",
            f"volume x price is {cents(volume * price)}, the gross value {gross}: they differ by more than rounding",
        )
    async with acc.uow(actor) as uow:
        await check_month_open(uow, month)
        await lease_row(uow, data["lease_id"])
        found = await require_partners(uow, {data["purchaser_id"]}, "body.purchaser_id")
        if PartnerRole.PURCHASER.value not in found[data["purchaser_id"]]["roles"]:
            raise invalid("body.purchaser_id", "this partner does not have the purchaser role")
        row = await uow.prices.put(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "month": month,
                "product": data["product"],
                "lease_id": data["lease_id"],
                "price": price,
                "source": "purchaser_statement",
                "purchaser_id": data["purchaser_id"],
                "volume": volume,
                "gross_value": gross,
                "deductions": cents(data.get("deductions") or Decimal(0)),
                "created_by": actor.id,
                "created_at": acc.clock(),
            },
        )
        _announce(uow, actor, row)
        return row


async def list_prices(
    acc: Accounting,
    actor: Actor,
    *,
    month: date | None = None,
    product: str | None = None,
    lease_id: UUID | None = None,
    source: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.prices.page_of_prices(
            month=month, product=product, lease_id=lease_id, source=source, limit=limit, offset=offset
        )
