"""Accounting's prices, kept for the severance valuation (``domain/valuation.py``): a price recorded in
accounting (entered, or from a purchaser's statement) is entered nowhere else, and the taxes it values are
computed again at once."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import PriceRecorded

from ..domain.valuation import month_summary
from .common import Actor, Compliance, not_found
from .lease_lines import period_lock_key
from .ports import ComplianceWork
from .severance import recompute_tax


async def apply_price_recorded(uow: ComplianceWork, compliance: Compliance, event: PriceRecorded) -> None:
    """Keep the price and tax again what it values. The month's lock, taken exclusively, orders this against
    the lines being built for that month (they hold it shared): a line built at the same time either is
    committed before the price looks for the month's leases, or finds the price when it looks for prices."""
    month = event.month.replace(day=1)
    await uow.locks.acquire(period_lock_key(event.tenant_id, month))
    kept = await uow.accounting_prices.keep(
        {
            "month": month,
            "product": event.product,
            "lease_id": event.lease_id,
            "price": event.price,
            "source": event.source,
            "volume": event.volume,
            "gross_value": event.gross_value,
            "deductions": event.deductions,
            "recorded_at": event.recorded_at,
        }
    )
    if not kept:
        return  # an older price than the one held: nothing changes
    now = compliance.clock()
    await uow.tenants.remember(event.tenant_id, now)
    leases: list[UUID] = (
        [event.lease_id] if event.lease_id is not None else await uow.accounting_prices.leases_priced(month)
    )
    for lease_id in leases:
        if await uow.leases.get(lease_id) is not None or await uow.lines.line(lease_id, month) is not None:
            await recompute_tax(uow, event.tenant_id, lease_id, month, now, compliance)


async def tax_summary(compliance: Compliance, actor: Actor, month: date) -> dict[str, Any]:
    """The month's severance tax by lease and in total, split as the revenue run and the returns need it."""
    async with compliance.uow(actor) as uow:
        rows = sorted(await uow.taxes.of_month(month), key=lambda row: str(row["lease_id"]))
        names = {row["lease_id"]: ((await uow.leases.get(row["lease_id"])) or {}).get("name") for row in rows}
    if not rows:
        raise not_found(f"A severance tax for {month:%Y-%m}")
    summary = month_summary(rows)
    for lease in summary["leases"]:  # type: ignore[attr-defined]
        lease["name"] = names.get(lease["lease_id"])
    return {"month": month, **summary}
