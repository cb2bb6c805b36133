"""Wells and their status history; the list filters (one of them by the battery a well flows into now)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import escape_like, order_by, without_tenant

from ...app.ports import Row
from ..tables import battery_wells, well_status_history, wells
from .base import WellsRepository

SORTS = {
    "name": wells.c.name,
    "api_number": wells.c.api_number,
    "status": wells.c.status,
    "spud_date": wells.c.spud_date,
    "created_at": wells.c.created_at,
}


class SqlWells(WellsRepository):
    async def add(self, row: Row) -> Row:
        return await self.insert_row(wells, row)

    async def get(self, well_id: UUID, *, lock: bool = False) -> Row | None:
        return await self.row_by_id(wells, well_id, lock=lock)

    async def api_number_taken(self, api_number: str, *, other_than: UUID | None = None) -> bool:
        query = select(wells.c.id).where(wells.c.api_number == api_number)
        if other_than is not None:
            query = query.where(wells.c.id != other_than)
        return await self.scalar(query) is not None

    async def change(self, well_id: UUID, changes: Row) -> Row:
        return await self.update_row(wells, well_id, changes)

    async def record_history(self, row: Row) -> None:
        await self.execute(insert(well_status_history).values({**row, "organization_id": self.organization_id}))

    async def history(self, well_id: UUID) -> list[Row]:
        query = (
            select(well_status_history)
            .where(well_status_history.c.well_id == well_id)
            .order_by(well_status_history.c.changed_at, well_status_history.c.id)
        )
        return [without_tenant(row) for row in await self.all(query)]

    async def search(
        self,
        *,
        status: Sequence[str],
        lease_id: UUID | None,
        field_id: UUID | None,
        battery_id: UUID | None,
        county: str | None,
        well_type: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> PageOf[Row]:
        conditions: list[Any] = []
        if battery_id is not None:  # wells flowing into the battery now
            connected = select(battery_wells.c.well_id).where(
                battery_wells.c.battery_id == battery_id, battery_wells.c.effective_to.is_(None)
            )
            conditions.append(wells.c.id.in_(connected))
        if status:
            conditions.append(wells.c.status.in_(list(status)))
        if lease_id is not None:
            conditions.append(wells.c.lease_id == lease_id)
        if field_id is not None:
            conditions.append(wells.c.field_id == field_id)
        if county is not None:
            conditions.append(func.lower(wells.c.county) == county.lower())
        if well_type is not None:
            conditions.append(wells.c.well_type == well_type)
        if q:
            conditions.append(_text_match(q))
        query = select(wells, func.count().over().label("_total")).where(and_(true(), *conditions))
        query = query.order_by(*order_by(sort, SORTS), wells.c.id)
        return await self.page_without_tenant(query, limit=limit, offset=offset)


def _text_match(q: str) -> Any:
    """The text in the name, or the digits of the query in the API number (dashes ignored)."""
    matches = [wells.c.name.ilike(f"%{escape_like(q)}%")]
    digits = "".join(ch for ch in q if ch in "0123456789")  # ASCII only, like the API numbers stored
    if digits:
        matches.append(wells.c.api_number.like(f"%{digits}%"))
    return or_(*matches)
