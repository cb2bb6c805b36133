"""Read one well, its status history, or a filtered, sorted page of wells."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from wellflow_servicekit.kernel import Actor, PageOf

from ..ports import Row
from ..registry import Registry
from .common import find_well


async def get_well(registry: Registry, actor: Actor, well_id: UUID) -> Row:
    async with registry.uow(actor) as uow:
        return await find_well(uow, well_id)


async def status_history(registry: Registry, actor: Actor, well_id: UUID) -> list[Row]:
    async with registry.uow(actor) as uow:
        await find_well(uow, well_id)
        return await uow.wells.history(well_id)


async def list_wells(
    registry: Registry,
    actor: Actor,
    *,
    status: Sequence[str] = (),
    lease_id: UUID | None = None,
    field_id: UUID | None = None,
    battery_id: UUID | None = None,
    county: str | None = None,
    well_type: str | None = None,
    q: str | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
) -> PageOf[Row]:
    async with registry.uow(actor) as uow:
        return await uow.wells.search(
            status=status,
            lease_id=lease_id,
            field_id=field_id,
            battery_id=battery_id,
            county=county,
            well_type=well_type,
            q=q,
            sort=sort,
            limit=limit,
            offset=offset,
        )
