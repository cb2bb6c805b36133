"""What a tank's daily balance reads, for one tank or every active oil tank at once: the tanks, their pumper
gauges (the anchor before a window and those inside it), the day the gauged level last changed, the run tickets
with whether the purchaser refused the load, and their batteries' oil per production day."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text

from wellflow_servicekit.repository import Repository, Row

_TANKS = text(
    """
    SELECT tk.id, tk.number, tk.capacity_bbl, tk.battery_id, b.name AS battery, b.lease_id, l.name AS lease,
           (SELECT count(*) FROM tanks o
             WHERE o.battery_id = tk.battery_id AND o.active AND o.product = 'oil') > 1 AS shared
      FROM tanks tk JOIN batteries b ON b.id = tk.battery_id LEFT JOIN leases l ON l.id = b.lease_id
     WHERE tk.active AND tk.product = 'oil'
       AND (CAST(:ids AS uuid[]) IS NULL OR tk.id = ANY(CAST(:ids AS uuid[])))
       AND (CAST(:lease AS uuid) IS NULL OR b.lease_id = CAST(:lease AS uuid))
     ORDER BY l.name NULLS LAST, b.name, tk.number, tk.id
    """
)
_ANCHORS = text(
    """
    SELECT DISTINCT ON (tank_id) tank_id, gauged_at, gauge_date, barrels FROM tank_gauges
     WHERE source = 'gauge' AND gauge_date < :first AND tank_id = ANY(CAST(:ids AS uuid[]))
     ORDER BY tank_id, gauged_at DESC, id DESC
    """
)
_GAUGES = text(
    """
    SELECT tank_id, gauged_at, gauge_date, barrels FROM tank_gauges
     WHERE source = 'gauge' AND gauge_date BETWEEN :first AND :last AND tank_id = ANY(CAST(:ids AS uuid[]))
     ORDER BY tank_id, gauged_at, id
    """
)
_LAST_CHANGE = text(
    """
    SELECT tank_id, max(day) AS day FROM (
        SELECT tank_id, gauge_date AS day,
               barrels IS DISTINCT FROM lag(barrels) OVER (PARTITION BY tank_id ORDER BY gauged_at, id) AS moved
          FROM tank_gauges
         WHERE source = 'gauge' AND gauge_date < :first AND gauge_date >= CAST(:first AS date) - 366
           AND tank_id = ANY(CAST(:ids AS uuid[]))
        UNION ALL
        SELECT rt.tank_id, rt.taken_at::date, true FROM run_tickets rt
         WHERE rt.tank_id = ANY(CAST(:ids AS uuid[])) AND rt.taken_at::date < :first
           AND rt.taken_at::date >= CAST(:first AS date) - 366
           AND NOT EXISTS (SELECT 1 FROM run_ticket_rejections rj WHERE rj.run_ticket_id = rt.id)
    ) changes WHERE moved GROUP BY tank_id
    """
)
_TICKETS = text(
    """
    SELECT rt.id, rt.tank_id, rt.taken_at, coalesce(og.gauge_date, rt.taken_at::date) AS day, rt.gross_bbl,
           rt.opening_bbl, rt.closing_bbl, rt.ticket_number, rt.purchaser, rt.hauler,
           rj.run_ticket_id IS NOT NULL AS rejected
      FROM run_tickets rt
      LEFT JOIN run_ticket_rejections rj ON rj.run_ticket_id = rt.id
      LEFT JOIN tank_gauges og ON og.run_ticket_id = rt.id AND og.source = 'ticket_opening'
     WHERE rt.tank_id = ANY(CAST(:ids AS uuid[])) AND rt.taken_at > :since
       AND coalesce(og.gauge_date, rt.taken_at::date) <= :last
     ORDER BY rt.tank_id, rt.taken_at
    """
)
_PRODUCTION = text(
    """
    SELECT bw.battery_id, r.production_date, sum(r.oil_bbl) AS oil_bbl
      FROM readings r
      JOIN battery_wells bw ON bw.well_id = r.well_id AND bw.effective_from <= r.production_date
                           AND (bw.effective_to IS NULL OR bw.effective_to > r.production_date)
     WHERE bw.battery_id = ANY(CAST(:batteries AS uuid[])) AND r.production_date > :after
       AND r.production_date <= :last
     GROUP BY bw.battery_id, r.production_date
    """
)


class SqlTankLedger(Repository):
    async def oil_tanks(self, tank_ids: list[UUID] | None = None, lease_id: UUID | None = None) -> list[Row]:
        """Active oil tanks (all, or these, or one lease's) with capacity, battery, lease and ``shared``."""
        return await self.all(_TANKS, {"ids": tank_ids, "lease": lease_id})

    async def anchors(self, tank_ids: list[UUID], first: date) -> list[Row]:
        """Each tank's last pumper gauge closing a day before ``first``."""
        return await self.all(_ANCHORS, {"ids": tank_ids, "first": first})

    async def gauges(self, tank_ids: list[UUID], first: date, last: date) -> list[Row]:
        return await self.all(_GAUGES, {"ids": tank_ids, "first": first, "last": last})

    async def last_changes(self, tank_ids: list[UUID], first: date) -> dict[UUID, date]:
        """The day each tank's gauged level last moved before ``first`` (a different gauge, or a load taken),
        looking back a year at most (a tank unmoved longer counts from its last gauge)."""
        rows = await self.all(_LAST_CHANGE, {"ids": tank_ids, "first": first})
        return {row["tank_id"]: row["day"] for row in rows}

    async def tickets(self, tank_ids: list[UUID], since: datetime, last: date) -> list[Row]:
        """The tanks' run tickets taken after ``since`` on days up to ``last``, with ``rejected``."""
        return await self.all(_TICKETS, {"ids": tank_ids, "since": since, "last": last})

    async def battery_oil(self, battery_ids: list[UUID], after: date, last: date) -> list[Row]:
        """The oil read on each battery's connected wells per production day in (``after``, ``last``]."""
        return await self.all(_PRODUCTION, {"batteries": battery_ids, "after": after, "last": last})
