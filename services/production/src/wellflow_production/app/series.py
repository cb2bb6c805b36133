"""Daily and monthly production series per well, lease and organization over a date range.

Monthly lease and organization series read the lease-month rollups (one indexed range scan: ten years of a
lease is 120 rows); daily series and well months sum the readings themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text

from wellflow_servicekit.problems import NotFound

from ..adapters.tables import lease_months, leases, readings, wells
from .common import Actor, Production, jsonable, month_start

MAX_DAYS = 366 * 20


def _range(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    end = date_to or today
    start = date_from or date(end.year - 10, end.month, 1)
    return start, end


async def _exists(uow: Any, table: Any, key: UUID, what: str) -> None:
    if await uow.connection.scalar(select(table.c.id).where(table.c.id == key)) is None:
        raise NotFound(f"No {what} {key}.")


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
    day = readings.c.production_date
    query = (
        select(
            day.label("day"),
            func.sum(readings.c.oil_bbl).label("oil_bbl"),
            func.sum(readings.c.gas_mcf).label("gas_mcf"),
            func.sum(readings.c.water_bbl).label("water_bbl"),
            func.sum(readings.c.hours_on).label("hours_on"),
            func.count().label("readings"),
        )
        .where(day >= start, day <= end)
        .group_by(day)
        .order_by(day)
    )
    async with production.uow(actor) as uow:
        if well_id is not None:
            await _exists(uow, wells, well_id, "well")
            query = query.where(readings.c.well_id == well_id)
        if lease_id is not None:
            await _exists(uow, leases, lease_id, "lease")
            query = query.where(readings.c.lease_id == lease_id)
        rows = (await uow.connection.execute(query)).mappings().all()
    return {"from": start.isoformat(), "to": end.isoformat(), "points": [jsonable(dict(r)) for r in rows]}


async def well_monthly(
    production: Production, actor: Actor, well_id: UUID, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    start, end = _range(date_from, date_to, production.today())
    month = func.date_trunc("month", readings.c.production_date).label("month")
    query = (
        select(
            month,
            func.sum(readings.c.oil_bbl).label("oil_bbl"),
            func.sum(readings.c.gas_mcf).label("gas_mcf"),
            func.sum(readings.c.water_bbl).label("water_bbl"),
            func.count()
            .filter((readings.c.hours_on > 0) | (readings.c.oil_bbl > 0) | (readings.c.gas_mcf > 0))
            .label("production_days"),
        )
        .where(
            readings.c.well_id == well_id,
            readings.c.production_date >= month_start(start),
            readings.c.production_date <= end,
        )
        .group_by(month)
        .order_by(month)
    )
    async with production.uow(actor) as uow:
        await _exists(uow, wells, well_id, "well")
        rows = (await uow.connection.execute(query)).mappings().all()
    points = [jsonable({**dict(r), "month": r["month"].date()}) for r in rows]
    return {"from": start.isoformat(), "to": end.isoformat(), "points": points}


_LEASE_MONTH_COLUMNS = [
    lease_months.c.month,
    lease_months.c.revision,
    lease_months.c.oil_bbl,
    lease_months.c.condensate_bbl,
    lease_months.c.casinghead_gas_mcf,
    lease_months.c.gas_well_gas_mcf,
    lease_months.c.water_bbl,
    lease_months.c.liquid_bbl,
    lease_months.c.gas_mcf,
    lease_months.c.production_days,
    lease_months.c.beginning_oil_stock_bbl,
    lease_months.c.ending_oil_stock_bbl,
    lease_months.c.oil_disposed_bbl,
    lease_months.c.gas_disposed_mcf,
    lease_months.c.gas_disposition_mismatch_mcf,
]


_LEASE_MONTHLY_JSON = text(
    """
    SELECT coalesce(json_agg(json_build_object(
               'month', month, 'revision', revision, 'oil_bbl', oil_bbl::text, 'condensate_bbl', condensate_bbl::text,
               'casinghead_gas_mcf', casinghead_gas_mcf::text, 'gas_well_gas_mcf', gas_well_gas_mcf::text,
               'water_bbl', water_bbl::text, 'liquid_bbl', liquid_bbl::text, 'gas_mcf', gas_mcf::text,
               'production_days', production_days, 'beginning_oil_stock_bbl', beginning_oil_stock_bbl::text,
               'ending_oil_stock_bbl', ending_oil_stock_bbl::text, 'oil_disposed_bbl', oil_disposed_bbl::text,
               'gas_disposed_mcf', gas_disposed_mcf::text,
               'gas_disposition_mismatch_mcf', gas_disposition_mismatch_mcf::text) ORDER BY month), '[]')::text
      FROM lease_months WHERE lease_id = :lease AND month >= :first AND month <= :last
    """
)


async def lease_monthly(
    production: Production, actor: Actor, lease_id: UUID, date_from: date | None, date_to: date | None
) -> str:
    """Straight from the rollup table, the JSON built by PostgreSQL in the one query: the hot path of every
    dashboard (ten years of a lease is 120 rows of one index range)."""
    start, end = _range(date_from, date_to, production.today())
    async with production.uow(actor) as uow:
        points = await uow.connection.scalar(
            _LEASE_MONTHLY_JSON, {"lease": lease_id, "first": month_start(start), "last": end}
        )
        if points == "[]":
            await _exists(uow, leases, lease_id, "lease")
    return f'{{"from": "{start.isoformat()}", "to": "{end.isoformat()}", "points": {points}}}'


async def organization_monthly(
    production: Production, actor: Actor, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    start, end = _range(date_from, date_to, production.today())
    sums = [
        func.sum(column).label(column.name)
        for column in (
            lease_months.c.oil_bbl,
            lease_months.c.condensate_bbl,
            lease_months.c.casinghead_gas_mcf,
            lease_months.c.gas_well_gas_mcf,
            lease_months.c.water_bbl,
            lease_months.c.oil_disposed_bbl,
            lease_months.c.gas_disposed_mcf,
        )
    ]
    query = (
        select(lease_months.c.month, *sums, func.count().label("leases"))
        .where(lease_months.c.month >= month_start(start), lease_months.c.month <= end)
        .group_by(lease_months.c.month)
        .order_by(lease_months.c.month)
    )
    async with production.uow(actor) as uow:
        rows = (await uow.connection.execute(query)).mappings().all()
    return {"from": start.isoformat(), "to": end.isoformat(), "points": [jsonable(dict(r)) for r in rows]}


async def lease_month(production: Production, actor: Actor, lease_id: UUID, month: date) -> dict[str, Any]:
    """The whole picture of one lease-month, as ``LeaseMonthUpdated`` carries it (per-well volumes included)."""
    from . import rollups

    async with production.uow(actor) as uow:
        row = (
            (
                await uow.connection.execute(
                    select(lease_months).where(
                        lease_months.c.lease_id == lease_id, lease_months.c.month == month_start(month)
                    )
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            await _exists(uow, leases, lease_id, "lease")
            raise NotFound(f"Lease {lease_id} has no production data for {month_start(month):%Y-%m}.")
        wells_rows = await rollups.well_volumes(uow, [(lease_id, month_start(month))])
    event = rollups.month_event(actor.organization_id, dict(row), wells_rows[(lease_id, month_start(month))])
    body = event.model_dump(mode="json", exclude={"event_id", "occurred_at", "tenant_id", "type"})
    body["reading_count"] = row["reading_count"]
    body["gas_balanced"] = row["gas_disposition_mismatch_mcf"] == 0
    return body


async def lease_months_list(
    production: Production, actor: Actor, *, month: date, offset: int, limit: int
) -> dict[str, Any]:
    query = (
        select(lease_months.c.lease_id, leases.c.name, *_LEASE_MONTH_COLUMNS)
        .join(leases, leases.c.id == lease_months.c.lease_id, isouter=True)
        .where(lease_months.c.month == month_start(month))
        .order_by(leases.c.name, lease_months.c.lease_id)
        .offset(offset)
        .limit(limit + 1)
    )
    async with production.uow(actor) as uow:
        rows = (await uow.connection.execute(query)).mappings().all()
    return {
        "items": [jsonable(dict(r)) for r in rows[:limit]],
        "has_more": len(rows) > limit,
        "offset": offset,
        "limit": limit,
    }
