"""Rows that sit on a well and/or a tank battery of this organization (equipment, permits)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_servicekit.kernel import Actor, invalid

from ..ports import Row, Taken, WellsWork
from ..registry import Registry


async def check_well(uow: WellsWork, well_id: UUID | None) -> None:
    if well_id is not None and await uow.wells.get(well_id) is None:
        raise invalid("body.well_id", f"no well {well_id} in this organization")


async def check_battery(uow: WellsWork, battery_id: UUID | None) -> None:
    if battery_id is not None and not await uow.batteries.exists(battery_id):
        raise invalid("body.battery_id", f"no tank battery {battery_id} in this organization")


async def register_attached(
    registry: Registry, actor: Actor, store: Callable[[WellsWork], Any], data: Mapping[str, Any], duplicate: Conflict
) -> Row:
    """Add a row to ``store(uow)`` after checking its well and battery; a unique-key clash answers
    ``duplicate``."""
    try:
        async with registry.uow(actor) as uow:
            await check_well(uow, data.get("well_id"))
            await check_battery(uow, data.get("battery_id"))
            row: Row = await store(uow).add({**data, "id": uuid7(), "created_at": registry.clock()})
            return row
    except Taken:
        raise duplicate from None


async def get_attached(
    registry: Registry, actor: Actor, store: Callable[[WellsWork], Any], row_id: UUID, what: str
) -> Row:
    async with registry.uow(actor) as uow:
        row: Row | None = await store(uow).get(row_id)
    if row is None:
        raise NotFound(f"No {what} {row_id}.")
    return row
