"""Equipment: a tagged piece on a well or a tank battery (its tag unique in the organization)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ..ports import Row, WellsWork
from ..registry import Registry
from .attached import get_attached, register_attached


def _store(uow: WellsWork) -> Any:
    return uow.equipment


async def register_equipment(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> Row:
    if data.get("well_id") is None and data.get("battery_id") is None:
        raise invalid("body.well_id", "equipment sits on a well or a tank battery: give well_id or battery_id")
    duplicate = Conflict(
        "Another piece of equipment has this tag.",
        slug="duplicate-equipment-tag",
        errors=[{"field": "body.tag", "message": "already used"}],
    )
    return await register_attached(registry, actor, _store, data, duplicate)


async def get_equipment(registry: Registry, actor: Actor, equipment_id: UUID) -> Row:
    return await get_attached(registry, actor, _store, equipment_id, "equipment")


async def list_equipment(
    registry: Registry,
    actor: Actor,
    *,
    well_id: UUID | None,
    battery_id: UUID | None,
    equipment_type: str | None,
    maintenance_due_by: date | None,
    limit: int,
    offset: int,
) -> PageOf[Row]:
    async with registry.uow(actor) as uow:
        return await uow.equipment.search(
            well_id=well_id,
            battery_id=battery_id,
            equipment_type=equipment_type,
            maintenance_due_by=maintenance_due_by,
            limit=limit,
            offset=offset,
        )
