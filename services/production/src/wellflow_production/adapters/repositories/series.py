"""Production series: daily sums of readings, well months, and the lease-month rollups (monthly series, one
lease-month, the month's list); the daily history a decline is fitted to."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text

from wellflow_servicekit.repository import Repository, Row

from ..tables import lease_months, leases, readings, wells

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


_SUMMED = (
    lease_months.c.oil_bbl,
    lease_months.c.condensate_bbl,
    lease_months.c.casinghead_gas_mcf,
    lease_months.c.gas_well_gas_mcf,
    lease_months.c.water_bbl,
    lease_months.c.liquid_bbl,
    lease_months.c.gas_mcf,
    lease_months.c.oil_disposed_bbl,
    lease_months.c.gas_disposed_mcf,
)
_PRODUCED = (readings.c.hours_on > 0) | (readings.c.oil_bbl > 0) | (readings.c.gas_mcf > 0)


class SqlSeries(Repository):
    async def well_known(self, well_id: UUID) -> bool:
        return await self.scalar(select(wells.c.id).where(wells.c.id == well_id)) is not None

    async def lease_known(self, lease_id: UUID) -> bool:
        return await self.scalar(select(leases.c.id).where(leases.c.id == lease_id)) is not None

    async def daily(self, start: date, end: date, *, well_id: UUID | None, lease_id: UUID | None) -> list[Row]:
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
        if well_id is not None:
            query = query.where(readings.c.well_id == well_id)
        if lease_id is not None:
            query = query.where(readings.c.lease_id == lease_id)
        return await self.all(query)

    async def well_monthly(self, well_id: UUID, first: date, end: date) -> list[Row]:
        """The well's months (``month`` a timestamp at the first day) from ``first`` to ``end``."""
        month = func.date_trunc("month", readings.c.production_date).label("month")
        query = (
            select(
                month,
                func.sum(readings.c.oil_bbl).label("oil_bbl"),
                func.sum(readings.c.gas_mcf).label("gas_mcf"),
                func.sum(readings.c.water_bbl).label("water_bbl"),
                func.count().filter(_PRODUCED).label("production_days"),
            )
            .where(
                readings.c.well_id == well_id,
                readings.c.production_date >= first,
                readings.c.production_date <= end,
            )
            .group_by(month)
            .order_by(month)
        )
        return await self.all(query)

    async def lease_monthly_json(self, lease_id: UUID, first: date, last: date) -> str:
        """The lease's months as a JSON array built by PostgreSQL in the one query (``[]`` when none)."""
        return await self.scalar(_LEASE_MONTHLY_JSON, {"lease": lease_id, "first": first, "last": last})  # type: ignore[no-any-return]

    async def organization_monthly(self, first: date, end: date) -> list[Row]:
        query = (
            select(lease_months.c.month, *(func.sum(c).label(c.name) for c in _SUMMED), func.count().label("leases"))
            .where(lease_months.c.month >= first, lease_months.c.month <= end)
            .group_by(lease_months.c.month)
            .order_by(lease_months.c.month)
        )
        return await self.all(query)

    async def lease_month(self, lease_id: UUID, month: date) -> Row | None:
        return await self.optional(
            select(lease_months).where(lease_months.c.lease_id == lease_id, lease_months.c.month == month)
        )

    async def lease_months_by_name(self, month: date, *, offset: int, limit: int) -> list[Row]:
        query = (
            select(lease_months.c.lease_id, leases.c.name, *_LEASE_MONTH_COLUMNS)
            .join(leases, leases.c.id == lease_months.c.lease_id, isouter=True)
            .where(lease_months.c.month == month)
            .order_by(leases.c.name, lease_months.c.lease_id)
            .offset(offset)
            .limit(limit + 1)
        )
        return await self.all(query)

    async def well(self, well_id: UUID) -> Row | None:
        return await self.optional(select(wells.c.id, wells.c.name, wells.c.api_number).where(wells.c.id == well_id))

    async def well_history(self, well_id: UUID, product: str) -> list[tuple[date, Any, Any]]:
        """(day, oil or gas volume, hours on) of every reading of the well, oldest first."""
        column = readings.c.oil_bbl if product == "oil" else readings.c.gas_mcf
        result = await self.execute(
            select(readings.c.production_date, column, readings.c.hours_on)
            .where(readings.c.well_id == well_id)
            .order_by(readings.c.production_date)
        )
        return [tuple(row) for row in result.all()]
