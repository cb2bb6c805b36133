"""Daily and monthly production series per well, lease and organization over a date range.

Monthly lease and organization series read the lease-month rollups (one indexed range scan: ten years of a
lease is 120 rows); daily series and well months sum the readings themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, jsonable

from . import rollups
from .common import Production, month_start, page_body
from .ports import ProductionWork

MAX_DAYS = 366 * 20


def _range(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    end = date_to or today
    start = date_from or date(end.year - 10, end.month, 1)
    return start, end


async def _well_exists(uow: ProductionWork, well_id: UUID) -> None:
    if not await uow.series.well_known(well_id):
        raise NotFound(f"No well {well_id}.")


async def _lease_exists(uow: ProductionWork, lease_id: UUID) -> None:
    if not await uow.series.lease_known(lease_id):
        raise NotFound(f"No lease {lease_id}.")


async def daily(
    production: Production,
    actor: Actor,
    *,
    well_id: UUID | None,
    lease_id: UUID | None,
    date_from: date | None,
    date_to: date | None,
) -> dict[str, Any]:
    start, end = _range(date_from, date_to, production.today())
    async with production.uow(actor) as uow:
        if well_id is not None:
            await _well_exists(uow, well_id)
        if lease_id is not None:
            await _lease_exists(uow, lease_id)
        rows = await uow.series.daily(start, end, well_id=well_id, lease_id=lease_id)
    return {"from": start.isoformat(), "to": end.isoformat(), "points": [jsonable(r) for r in rows]}


async def well_monthly(
    production: Production, actor: Actor, well_id: UUID, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    start, end = _range(date_from, date_to, production.today())
    async with production.uow(actor) as uow:
        await _well_exists(uow, well_id)
        rows = await uow.series.well_monthly(well_id, month_start(start), end)
    points = [jsonable({**r, "month": r["month"].date()}) for r in rows]
    return {"from": start.isoformat(), "to": end.isoformat(), "points": points}


async def lease_monthly(
    production: Production, actor: Actor, lease_id: UUID, date_from: date | None, date_to: date | None
) -> str:
    """Straight from the rollup table, the JSON built by PostgreSQL in the one query: the hot path of every
    dashboard (ten years of a lease is 120 rows of one index range)."""
    start, end = _range(date_from, date_to, production.today())
    async with production.uow(actor) as uow:
        points = await uow.series.lease_monthly_json(lease_id, month_start(start), end)
        if points == "[]":
            await _lease_exists(uow, lease_id)
    return f'{{"from": "{start.isoformat()}", "to": "{end.isoformat()}", "points": {points}}}'


async def organization_monthly(
    production: Production, actor: Actor, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    start, end = _range(date_from, date_to, production.today())
    async with production.uow(actor) as uow:
        rows = await uow.series.organization_monthly(month_start(start), end)
    return {"from": start.isoformat(), "to": end.isoformat(), "points": [jsonable(r) for r in rows]}


async def lease_month(production: Production, actor: Actor, lease_id: UUID, month: date) -> dict[str, Any]:
    """The whole picture of one lease-month, as ``LeaseMonthUpdated`` carries it (per-well volumes included)."""
    first = month_start(month)
    async with production.uow(actor) as uow:
        row = await uow.series.lease_month(lease_id, first)
        if row is None:
            await _lease_exists(uow, lease_id)
            raise NotFound(f"Lease {lease_id} has no production data for {first:%Y-%m}.")
        wells_rows = await rollups.well_volumes(uow, [(lease_id, first)])
    event = rollups.month_event(actor.organization_id, row, wells_rows[(lease_id, first)])
    body = event.model_dump(mode="json", exclude={"event_id", "occurred_at", "tenant_id", "type"})
    body["reading_count"] = row["reading_count"]
    body["gas_balanced"] = row["gas_disposition_mismatch_mcf"] == 0
    return body


async def lease_months_list(
    production: Production, actor: Actor, *, month: date, offset: int, limit: int
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        rows = await uow.series.lease_months_by_name(month_start(month), offset=offset, limit=limit)
    return page_body([jsonable(r) for r in rows[:limit]], rows, offset=offset, limit=limit)
