"""What the allocation of a battery's oil reads: stock per day, gauged days, barrels run, connected wells with
their latest test, status histories and hours on."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text

from wellflow_servicekit.repository import Repository, Row

_STOCK = text(
    """
    SELECT d.day, sum(last.barrels) AS stock, count(last.barrels) AS tanks_gauged
      FROM generate_series(CAST(:first AS date) - 1, CAST(:last AS date), interval '1 day') AS d(day)
      CROSS JOIN tanks tk
      LEFT JOIN LATERAL (
            SELECT tg.barrels FROM tank_gauges tg
             WHERE tg.tank_id = tk.id AND tg.gauge_date <= d.day::date
             ORDER BY tg.gauge_date DESC, tg.gauged_at DESC, tg.id DESC LIMIT 1) last ON true
     WHERE tk.battery_id = :battery AND tk.product = 'oil'
     GROUP BY d.day ORDER BY d.day
    """
)
_GAUGED_DAYS = text(
    "SELECT DISTINCT gauge_date FROM tank_gauges WHERE battery_id = :battery AND gauge_date BETWEEN :first AND :last"
)
_RUNS = text(
    """
    SELECT taken_at::date AS day, sum(gross_bbl) AS gross FROM run_tickets
     WHERE battery_id = :battery AND taken_at::date BETWEEN :first AND :last
       AND NOT EXISTS (SELECT 1 FROM run_ticket_rejections rj WHERE rj.run_ticket_id = run_tickets.id)
     GROUP BY 1
    """
)
_WELLS = text(
    """
    SELECT bw.well_id, w.name, w.api_number, bw.effective_from, bw.effective_to,
           (SELECT t.oil_bbl_per_day FROM well_tests t WHERE t.well_id = bw.well_id AND t.test_date <= :last
             ORDER BY t.test_date DESC LIMIT 1) AS test_rate
      FROM battery_wells bw LEFT JOIN wells w ON w.id = bw.well_id
     WHERE bw.battery_id = :battery AND bw.effective_from <= :last
       AND (bw.effective_to IS NULL OR bw.effective_to > :first)
    """
)
_STATUS = text(
    """
    SELECT h.well_id, h.effective_date, h.to_status FROM well_status_history h
     WHERE h.well_id = ANY(CAST(:wells AS uuid[])) ORDER BY h.well_id, h.effective_date, h.occurred_at
    """
)
_HOURS = text(
    """
    SELECT well_id, production_date AS day, hours_on FROM readings
     WHERE well_id = ANY(CAST(:wells AS uuid[])) AND production_date BETWEEN :first AND :last
    """
)


_BATTERY = text("SELECT id, name, lease_id FROM batteries WHERE id = :battery")
_CURRENT = text("SELECT id, status FROM wells WHERE id = ANY(CAST(:wells AS uuid[]))")


class SqlAllocation(Repository):
    """Every method takes the battery and the period ``[first, last]`` as ``{"battery", "first", "last"}``."""

    async def battery(self, period: dict) -> Row | None:
        return await self.optional(_BATTERY, period)

    async def stock_by_day(self, period: dict) -> list[Row]:
        """The oil tanks' stock at the end of each day from the day before ``first`` to ``last``."""
        return await self.all(_STOCK, period)

    async def gauged_days(self, period: dict) -> set[date]:
        return {row[0] for row in await self.execute(_GAUGED_DAYS, period)}

    async def runs_by_day(self, period: dict) -> dict[date, object]:
        return {row["day"]: row["gross"] for row in await self.all(_RUNS, period)}

    async def connected_wells(self, period: dict) -> list[Row]:
        return await self.all(_WELLS, period)

    async def status_histories(self, wells: list[UUID]) -> list[Row]:
        return await self.all(_STATUS, {"wells": wells})

    async def current_statuses(self, wells: list[UUID]) -> dict[UUID, str]:
        return {row["id"]: row["status"] for row in await self.all(_CURRENT, {"wells": wells})}

    async def hours_on(self, period: dict, wells: list[UUID]) -> list[Row]:
        return await self.all(_HOURS, {**period, "wells": wells})
