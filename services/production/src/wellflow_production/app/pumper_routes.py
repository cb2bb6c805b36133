"""The pumper's daily route: the wells a member is given to visit (assigned by a manager or owner, in visiting
order) and the day's route built from them: each well with its reading of the day, each tank of the batteries
those wells flow into with its gauge of the day.

A member without assignments gets every well that may still produce (``domain.route.ENDED_STATUSES`` are left
out), by lease then well name. Statuses and battery connections are those in effect on the route's day.

Production does not hold the organization's members, so a user id alone says nothing about membership: another
member's route, or their assignment, is 404 until a route was assigned to them in this organization (as any
other organization's id is 404 here). Only the caller's own route falls back to the default one.

An organization may have its routes ordered by dollars at risk (``route_by_dollars_at_risk``, a manager's
setting): the wells whose downtime deferred the most dollars in the week before the day come first
(``app.deferred.dollars_at_risk``); ``ordered_by`` says which order the route is in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound, UnprocessableContent
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ..domain import tank_balance
from ..domain.route import (
    ENDED_STATUSES,
    RouteError,
    by_dollars_at_risk,
    check_route_day,
    duplicate_positions,
    progress,
    unknown_positions,
)
from .common import Production
from .deferred import dollars_at_risk
from .organization import load_settings
from .ports import ProductionWork
from .readings.shared import VALUE_FIELDS
from .route_tanks import tank_stops, ticket_parties

AT_RISK_DAYS = 7  # the deferred dollars of the week before the route's day order it, when the option is on


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


async def _assignment(uow: ProductionWork, user_id: UUID) -> dict[str, Any]:
    rows = await uow.routes.assignment(user_id)
    if not rows:
        raise _no_route(user_id)
    return {
        "user_id": str(user_id),
        "well_ids": [str(row["well_id"]) for row in rows],
        "assigned_at": rows[0]["assigned_at"].isoformat(),
        "assigned_by": rows[0]["assigned_by"],
    }


async def get_assignment(production: Production, actor: Actor, user_id: UUID) -> dict[str, Any]:
    """The member's assigned wells in visiting order."""
    async with production.uow(actor) as uow:
        return await _assignment(uow, user_id)


async def remove_route(production: Production, actor: Actor, user_id: UUID) -> None:
    """The member walks the default route again."""
    async with production.uow(actor) as uow:
        await uow.routes.lock(user_id)
        if await uow.routes.remove(user_id) == 0:
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
        await uow.routes.lock(user_id)
        known = await uow.routes.known_wells(well_ids)
        unknown = unknown_positions(well_ids, known)
        if unknown:
            raise _route_problem(
                [
                    {"field": f"body.well_ids[{i}]", "message": f"Well {well_ids[i]} is not known to production."}
                    for i in unknown
                ]
            )
        await uow.routes.remove(user_id)
        await uow.routes.add(
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


def _shown(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"production_date": row["production_date"], **{k: row[k] for k in VALUE_FIELDS}}


def _recent(row: dict[str, Any] | None, trailing: int) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"trailing_days": trailing, **{k: row[k] for k in ("days", "oil_bbl", "gas_mcf", "water_bbl")}}


async def _with_readings(uow: ProductionWork, wells: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """Each well with what the phone needs to check and correct offline: the day's reading (``reading``, to
    correct it), the last one before (``last``, shown under each field) and the mean of its recent days on
    production (``recent``, for the plausibility question), in three queries for the whole route."""
    ids = [w["well_id"] for w in wells]
    trailing = (await load_settings(uow)).trailing_days
    today, last, recent = (
        await uow.readings.on_day(ids, day),
        await uow.readings.latest_before(ids, day),
        await uow.readings.recent(ids, day, trailing),
    )
    return [
        {
            **row,
            "done": row["reading_id"] is not None,
            "reading": _shown(today.get(row["well_id"])),
            "last": _shown(last.get(row["well_id"])),
            "recent": _recent(recent.get(row["well_id"]), trailing),
        }
        for row in wells
    ]


async def daily_route(production: Production, actor: Actor, user_id: UUID, day: date) -> dict[str, Any]:
    """The member's route on ``day``: its wells and tanks, each done or not, and how many stops are done.
    Another member's route is 404 until one was assigned to them (see the module's docstring)."""
    try:
        check_route_day(day, production.today())
    except RouteError as exc:
        raise invalid("query.date", exc.message) from None
    async with production.uow(actor) as uow:
        assigned = await uow.routes.is_assigned(user_id)
        if not assigned and not _is_caller(actor, user_id):
            raise _no_route(user_id)
        wells = await uow.routes.route_wells(day, user_id, assigned=assigned, ended=sorted(ENDED_STATUSES))
        route_wells = await _with_readings(uow, wells, day)
        ordered_by = "assigned" if assigned else "default"
        if (await load_settings(uow)).route_by_dollars_at_risk:
            at_risk = await dollars_at_risk(uow, day - timedelta(days=1), AT_RISK_DAYS)
            route_wells = by_dollars_at_risk(route_wells, at_risk)
            ordered_by = "dollars_at_risk"
        battery_ids = list(dict.fromkeys(w["battery_id"] for w in route_wells if w["battery_id"] is not None))
        route_tanks = await tank_stops(uow, day, battery_ids) if battery_ids else []
        lease_ids = list(dict.fromkeys(t["lease_id"] for t in route_tanks if t["lease_id"] is not None))
        parties = await ticket_parties(uow, lease_ids)
    done, total = progress(route_wells, route_tanks)
    return jsonable(
        {
            "date": day,
            "user_id": user_id,
            "assigned": assigned,
            "ordered_by": ordered_by,
            "wells": route_wells,
            "tanks": route_tanks,
            "done": done,
            "total": total,
            "ticket_parties": parties,
            "balance_rule": tank_balance.rule(),
        }
    )
