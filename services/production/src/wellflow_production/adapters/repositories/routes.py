"""Pumpers' routes: the wells assigned to a member in visiting order, and what a day's route shows of its wells
(lease, battery, status, the day's reading) and of their batteries' tanks (the day's gauge)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Select, and_, delete, exists, func, insert, select, text
from sqlalchemy.dialects.postgresql import distinct_on

from wellflow_servicekit.repository import Repository, Row

from ..tables import (
    batteries,
    battery_wells,
    leases,
    readings,
    route_assignments,
    run_ticket_rejections,
    run_tickets,
    tank_gauges,
    tanks,
    wells,
)
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
        readings.c.hours_on,
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
            batteries.c.lease_id,
            tanks.c.number,
            tanks.c.product,
            tanks.c.capacity_bbl,
            tanks.c.strapping,
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

    async def last_gauges(self, day: date, tank_ids: list[UUID]) -> list[Row]:
        """Each tank's latest observation (a gauge, or a run ticket's opening or closing) of ``day`` or before."""
        return await self.all(
            select(
                tank_gauges.c.tank_id,
                tank_gauges.c.gauged_at,
                tank_gauges.c.gauge_date,
                tank_gauges.c.feet,
                tank_gauges.c.inches,
                tank_gauges.c.quarters,
                tank_gauges.c.barrels,
                tank_gauges.c.temperature_f,
                tank_gauges.c.source,
            )
            .ext(distinct_on(tank_gauges.c.tank_id))
            .where(tank_gauges.c.tank_id.in_(tank_ids), tank_gauges.c.gauge_date <= day)
            .order_by(tank_gauges.c.tank_id, tank_gauges.c.gauged_at.desc(), tank_gauges.c.id.desc())
        )

    async def oil_since(self, battery_id: UUID, after: date, day: date) -> Decimal:
        """The oil read on the battery's wells (connected on ``day``) for production days after ``after``."""
        connected = select(battery_wells.c.well_id).where(
            battery_wells.c.battery_id == battery_id, connected_during(day, day + timedelta(days=1))
        )
        total = await self.scalar(
            select(func.coalesce(func.sum(readings.c.oil_bbl), 0)).where(
                readings.c.well_id.in_(connected), readings.c.production_date > after, readings.c.production_date <= day
            )
        )
        return Decimal(total)

    async def tickets_since(self, tank_id: UUID, after: datetime) -> Decimal:
        """The gross barrels of the run tickets taken from the tank after ``after``."""
        total = await self.scalar(
            select(func.coalesce(func.sum(run_tickets.c.gross_bbl), 0)).where(
                run_tickets.c.tank_id == tank_id,
                run_tickets.c.taken_at > after,
                ~exists().where(run_ticket_rejections.c.run_ticket_id == run_tickets.c.id),  # refused: still in
            )
        )
        return Decimal(total)

    async def ticket_parties(self, lease_ids: list[UUID], limit: int = 200) -> list[Row]:
        """The purchaser, hauler and driver of the leases' latest run tickets, newest first."""
        return await self.all(
            select(run_tickets.c.lease_id, run_tickets.c.purchaser, run_tickets.c.hauler, run_tickets.c.driver)
            .where(run_tickets.c.lease_id.in_(lease_ids))
            .order_by(run_tickets.c.taken_at.desc(), run_tickets.c.id.desc())
            .limit(limit)
        )
