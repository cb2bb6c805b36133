"""Daily well readings and their history of corrections and deletions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, or_, select, update

from wellflow_servicekit.repository import Repository, Row

from ..tables import reading_history, readings

_NEWEST_OF_WELL = (
    f"SELECT {', '.join(column.name for column in readings.c)} FROM readings WHERE well_id = $1 "
    "ORDER BY production_date DESC, id DESC LIMIT $2"
)


class SqlReadings(Repository):
    async def clash(self, row: Row) -> Row | None:
        """The reading holding ``row``'s id or its well and day."""
        return await self.optional(
            select(readings.c.id, readings.c.version, readings.c.well_id, readings.c.production_date).where(
                or_(
                    readings.c.id == row["id"],
                    and_(readings.c.well_id == row["well_id"], readings.c.production_date == row["production_date"]),
                )
            )
        )

    async def get(self, reading_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(readings).where(readings.c.id == reading_id)
        if lock:
            query = query.with_for_update()
        return await self.optional(query)

    async def newest_first(
        self,
        *,
        well_id: UUID | None,
        lease_id: UUID | None,
        date_from: date | None,
        date_to: date | None,
        source: str | None,
        after: tuple[date, UUID] | None,
        limit: int,
    ) -> list[Row]:
        """Up to ``limit + 1`` readings, newest day first, after the cursor's (day, id)."""
        driver = self.driver_if_begun()
        only_the_well = well_id is not None and lease_id is None and source is None and after is None
        if driver is not None and only_the_well and date_from is None and date_to is None:
            # A well's latest readings (the pumper's and the console's page): the prepared statement.
            return [dict(row) for row in await driver.fetch(_NEWEST_OF_WELL, well_id, limit + 1)]
        query = select(readings).order_by(readings.c.production_date.desc(), readings.c.id.desc())
        for column, value in (
            (readings.c.well_id, well_id),
            (readings.c.lease_id, lease_id),
            (readings.c.source, source),
        ):
            if value is not None:
                query = query.where(column == value)
        if date_from is not None:
            query = query.where(readings.c.production_date >= date_from)
        if date_to is not None:
            query = query.where(readings.c.production_date <= date_to)
        if after is not None:
            day, last_id = after
            query = query.where(
                or_(readings.c.production_date < day, and_(readings.c.production_date == day, readings.c.id < last_id))
            )
        return await self.all(query.limit(limit + 1))

    async def change(self, reading_id: UUID, version: int, values: dict[str, Any]) -> Row:
        """Write ``values`` over the reading at ``version`` (locked by ``get(lock=True)``)."""
        return await self.one(
            update(readings)
            .where(readings.c.id == reading_id, readings.c.version == version)
            .values(**values)
            .returning(readings)
        )

    async def remove(self, reading_id: UUID) -> None:
        await self.execute(delete(readings).where(readings.c.id == reading_id))

    async def add_history(self, row: Row) -> None:
        await self.execute(insert(reading_history).values(row))

    async def history(self, reading_id: UUID) -> list[Row]:
        return await self.all(
            select(reading_history)
            .where(reading_history.c.reading_id == reading_id)
            .order_by(reading_history.c.version, reading_history.c.changed_at)
        )

    async def recent(self, well_ids: list[UUID], day: date, days: int) -> dict[UUID, Row]:
        """Per well: its days on production (hours on above 0) in the ``days`` before ``day`` and their mean
        volumes (``reading_rules.RecentDays``)."""
        if not well_ids:
            return {}
        rows = await self.all(
            select(
                readings.c.well_id,
                func.count().label("days"),
                func.round(func.avg(readings.c.oil_bbl), 3).label("oil_bbl"),
                func.round(func.avg(readings.c.gas_mcf), 3).label("gas_mcf"),
                func.round(func.avg(readings.c.water_bbl), 3).label("water_bbl"),
            )
            .where(
                readings.c.well_id.in_(well_ids),
                readings.c.production_date >= day - timedelta(days=days),
                readings.c.production_date < day,
                readings.c.hours_on > 0,
            )
            .group_by(readings.c.well_id)
        )
        return {row["well_id"]: row for row in rows}

    async def latest_before(self, well_ids: list[UUID], day: date) -> dict[UUID, Row]:
        """Per well: its last reading before ``day`` (what the phone shows under each field)."""
        if not well_ids:
            return {}
        newest = (
            select(readings.c.well_id, func.max(readings.c.production_date).label("day"))
            .where(readings.c.well_id.in_(well_ids), readings.c.production_date < day)
            .group_by(readings.c.well_id)
            .subquery()
        )
        rows = await self.all(
            select(readings).join(
                newest, and_(readings.c.well_id == newest.c.well_id, readings.c.production_date == newest.c.day)
            )
        )
        return {row["well_id"]: row for row in rows}

    async def on_day(self, well_ids: list[UUID], day: date) -> dict[UUID, Row]:
        if not well_ids:
            return {}
        rows = await self.all(
            select(readings).where(readings.c.well_id.in_(well_ids), readings.c.production_date == day)
        )
        return {row["well_id"]: row for row in rows}
