"""Read a battery's configuration, a page of batteries, or a tank's volume at a gauge reading."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ...domain.errors import InvalidGauge
from ...domain.strapping import Gauge, StrappingTable
from ..ports import Row
from ..registry import Registry
from .common import configuration, find_battery


async def get_battery(registry: Registry, actor: Actor, battery_id: UUID) -> Row:
    async with registry.uow(actor) as uow:
        return await configuration(uow, await find_battery(uow, battery_id))


async def list_batteries(
    registry: Registry, actor: Actor, *, lease_id: UUID | None, limit: int, offset: int
) -> PageOf[Row]:
    async with registry.uow(actor) as uow:
        return await uow.batteries.search(lease_id=lease_id, limit=limit, offset=offset)


async def tank_volume(
    registry: Registry, actor: Actor, battery_id: UUID, tank_id: UUID, gauge: Gauge
) -> dict[str, Any]:
    async with registry.uow(actor) as uow:
        tank = await uow.batteries.tank(battery_id, tank_id)
    if tank is None:
        raise NotFound(f"No tank {tank_id} in battery {battery_id}.")
    table = StrappingTable.of(tank["strapping"])
    try:
        barrels = table.barrels(gauge)
    except InvalidGauge as exc:
        raise invalid(f"query.{exc.field}", exc.message) from None
    return {
        "tank_id": tank_id,
        "feet": gauge.feet,
        "inches": gauge.inches,
        "quarters": gauge.quarters,
        "level_inches": gauge.total_inches,
        "barrels": barrels,
    }
