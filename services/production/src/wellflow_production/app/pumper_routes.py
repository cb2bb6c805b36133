"""The pumper's daily route: the wells a member is given to visit (assigned by a manager or owner, in visiting
order) and the day's route built from them: each well with its reading of the day, each tank of the batteries
those wells flow into with its gauge of the day.

A member without assignments gets every well that may still produce (``domain.route.ENDED_STATUSES`` are left
out), by lease then well name. Statuses and battery connections are those in effect on the route's day.

Production does not hold the organization's members, so a user id alone says nothing about membership: another
member's route, or their assignment, is 404 until a route was assigned to them in this organization (as any
other organization's id is 404 here). Only the caller's own route falls back to the default one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, delete, func, insert, select, text

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import NotFound, UnprocessableContent

from ..adapters.tables import batteries, battery_wells, leases, readings, route_assignments, tank_gauges, tanks, wells
from ..domain.route import ENDED_STATUSES, RouteError, check_route_day, duplicate_positions, progress, unknown_positions
from .assets import connected_during, status_on
from .common import Actor, Production, invalid, jsonable


def _route_problem(errors: list[dict[str, str]]) -> UnprocessableContent:
    detail = "; ".join(e["message"] for e in errors[:5]) + (f"; and {len(errors) - 5} more" if len(errors) > 5 else "")
    return UnprocessableContent(detail, slug="validation-error", errors=errors)


def _is_caller(actor: Actor, user_id: UUID) -> bool:
    try:
        return UUID(actor.id) == user_id
    except ValueError:
        return False


def _no_route(user_id: UUID) -> NotFound:
    return NotFound(f"No route is assigned to member {user_id} in this organization.", slug="no-route")


async def _assignment(uow: UnitOfWork, user_id: UUID) -> dict[str, Any]:
    rows = (
        await uow.connection.execute(
            select(route_assignments.c.well_id, route_assignments.c.assigned_at, route_assignments.c.assigned_by)
            .where(route_assignments.c.user_id == user_id)
            .order_by(route_assignments.c.position)
        )
    ).all()
    if not rows:
        raise _no_route(user_id)
    return {
        "user_id": str(user_id),
        "well_ids": [str(row.well_id) for row in rows],
        "assigned_at": rows[0].assigned_at.isoformat(),
        "assigned_by": rows[0].assigned_by,
    }


async def get_assignment(production: Production, actor: Actor, user_id: UUID) -> dict[str, Any]:
    """The member's assigned wells in visiting order."""
    async with production.uow(actor) as uow:
        return await _assignment(uow, user_id)


async def _lock_route(uow: UnitOfWork, actor: Actor, user_id: UUID) -> None:
    """Two managers saving the same member's route at once: the second waits, then acts on the first's result."""
    await uow.connection.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
        {"key": f"production-route:{actor.organization_id}:{user_id}"},
    )


async def remove_route(production: Production, actor: Actor, user_id: UUID) -> None:
    """The member walks the default route again."""
    async with production.uow(actor) as uow:
        await _lock_route(uow, actor, user_id)
        removed = await uow.connection.execute(delete(route_assignments).where(route_assignments.c.user_id == user_id))
        if removed.rowcount == 0:
            raise _no_route(user_id)


async def assign_route(production: Production, actor: Actor, user_id: UUID, well_ids: list[UUID]) -> dict[str, Any]:
    """Replace the member's route by ``well_ids`` (at least one) in that order."""
    repeated = duplicate_positions(well_ids)
    if repeated:
        raise _route_problem(
            [{"field": f"body.well_ids[{i}]", "message": f"Well {well_ids[i]} is listed twice."} for i in repeated]
        )
    now: datetime = production.clock()
    async with production.uow(actor) as uow:
        await _lock_route(uow, actor, user_id)
        known = (await uow.connection.scalars(select(wells.c.id).where(wells.c.id.in_(well_ids)))).all()
        unknown = unknown_positions(well_ids, known)
        if unknown:
            raise _route_problem(
                [
                    {"field": f"body.well_ids[{i}]", "message": f"Well {well_ids[i]} is not known to production."}
                    for i in unknown
                ]
            )
        await uow.connection.execute(delete(route_assignments).where(route_assignments.c.user_id == user_id))
        await uow.connection.execute(
            insert(route_assignments),
            [
                {
                    "organization_id": actor.organization_id,
                    "user_id": user_id,
                    "well_id": well_id,
                    "position": position,
                    "assigned_by": actor.id,
                    "assigned_at": now,
                }
                for position, well_id in enumerate(well_ids, start=1)
            ],
        )
        return await _assignment(uow, user_id)


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


async def daily_route(production: Production, actor: Actor, user_id: UUID, day: date) -> dict[str, Any]:
    """The member's route on ``day``: its wells and tanks, each done or not, and how many stops are done.
    Another member's route is 404 until one was assigned to them (see the module's docstring)."""
    try:
        check_route_day(day, production.today())
    except RouteError as exc:
        raise invalid("query.date", exc.message) from None
    async with production.uow(actor) as uow:
        assigned = bool(
            await uow.connection.scalar(
                select(func.count()).select_from(route_assignments).where(route_assignments.c.user_id == user_id)
            )
        )
        if not assigned and not _is_caller(actor, user_id):
            raise _no_route(user_id)
        query = _wells_query(day)
        if assigned:
            query = query.join(
                route_assignments,
                and_(route_assignments.c.well_id == wells.c.id, route_assignments.c.user_id == user_id),
            ).order_by(route_assignments.c.position)
        else:
            query = query.where(status_on(day).not_in(sorted(ENDED_STATUSES))).order_by(
                leases.c.name.asc().nulls_last(), wells.c.name, wells.c.id
            )
        route_wells = [
            {**row, "done": row["reading_id"] is not None}
            for row in (await uow.connection.execute(query)).mappings().all()
        ]
        battery_ids = list(dict.fromkeys(w["battery_id"] for w in route_wells if w["battery_id"] is not None))
        route_tanks = []
        if battery_ids:
            route_tanks = [
                {**row, "gauged": row["gauge_id"] is not None}
                for row in (await uow.connection.execute(_tanks_query(day, battery_ids))).mappings().all()
            ]
    done, total = progress(route_wells, route_tanks)
    return jsonable(
        {
            "date": day,
            "user_id": user_id,
            "assigned": assigned,
            "wells": route_wells,
            "tanks": route_tanks,
            "done": done,
            "total": total,
        }
    )
