"""HTTP routes for tank gauges, run tickets, gas dispositions and the production series."""

# No `from __future__ import annotations` here: FastAPI resolves the dependency aliases at import.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.kernel import invalid

from ..app import series
from ..app.common import MAX_PAGE
from ..app.field_data import gas, gauges, run_tickets
from . import schemas
from .http import Deleter, IdempotencyKey, ProductionDep, Reader, Writer, written

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
From = Annotated[date | None, Query(alias="from", description="first day (inclusive)")]
To = Annotated[date | None, Query(alias="to", description="last day (inclusive)")]


def _check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise invalid("query.from", "`from` is after `to`")


gauges_router = APIRouter(prefix="/api/v1/tank-gauges", tags=["tank gauges"])


@gauges_router.post("", status_code=201)
async def record_gauge(
    body: schemas.TankGaugeCreate, actor: Writer, production: ProductionDep, idempotency_key: IdempotencyKey = None
) -> Any:
    """A gauge of one battery tank (feet, inches, quarter-inches), converted with the tank's strapping table."""
    return written(await gauges.record_gauge(production, actor, body.model_dump(), idempotency_key))


@gauges_router.get("")
async def list_gauges(
    actor: Reader,
    production: ProductionDep,
    battery_id: UUID | None = None,
    tank_id: UUID | None = None,
    date_from: From = None,
    date_to: To = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    _check_range(date_from, date_to)
    return await gauges.list_gauges(
        production,
        actor,
        battery_id=battery_id,
        tank_id=tank_id,
        date_from=date_from,
        date_to=date_to,
        offset=offset,
        limit=limit,
    )


tickets_router = APIRouter(prefix="/api/v1/run-tickets", tags=["run tickets"])


@tickets_router.post("", status_code=201)
async def record_run_ticket(
    body: schemas.RunTicketCreate, actor: Writer, production: ProductionDep, idempotency_key: IdempotencyKey = None
) -> Any:
    """A purchaser's run ticket: gross barrels from the opening and closing gauges, net at 60 F without BS&W.
    The ticket number is unique per purchaser."""
    data = body.model_dump()
    return written(await run_tickets.record_run_ticket(production, actor, data, idempotency_key))


@tickets_router.get("")
async def list_run_tickets(
    actor: Reader,
    production: ProductionDep,
    lease_id: UUID | None = None,
    battery_id: UUID | None = None,
    purchaser: Annotated[str | None, Query(max_length=200)] = None,
    month: date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    return await run_tickets.list_run_tickets(
        production,
        actor,
        lease_id=lease_id,
        battery_id=battery_id,
        purchaser=purchaser,
        month=month,
        offset=offset,
        limit=limit,
    )


@tickets_router.get("/{ticket_id}")
async def get_run_ticket(ticket_id: UUID, actor: Reader, production: ProductionDep) -> Any:
    return await run_tickets.get_run_ticket(production, actor, ticket_id)


production_router = APIRouter(prefix="/api/v1/production", tags=["production"])


@production_router.post("/gas-dispositions", status_code=201)
async def record_gas_disposition(body: schemas.GasDispositionCreate, actor: Writer, production: ProductionDep) -> Any:
    """Gas leaving a lease for one day or a whole month, by Form PR code (10 flared and 11 vented carry their
    authority). The lease-month reports any mismatch with the lease's gas production."""
    return await gas.record_gas_disposition(production, actor, body.model_dump())


@production_router.get("/gas-dispositions")
async def list_gas_dispositions(
    actor: Reader,
    production: ProductionDep,
    lease_id: UUID | None = None,
    month: date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    return await gas.list_gas_dispositions(
        production, actor, lease_id=lease_id, month=month, offset=offset, limit=limit
    )


@production_router.delete("/gas-dispositions/{disposition_id}", status_code=204)
async def delete_gas_disposition(disposition_id: UUID, actor: Deleter, production: ProductionDep) -> Response:
    await gas.delete_gas_disposition(production, actor, disposition_id)
    return Response(status_code=204)


@production_router.get("/wells/{well_id}/daily")
async def well_daily(
    well_id: UUID, actor: Reader, production: ProductionDep, date_from: From = None, date_to: To = None
) -> Any:
    _check_range(date_from, date_to)
    return await series.daily(production, actor, well_id=well_id, lease_id=None, date_from=date_from, date_to=date_to)


@production_router.get("/wells/{well_id}/monthly")
async def well_monthly(
    well_id: UUID, actor: Reader, production: ProductionDep, date_from: From = None, date_to: To = None
) -> Any:
    _check_range(date_from, date_to)
    return await series.well_monthly(production, actor, well_id, date_from, date_to)


@production_router.get("/leases/{lease_id}/daily")
async def lease_daily(
    lease_id: UUID, actor: Reader, production: ProductionDep, date_from: From = None, date_to: To = None
) -> Any:
    _check_range(date_from, date_to)
    return await series.daily(production, actor, well_id=None, lease_id=lease_id, date_from=date_from, date_to=date_to)


@production_router.get("/leases/{lease_id}/monthly")
async def lease_monthly(
    lease_id: UUID, actor: Reader, production: ProductionDep, date_from: From = None, date_to: To = None
) -> Any:
    """Read from the lease-month rollups (kept current with every change)."""
    _check_range(date_from, date_to)
    body = await series.lease_monthly(production, actor, lease_id, date_from, date_to)
    return Response(content=body, media_type="application/json")


@production_router.get("/leases/{lease_id}/months/{month}")
async def lease_month(lease_id: UUID, month: date, actor: Reader, production: ProductionDep) -> Any:
    """One lease-month's whole picture: volumes by product, stock, dispositions, the gas mismatch, each well."""
    return await series.lease_month(production, actor, lease_id, month)


@production_router.get("/lease-months")
async def lease_months(
    actor: Reader, production: ProductionDep, month: date, limit: Limit = 100, offset: Offset = 0
) -> Any:
    return await series.lease_months_list(production, actor, month=month, offset=offset, limit=limit)


@production_router.get("/organization/daily")
async def organization_daily(
    actor: Reader, production: ProductionDep, date_from: From = None, date_to: To = None
) -> Any:
    _check_range(date_from, date_to)
    return await series.daily(production, actor, well_id=None, lease_id=None, date_from=date_from, date_to=date_to)


@production_router.get("/organization/monthly")
async def organization_monthly(
    actor: Reader, production: ProductionDep, date_from: From = None, date_to: To = None
) -> Any:
    _check_range(date_from, date_to)
    return await series.organization_monthly(production, actor, date_from, date_to)
