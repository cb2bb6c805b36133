"""Accounting's prices, kept for the severance valuation (``domain/valuation.py``): a price recorded in
accounting (entered, or from a purchaser's statement) is entered nowhere else, and the taxes it values are
computed again at once."""

from __future__ import annotations

from uuid import UUID

from wellflow_contracts.events.accounting import PriceRecorded

from .common import Compliance
from .ports import ComplianceWork
from .severance import recompute_tax


async def apply_price_recorded(uow: ComplianceWork, compliance: Compliance, event: PriceRecorded) -> None:
    month = event.month.replace(day=1)
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
