"""Connect a well to a battery from a day, or end its open connection on a day."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, invalid

from ..ports import Row
from ..registry import Registry
from .common import configuration, connect, find_battery, record_configuration


async def connect_well(
    registry: Registry, actor: Actor, battery_id: UUID, well_id: UUID, start: date, end: date | None
) -> Row:
    async with registry.uow(actor) as uow:
        battery = await find_battery(uow, battery_id, lock=True)
        await connect(uow, battery_id, well_id, start, end, "body")
        config = await configuration(uow, battery)
        record_configuration(uow, actor, config)
    return config


async def disconnect_well(registry: Registry, actor: Actor, battery_id: UUID, well_id: UUID, end: date) -> Row:
    async with registry.uow(actor) as uow:
        battery = await find_battery(uow, battery_id, lock=True)
        open_link = await uow.batteries.open_connection(battery_id, well_id)
        if open_link is None:
            raise NotFound(f"Well {well_id} is not connected to battery {battery_id}.")
        if end <= open_link["effective_from"]:
            raise invalid("body.effective_to", f"must be after the connection began ({open_link['effective_from']})")
        await uow.batteries.end_connection(open_link["id"], end)
        config = await configuration(uow, battery)
        record_configuration(uow, actor, config)
    return config
