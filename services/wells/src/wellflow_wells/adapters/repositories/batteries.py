"""Tank batteries, their tanks (the strapping table kept as decimal strings in JSONB) and the effective-dated
connections of wells to them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true, update

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import without_tenant

from ...app.ports import Row
from ..tables import batteries, battery_wells, tanks, wells
from .base import WellsRepository


class SqlBatteries(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(batteries, row)

    async def get(self, battery_id: UUID, *, lock: bool = False) -> Row | None:
        return await self.row_by_id(batteries, battery_id, lock=lock)

    async def exists(self, battery_id: UUID) -> bool:
        return await self.id_exists(batteries, battery_id)

    async def search(self, *, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]:
        query = select(batteries, func.count().over().label("_total"))
        if lease_id is not None:
            query = query.where(batteries.c.lease_id == lease_id)
        query = query.order_by(batteries.c.name, batteries.c.id)
        return await self.page_without_tenant(query, limit=limit, offset=offset)

    async def add_tank(self, row: Row) -> None:
        strapping = [[str(level), str(bbl)] for level, bbl in row["strapping"]]
        await self.insert_row(tanks, {**row, "strapping": strapping})

    async def tanks(self, battery_id: UUID) -> list[Row]:
        query = select(tanks).where(tanks.c.battery_id == battery_id).order_by(tanks.c.number)
        return [_tank(row) for row in await self.all(query)]

    async def tank(self, battery_id: UUID, tank_id: UUID) -> Row | None:
        row = await self.optional(select(tanks).where(tanks.c.id == tank_id, tanks.c.battery_id == battery_id))
        return _tank(row) if row is not None else None

    async def connections(self, battery_id: UUID) -> list[Row]:
        query = (
            select(battery_wells, wells.c.api_number, wells.c.name.label("well_name"))
            .join(wells, wells.c.id == battery_wells.c.well_id)
            .where(battery_wells.c.battery_id == battery_id)
            .order_by(battery_wells.c.effective_from, wells.c.name)
        )
        return [without_tenant(row) for row in await self.all(query)]

    async def lock_well(self, well_id: UUID) -> bool:
        return await self.scalar(select(wells.c.id).where(wells.c.id == well_id).with_for_update()) is not None

    async def overlapping_connection(self, well_id: UUID, start: date, end: date | None) -> Row | None:
        overlap = and_(
            battery_wells.c.well_id == well_id,
            or_(battery_wells.c.effective_to.is_(None), battery_wells.c.effective_to > start),
            battery_wells.c.effective_from < end if end is not None else true(),
        )
        return await self.optional(select(battery_wells).where(overlap))

    async def connect(self, row: Row) -> None:
        await self.execute(insert(battery_wells).values({**row, "organization_id": self.organization_id}))

    async def open_connection(self, battery_id: UUID, well_id: UUID) -> Row | None:
        query = select(battery_wells).where(
            battery_wells.c.battery_id == battery_id,
            battery_wells.c.well_id == well_id,
            battery_wells.c.effective_to.is_(None),
        )
        return await self.optional(query)

    async def end_connection(self, connection_id: UUID, end: date) -> None:
        await self.execute(update(battery_wells).where(battery_wells.c.id == connection_id).values(effective_to=end))


def _tank(row: Any) -> Row:
    return {
        **without_tenant(row),
        "strapping": [(Decimal(level), Decimal(bbl)) for level, bbl in row["strapping"]],
    }
