"""HTTP routes for what a manager watches over the tanks and the wells: each tank's daily balance and the open
tank alarms, the hauler watch, and the dollars that downtime defers."""

# No `from __future__ import annotations` here: FastAPI resolves the dependency aliases at import.

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from ..app import deferred, hauler_watch, tank_ledger
from ..app.common import MAX_PAGE
from .http import ProductionDep, Reader

oversight_router = APIRouter(prefix="/api/v1/production", tags=["tank balance and oversight"])


@oversight_router.get("/tanks/{tank_id}/balance")
async def tank_balance(
    tank_id: UUID,
    actor: Reader,
    production: ProductionDep,
    first: Annotated[date, Query(alias="from", description="first day (YYYY-MM-DD)")],
    last: Annotated[date, Query(alias="to", description="last day, at most 366 days after `from`")],
) -> Any:
    """The tank's balance for each day: production in, run tickets out (refused loads stay in), the expected
    level against the pumper's gauge, the gap and its threshold, and whether the gauge has stopped moving."""
    return await tank_ledger.tank_daily_balance(production, actor, tank_id, first, last)


@oversight_router.get("/tank-alarms")
async def tank_alarms(
    actor: Reader,
    production: ProductionDep,
    lease_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Open (unacknowledged) tank alarms, the latest day first: balance gaps and gauges that have not moved.
    Acknowledge one with POST /api/v1/production-alerts/{alert_id}/acknowledge."""
    return await tank_ledger.open_tank_alarms(production, actor, lease_id=lease_id, offset=offset, limit=limit)


@oversight_router.get("/deferred")
async def deferred_summary(
    actor: Reader,
    production: ProductionDep,
    first: Annotated[date, Query(alias="from", description="first production day (YYYY-MM-DD)")],
    last: Annotated[date, Query(alias="to", description="last production day, at most 366 days after `from`")],
    group_by: Literal["well", "lease", "reason", "month"] = "reason",
    lease_id: UUID | None = None,
    well_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Deferred production (downtime hours x the well's expected rate: its decline fit, else its latest well
    test, else its trailing average) and its dollars at the month's prices x the operator's net revenue interest,
    per well, lease, reason or month, the largest dollars first."""
    return await deferred.deferred_summary(
        production, actor, first, last, group_by, lease_id=lease_id, well_id=well_id, offset=offset, limit=limit
    )


@oversight_router.get("/deferred/weekly")
async def deferred_weekly(
    actor: Reader,
    production: ProductionDep,
    weeks: Annotated[int, Query(ge=1, le=26, description="how many weeks, Monday to Sunday")] = 8,
    through: Annotated[date | None, Query(description="a day of the last week (default: today)")] = None,
) -> Any:
    """Deferred dollars per week and downtime reason, for the owner's weekly look."""
    return await deferred.weekly_by_reason(production, actor, weeks, through or production.today())


@oversight_router.get("/hauler-watch")
async def hauler_watch_summary(
    actor: Reader,
    production: ProductionDep,
    first: Annotated[date, Query(alias="from", description="first day of the tickets (YYYY-MM-DD)")],
    last: Annotated[date, Query(alias="to", description="last day, at most 366 days after `from`")],
    by: Literal["hauler", "purchaser"] = "hauler",
    lease_id: UUID | None = None,
    min_tickets: Annotated[int, Query(ge=2, le=1000, description="tickets needed before a bias is flagged")] = 10,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Each run ticket's gross barrels against what its tank's balance says left (the pumper's gauges around
    it and the wells' readings), summed up per hauler or purchaser: mean difference, standard error, t, and a
    flag when the bias differs from 0 at 95 % over at least `min_tickets` tickets."""
    return await hauler_watch.hauler_watch(
        production, actor, first, last, by, lease_id=lease_id, min_tickets=min_tickets, offset=offset, limit=limit
    )
