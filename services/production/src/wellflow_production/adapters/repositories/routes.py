"""Pumpers' routes: the wells assigned to a member in visiting order, and what a day's route shows of its wells
(lease, battery, status, the day's reading) and of their batteries' tanks (the day's gauge)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import Select, and_, delete, func, insert, select, text

from wellflow_servicekit.repository import Repository, Row

from ..tables import batteries, battery_wells, leases, readings, route_assignments, tank_gauges, tanks, wells
from .sql import connected_during, status_on


def _wells_query(day: date) -> Select:
    """Every well with what the route shows of it on ``day``: lease, battery, status, the day's reading."""
    battery = (
        select(battery_wells.c.battery_id)
        .where(battery_wells.c.well_id == wells.c.id, connected_during(day, day + timedelta(days=1)))
        .order_by(battery_wells.c.effective_from.desc(), battery_wells.c.battery_id)
        .limit(1)
        .scalar_subquery()
    )
    return select(
        wells.c.id.label("well_id"),
        wells.c.name,
        wells.c.api_number,
        wells.c.lease_id,
        leases.c.name.label("lease_name"),
        battery.label("battery_id"),
        status_on(day).label("status"),
        readings.c.id.label("reading_id"),
        readings.c.version.label("reading_version"),
    ).select_from(
        wells.outerjoin(leases, leases.c.id == wells.c.lease_id).outerjoin(
            readings, and_(readings.c.well_id == wells.c.id, readings.c.production_date == day)
        )
    )


def _tanks_query(day: date, battery_ids: list[UUID]) -> Select:
    gauge = (
        select(tank_gauges.c.id)
        .where(tank_gauges.c.tank_id == tanks.c.id, tank_gauges.c.gauge_date == day)
        .order_by(tank_gauges.c.gauged_at.desc(), tank_gauges.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            tanks.c.id.label("tank_id"),
            tanks.c.battery_id,
            batteries.c.name.label("battery_name"),
            tanks.c.number,
            tanks.c.product,
            tanks.c.capacity_bbl,
            gauge.label("gauge_id"),
        )
        .select_from(tanks.join(batteries, batteries.c.id == tanks.c.battery_id))
        .where(tanks.c.active, tanks.c.battery_id.in_(battery_ids))
        .order_by(batteries.c.name, tanks.c.number, tanks.c.id)
    )


class SqlRoutes(Repository):
    async def assignment(self, user_id: UUID) -> list[Row]:
        """The member's assigned wells in visiting order, with when and by whom."""
        return await self.all(
            select(route_assignments.c.well_id, route_assignments.c.assigned_at, route_assignments.c.assigned_by)
            .where(route_assignments.c.user_id == user_id)
            .order_by(route_assignments.c.position)
        )

    async def lock(self, user_id: UUID) -> None:
        """Two managers saving the same member's route at once: the second waits, then acts on the first's
        result."""
        await self.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"production-route:{self.organization_id}:{user_id}"},
        )

    async def remove(self, user_id: UUID) -> int:
        """How many assigned wells were removed."""
        removed = await self.execute(delete(route_assignments).where(route_assignments.c.user_id == user_id))
        return removed.rowcount  # type: ignore[no-any-return]

    async def known_wells(self, well_ids: list[UUID]) -> list[UUID]:
        return list((await self.connection.scalars(select(wells.c.id).where(wells.c.id.in_(well_ids)))).all())

    async def add(self, rows: list[Row]) -> None:
        await self.execute(insert(route_assignments), rows)

    async def is_assigned(self, user_id: UUID) -> bool:
        return bool(
            await self.scalar(
                select(func.count()).select_from(route_assignments).where(route_assignments.c.user_id == user_id)
            )
        )

    async def route_wells(self, day: date, user_id: UUID, *, assigned: bool, ended: list[str]) -> list[Row]:
        """The assigned wells in visiting order; unassigned, every well whose status on ``day`` is not one of
        ``ended``, by lease then well name."""
        query = _wells_query(day)
        if assigned:
            query = query.join(
                route_assignments,
                and_(route_assignments.c.well_id == wells.c.id, route_assignments.c.user_id == user_id),
            ).order_by(route_assignments.c.position)
        else:
            query = query.where(status_on(day).not_in(ended)).order_by(
                leases.c.name.asc().nulls_last(), wells.c.name, wells.c.id
            )
        return await self.all(query)

    async def route_tanks(self, day: date, battery_ids: list[UUID]) -> list[Row]:
        return await self.all(_tanks_query(day, battery_ids))
