"""Lease-month rollups: the recomputation that keeps them current in the same transaction as every change
(the reasons for its shape are in ``app.rollups``), and the per-well volumes of a lease-month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import select, text

from wellflow_servicekit.repository import Repository, Row

from ..tables import lease_months


def lock_statement(source: str) -> str:
    """The upsert that takes the rollup rows' locks (in key order) and bumps their ``revision``: ``source`` is a
    query of the keys (organization_id, lease_id, month)."""
    return f"""
    INSERT INTO lease_months AS lm (
        organization_id, lease_id, month, revision, lease_type, oil_bbl, condensate_bbl, casinghead_gas_mcf,
        gas_well_gas_mcf, water_bbl, liquid_bbl, gas_mcf, production_days, reading_count, oil_disposed_bbl,
        oil_dispositions, gas_disposed_mcf, gas_dispositions, gas_disposition_mismatch_mcf, updated_at)
    SELECT k.organization_id, k.lease_id, k.month, 1,
           coalesce((SELECT l.lease_type FROM leases l WHERE l.id = k.lease_id), 'oil'),
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]'::jsonb, 0, '[]'::jsonb, 0, now()
      FROM ({source}) AS k
     ORDER BY k.lease_id, k.month
    ON CONFLICT (organization_id, lease_id, month)
    DO UPDATE SET revision = lm.revision + 1,
                  lease_type = coalesce((SELECT l.lease_type FROM leases l WHERE l.id = lm.lease_id), lm.lease_type)
    """


_LOCK = text(
    lock_statement(
        "SELECT CAST(:org AS uuid) AS organization_id, k.* "
        "FROM unnest(CAST(:lease_ids AS uuid[]), CAST(:months AS date[])) AS k(lease_id, month)"
    )
)

# One statement recomputes every locked lease-month from the source rows (see the module docstring).
_RECOMPUTE = text(
    """
    WITH k AS (
        SELECT lease_id, month, (month + interval '1 month')::date AS month_end
          FROM unnest(CAST(:lease_ids AS uuid[]), CAST(:months AS date[])) AS k(lease_id, month)
    ),
    rd AS (
        SELECT k.lease_id, k.month, rd.production_date, sum(rd.oil_bbl) AS oil, sum(rd.gas_mcf) AS gas,
               sum(rd.water_bbl) AS water, count(*) AS n,
               bool_or(rd.hours_on > 0 OR rd.oil_bbl > 0 OR rd.gas_mcf > 0) AS produced
          FROM k JOIN readings rd
            ON rd.lease_id = k.lease_id AND rd.production_date >= k.month AND rd.production_date < k.month_end
               -- the equality lets a many-month refresh hash on (lease, month) instead of testing every range
               AND date_trunc('month', rd.production_date)::date = k.month
         GROUP BY k.lease_id, k.month, rd.production_date
    ),
    -- r and w are MATERIALIZED: each is computed once whatever the join order. Right after a bulk insert
    -- (a CSV import) the planner still believes readings nearly empty and put w, a pass over every reading
    -- of the keys, inside a nested loop: once per lease-month (365 passes over 300,000 readings, 54 s CPU).
    r AS MATERIALIZED (
        SELECT k.lease_id, k.month, coalesce(sum(rd.oil), 0) AS oil, coalesce(sum(rd.gas), 0) AS gas,
               coalesce(sum(rd.water), 0) AS water, count(*) FILTER (WHERE rd.produced) AS days,
               coalesce(sum(rd.n), 0) AS n
          FROM k LEFT JOIN rd ON rd.lease_id = k.lease_id AND rd.month = k.month
         GROUP BY k.lease_id, k.month
    ),
    pw AS (
        SELECT k.lease_id, k.month, rd.well_id, sum(rd.oil_bbl) AS oil, sum(rd.gas_mcf) AS gas,
               sum(rd.water_bbl) AS water,
               count(*) FILTER (WHERE rd.hours_on > 0 OR rd.oil_bbl > 0 OR rd.gas_mcf > 0) AS days
          FROM k JOIN readings rd
            ON rd.lease_id = k.lease_id AND rd.production_date >= k.month AND rd.production_date < k.month_end
               AND date_trunc('month', rd.production_date)::date = k.month
         GROUP BY k.lease_id, k.month, rd.well_id
    ),
    w AS MATERIALIZED (
        SELECT pw.lease_id, pw.month,
               jsonb_agg(jsonb_build_object(
                   'well_id', pw.well_id, 'api_number', coalesce(wl.api_number, ''), 'oil_bbl', pw.oil::text,
                   'gas_mcf', pw.gas::text, 'water_bbl', pw.water::text, 'production_days', pw.days)
                   ORDER BY wl.api_number, pw.well_id) AS wells
          FROM pw LEFT JOIN wells wl ON wl.id = pw.well_id
         GROUP BY pw.lease_id, pw.month
    ),
    tc AS (
        SELECT k.lease_id, k.month, rt.disposition_code AS code, sum(rt.net_bbl) AS bbl
          FROM k JOIN run_tickets rt ON rt.lease_id = k.lease_id AND rt.production_month = k.month
         WHERE NOT EXISTS (SELECT 1 FROM run_ticket_rejections rj WHERE rj.run_ticket_id = rt.id)  -- refused loads
         GROUP BY k.lease_id, k.month, rt.disposition_code
    ),
    t AS (
        SELECT lease_id, month, sum(bbl) AS disposed,
               jsonb_agg(jsonb_build_object('code', code, 'bbl', bbl::text) ORDER BY code) AS by_code
          FROM tc GROUP BY lease_id, month
    ),
    gc AS (
        SELECT k.lease_id, k.month, gd.code, gd.authority, sum(gd.mcf) AS mcf
          FROM k JOIN gas_dispositions gd ON gd.lease_id = k.lease_id AND gd.month = k.month
         GROUP BY k.lease_id, k.month, gd.code, gd.authority
    ),
    g AS (
        SELECT lease_id, month, sum(mcf) AS disposed,
               jsonb_agg(jsonb_build_object('code', code, 'mcf', mcf::text, 'authority', authority)
                         ORDER BY code, authority) AS by_code
          FROM gc GROUP BY lease_id, month
    ),
    tk AS (
        SELECT k.lease_id, k.month, k.month_end, tk.id AS tank_id, tk.number AS tank_number
          FROM k JOIN batteries b ON b.lease_id = k.lease_id
          JOIN tanks tk ON tk.battery_id = b.id AND tk.product = 'oil'
    ),
    -- each oil tank's last gauge before the month (beginning) and up to its last day (ending)
    sg AS (
        SELECT tk.lease_id, tk.month, tk.month_end, tk.tank_id, tk.tank_number, side.stock, last.*
          FROM tk CROSS JOIN (VALUES ('beginning'), ('ending')) AS side(stock)
          CROSS JOIN LATERAL (
                SELECT tg.barrels, tg.net_bbl, tg.net_basis, tg.gauge_date FROM tank_gauges tg
                 WHERE tg.tank_id = tk.tank_id
                   AND NOT (tg.source = 'ticket_closing' AND EXISTS (  -- a refused load's closing gauge is not stock
                        SELECT 1 FROM run_ticket_rejections rj WHERE rj.run_ticket_id = tg.run_ticket_id))
                   AND tg.gauge_date < CASE side.stock WHEN 'beginning' THEN tk.month ELSE tk.month_end END
                 ORDER BY tg.gauge_date DESC, tg.gauged_at DESC, tg.id DESC LIMIT 1) last
    ),
    s AS (
        SELECT k.lease_id, k.month,
               (SELECT sum(sg.barrels) FROM sg
                 WHERE sg.lease_id = k.lease_id AND sg.month = k.month AND sg.stock = 'beginning') AS beginning,
               (SELECT sum(sg.barrels) FROM sg
                 WHERE sg.lease_id = k.lease_id AND sg.month = k.month AND sg.stock = 'ending') AS ending,
               (SELECT sum(sg.net_bbl) FROM sg
                 WHERE sg.lease_id = k.lease_id AND sg.month = k.month AND sg.stock = 'beginning') AS beginning_net,
               (SELECT sum(sg.net_bbl) FROM sg
                 WHERE sg.lease_id = k.lease_id AND sg.month = k.month AND sg.stock = 'ending') AS ending_net,
               coalesce((SELECT bool_and(coalesce(sg.gauge_date = (k.month_end - 1), false))
                           FROM tk LEFT JOIN sg ON sg.tank_id = tk.tank_id AND sg.month = tk.month
                                               AND sg.lease_id = tk.lease_id AND sg.stock = 'ending'
                          WHERE tk.lease_id = k.lease_id AND tk.month = k.month), false) AS month_end_gauged,
               coalesce((SELECT jsonb_agg(jsonb_build_object(
                                    'tank_id', sg.tank_id, 'tank_number', coalesce(sg.tank_number, ''),
                                    'gauge_date', sg.gauge_date, 'stock', sg.stock, 'basis', sg.net_basis)
                                    ORDER BY sg.stock, sg.tank_number, sg.tank_id)
                           FROM sg
                          WHERE sg.lease_id = k.lease_id AND sg.month = k.month AND sg.net_basis <> 'standard'),
                        '[]'::jsonb) AS uncorrected
          FROM k
    )
    UPDATE lease_months lm SET
        oil_bbl = CASE WHEN lm.lease_type = 'oil' THEN r.oil ELSE 0 END,
        condensate_bbl = CASE WHEN lm.lease_type = 'gas' THEN r.oil ELSE 0 END,
        casinghead_gas_mcf = CASE WHEN lm.lease_type = 'oil' THEN r.gas ELSE 0 END,
        gas_well_gas_mcf = CASE WHEN lm.lease_type = 'gas' THEN r.gas ELSE 0 END,
        water_bbl = r.water, liquid_bbl = r.oil, gas_mcf = r.gas,
        production_days = r.days, reading_count = r.n,
        beginning_oil_stock_bbl = s.beginning, ending_oil_stock_bbl = s.ending,
        beginning_net_stock_bbl = s.beginning_net, ending_net_stock_bbl = s.ending_net,
        month_end_gauged = s.month_end_gauged, uncorrected_stock_gauges = s.uncorrected,
        oil_disposed_bbl = coalesce(t.disposed, 0), oil_dispositions = coalesce(t.by_code, '[]'::jsonb),
        gas_disposed_mcf = coalesce(g.disposed, 0), gas_dispositions = coalesce(g.by_code, '[]'::jsonb),
        gas_disposition_mismatch_mcf = r.gas - coalesce(g.disposed, 0),
        updated_at = now()
      FROM r JOIN s USING (lease_id, month)
      LEFT JOIN t USING (lease_id, month) LEFT JOIN g USING (lease_id, month) LEFT JOIN w USING (lease_id, month)
     WHERE lm.lease_id = r.lease_id AND lm.month = r.month
    RETURNING lm.*, coalesce(w.wells, '[]'::jsonb) AS well_volumes
    """
)

# The same on asyncpg directly, for the reading's hot path (``recording``): $1 lease ids, $2 months.
RECOMPUTE_PREPARED = _RECOMPUTE.text.replace(":lease_ids", "$1").replace(":months", "$2")

_WELLS = text(
    """
    WITH per_well AS (
        SELECT k.lease_id, k.month, rd.well_id, sum(rd.oil_bbl) AS oil, sum(rd.gas_mcf) AS gas,
               sum(rd.water_bbl) AS water,
               count(*) FILTER (WHERE rd.hours_on > 0 OR rd.oil_bbl > 0 OR rd.gas_mcf > 0) AS days
          FROM unnest(CAST(:lease_ids AS uuid[]), CAST(:months AS date[])) AS k(lease_id, month)
          JOIN readings rd ON rd.lease_id = k.lease_id AND rd.production_date >= k.month
                          AND rd.production_date < (k.month + interval '1 month')::date
                          AND date_trunc('month', rd.production_date)::date = k.month
         GROUP BY k.lease_id, k.month, rd.well_id
    )
    SELECT p.*, w.api_number FROM per_well p LEFT JOIN wells w ON w.id = p.well_id
     ORDER BY w.api_number, p.well_id
    """
)


def _params(keys: Sequence[tuple[UUID, date]]) -> dict[str, list]:
    return {"lease_ids": [lease for lease, _ in keys], "months": [month for _, month in keys]}


class SqlLeaseMonths(Repository):
    async def recompute(self, organization_id: UUID, ordered: Sequence[tuple[UUID, date]]) -> list[Row]:
        """Lock the lease-months ``ordered`` (in key order) and recompute them from the source rows; the rows
        answered carry ``well_volumes``, each well's month."""
        params = {"org": str(organization_id), **_params(ordered)}
        await self.execute(_LOCK, params)
        return await self.all(_RECOMPUTE, params)

    async def well_volumes(self, keys: Sequence[tuple[UUID, date]]) -> list[Row]:
        """Each well's month on the lease-months ``keys``, in API-number order."""
        return await self.all(_WELLS, _params(keys))

    async def months_after(self, lease_id: UUID, month: date) -> list[date]:
        rows = await self.all(
            select(lease_months.c.month).where(lease_months.c.lease_id == lease_id, lease_months.c.month > month)
        )
        return [row["month"] for row in rows]
