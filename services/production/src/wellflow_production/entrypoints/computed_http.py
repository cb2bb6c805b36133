"""HTTP routes for what production computes: allocations, decline forecasts and alerts."""

# No `from __future__ import annotations` here: FastAPI resolves the dependency aliases at import.

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from wellflow_servicekit.kernel import invalid

from ..app import alerts, allocation, forecasts
from ..app.common import MAX_PAGE
from . import schemas
from .http import ProductionDep, Reader, Writer

allocations_router = APIRouter(prefix="/api/v1/allocations", tags=["allocation"])


@allocations_router.get("")
async def battery_allocation(
    actor: Reader,
    production: ProductionDep,
    battery_id: UUID,
    month: Annotated[date, Query(description="any day of the month (YYYY-MM-DD)")],
) -> Any:
    """The battery's measured oil for the month (stock change + barrels run) allocated to its producing wells
    by well-test rate x hours on, for the month and each gauged day; the shares add up exactly."""
    return await allocation.battery_allocation(production, actor, battery_id, month)


forecasts_router = APIRouter(prefix="/api/v1/forecasts", tags=["forecasts"])


@forecasts_router.get("/wells/{well_id}")
async def well_forecast(
    well_id: UUID,
    actor: Reader,
    production: ProductionDep,
    product: Literal["oil", "gas"] = "oil",
    days: Annotated[int, Query(ge=1, le=3650, description="forecast days after the last reading")] = 365,
    economic_limit: Annotated[Decimal | None, Query(gt=0, description="units/day; default: the organization's")] = None,
) -> Any:
    """Arps modified hyperbolic fitted to the well's daily history: qi, Di, b, Dterm, fit error, forecast, EUR."""
    return await forecasts.well_forecast(
        production, actor, well_id, product=product, days=days, economic_limit=economic_limit
    )


alerts_router = APIRouter(prefix="/api/v1/production-alerts", tags=["alerts"])


@alerts_router.get("")
async def list_alerts(
    actor: Reader,
    production: ProductionDep,
    kind: Literal[
        "missing_reading",
        "zero_hours",
        "below_expectation",
        "tank_high",
        "negative_stock",
        "tank_balance_gap",
        "tank_gauge_stale",
    ]
    | None = None,
    well_id: UUID | None = None,
    lease_id: UUID | None = None,
    day_from: Annotated[date | None, Query(alias="from")] = None,
    day_to: Annotated[date | None, Query(alias="to")] = None,
    acknowledged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    if day_from and day_to and day_from > day_to:
        raise invalid("query.from", "`from` is after `to`")
    return await alerts.list_alerts(
        production,
        actor,
        kind=kind,
        well_id=well_id,
        lease_id=lease_id,
        day_from=day_from,
        day_to=day_to,
        acknowledged=acknowledged,
        offset=offset,
        limit=limit,
    )


@alerts_router.post("/checks", status_code=200)
async def run_check(body: schemas.AlertCheckCreate, actor: Writer, production: ProductionDep) -> Any:
    """Run the alert check for one day now (the service also runs it for yesterday periodically)."""
    if body.day > production.today():
        raise invalid("body.day", "the check runs on days that have happened")
    return await alerts.check_day(production, actor, body.day)


@alerts_router.post("/{alert_id}/acknowledge")
async def acknowledge(
    alert_id: UUID, actor: Writer, production: ProductionDep, body: schemas.AcknowledgementCreate | None = None
) -> Any:
    """Mark an alert as seen, with who, when and an optional note."""
    return await alerts.acknowledge(production, actor, alert_id, body.note if body else None)
