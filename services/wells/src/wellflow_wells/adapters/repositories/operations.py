"""Well tests, equipment and permits: rows that sit on a well and/or a tank battery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import func, select

from wellflow_servicekit.kernel import PageOf

from ...app.ports import Row
from ..tables import equipment, permits, well_tests
from .base import WellsRepository


class SqlWellTests(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(well_tests, row)

    async def list_for_well(self, well_id: UUID, *, limit: int, offset: int) -> PageOf[Row]:
        query = (
            select(well_tests, func.count().over().label("_total"))
            .where(well_tests.c.well_id == well_id)
            .order_by(well_tests.c.test_date.desc(), well_tests.c.id.desc())
        )
        return await self.page_without_tenant(query, limit=limit, offset=offset)


class SqlEquipment(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(equipment, row)

    async def get(self, equipment_id: UUID) -> Row | None:
        return await self.row_by_id(equipment, equipment_id)

    async def search(
        self,
        *,
        well_id: UUID | None,
        battery_id: UUID | None,
        equipment_type: str | None,
        maintenance_due_by: date | None,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        query = select(equipment, func.count().over().label("_total"))
        if well_id is not None:
            query = query.where(equipment.c.well_id == well_id)
        if battery_id is not None:
            query = query.where(equipment.c.battery_id == battery_id)
        if equipment_type is not None:
            query = query.where(equipment.c.equipment_type == equipment_type)
        if maintenance_due_by is not None:
            query = query.where(equipment.c.next_maintenance_date <= maintenance_due_by)
        query = query.order_by(equipment.c.tag, equipment.c.id)
        return await self.page_without_tenant(query, limit=limit, offset=offset)


class SqlPermits(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(permits, row)

    async def get(self, permit_id: UUID) -> Row | None:
        return await self.row_by_id(permits, permit_id)

    async def search(
        self,
        *,
        well_id: UUID | None,
        status: str | None,
        permit_type: str | None,
        in_force_expiring: tuple[Sequence[str], date, date] | None,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        query = select(permits, func.count().over().label("_total"))
        order = [permits.c.permit_number, permits.c.id]
        if well_id is not None:
            query = query.where(permits.c.well_id == well_id)
        if status is not None:
            query = query.where(permits.c.status == status)
        if permit_type is not None:
            query = query.where(permits.c.permit_type == permit_type)
        if in_force_expiring is not None:
            statuses, first, last = in_force_expiring
            query = query.where(
                permits.c.status.in_(list(statuses)),
                permits.c.expiration_date >= first,
                permits.c.expiration_date <= last,
            )
            order = [permits.c.expiration_date, *order]
        return await self.page_without_tenant(query.order_by(*order), limit=limit, offset=offset)
