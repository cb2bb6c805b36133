"""What gauges and run tickets share: the tank, barrels from its strapping, and the rollups a gauge moves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import Actor, invalid

from ...domain.errors import GaugeError
from ...domain.gauging import barrels_at, gauge_inches
from .. import rollups
from ..ports import ProductionWork


async def tank_of(uow: ProductionWork, tank_id: UUID, field: str = "body.tank_id") -> dict[str, Any]:
    row = await uow.tank_gauges.tank(tank_id)
    if row is None:
        raise invalid(
            field, f"Tank {tank_id} is not known to production (configure its battery first).", slug="unknown-tank"
        )
    if not row["active"]:
        raise invalid(field, f"Tank {tank_id} is no longer part of its battery.", slug="inactive-tank")
    return row


def barrels(tank: dict[str, Any], gauge: dict[str, int], field: str) -> tuple[Decimal, Decimal]:
    """The gauge's level in inches and the tank's barrels at that level."""
    try:
        level = gauge_inches(gauge["feet"], gauge["inches"], gauge.get("quarters", 0))
        strapping = [(Decimal(level_), Decimal(bbl)) for level_, bbl in tank["strapping"]]
        return level, barrels_at(strapping, level)
    except GaugeError as exc:
        raise invalid(f"{field}.{exc.field}" if exc.field else field, exc.message, slug="bad-gauge") from None


async def refresh_from(uow: ProductionWork, actor: Actor, lease_id: UUID | None, months: set[date]) -> None:
    """Refresh ``months`` of the lease and every later month whose beginning stock may rest on them."""
    if lease_id is None:
        return
    keys = {(lease_id, month) for month in months}
    keys.update((lease_id, later) for later in await uow.lease_months.months_after(lease_id, min(months)))
    await rollups.refresh(uow, actor.organization_id, keys)
