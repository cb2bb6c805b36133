"""Lease-month rollups: kept current in the same transaction as every change that moves them.

Why recompute rather than add deltas: a recomputation from the source rows cannot drift, whatever mix of
readings, corrections, deletions, imports, gauges, tickets and dispositions came before. It stays correct
under concurrency because of the order of two statements in READ COMMITTED:

1. an upsert of the rollup rows (in key order, so two writers never wait on each other crosswise) takes
   their row locks and bumps ``revision``;
2. the recomputation is a *new* statement, so its snapshot is taken after the lock was granted: it sees
   every change committed by the writer that held the lock before us, and our own.

A change to a lease-month thus waits for the previous writer of that lease-month only, and each commit
leaves the row equal to a recomputation over everything committed so far. Each refresh records one
``LeaseMonthUpdated`` (the whole picture, with the new revision) for the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text

from wellflow_contracts.events.production import (
    GasDisposition,
    LeaseMonthUpdated,
    OilDisposition,
    WellMonthVolumes,
)
from wellflow_servicekit.database import UnitOfWork

from .common import lease_key

_LOCK = text(
    """
    INSERT INTO lease_months AS lm (
        organization_id, lease_id, month, revision, lease_type, oil_bbl, condensate_bbl, casinghead_gas_mcf,
        gas_well_gas_mcf, water_bbl, liquid_bbl, gas_mcf, production_days, reading_count, oil_disposed_bbl,
        oil_dispositions, gas_disposed_mcf, gas_dispositions, gas_disposition_mismatch_mcf, updated_at)
    SELECT CAST(:org AS uuid), k.lease_id, k.month, 1,
           coalesce((SELECT l.lease_type FROM leases l WHERE l.id = k.lease_id), 'oil'),
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]'::jsonb, 0, '[]'::jsonb, 0, now()
      FROM unnest(CAST(:lease_ids AS uuid[]), CAST(:months AS date[])) AS k(lease_id, month)
     ORDER BY k.lease_id, k.month
    ON CONFLICT (organization_id, lease_id, month)
    DO UPDATE SET revision = lm.revision + 1,
                  lease_type = coalesce((SELECT l.lease_type FROM leases l WHERE l.id = lm.lease_id), lm.lease_type)
    """
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
    r AS (
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
    w AS (
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
    s AS (
        SELECT k.lease_id, k.month,
               (SELECT sum(last.barrels)
                  FROM batteries b JOIN tanks tk ON tk.battery_id = b.id AND tk.product = 'oil'
                  CROSS JOIN LATERAL (
                        SELECT tg.barrels FROM tank_gauges tg
                         WHERE tg.tank_id = tk.id AND tg.gauge_date < k.month
                         ORDER BY tg.gauge_date DESC, tg.gauged_at DESC, tg.id DESC LIMIT 1) last
                 WHERE b.lease_id = k.lease_id) AS beginning,
               (SELECT sum(last.barrels)
                  FROM batteries b JOIN tanks tk ON tk.battery_id = b.id AND tk.product = 'oil'
                  CROSS JOIN LATERAL (
                        SELECT tg.barrels FROM tank_gauges tg
                         WHERE tg.tank_id = tk.id AND tg.gauge_date < k.month_end
                         ORDER BY tg.gauge_date DESC, tg.gauged_at DESC, tg.id DESC LIMIT 1) last
                 WHERE b.lease_id = k.lease_id) AS ending
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


async def refresh(uow: UnitOfWork, organization_id: UUID, keys: Iterable[tuple[UUID, date]]) -> list[dict[str, Any]]:
    """Recompute the lease-months ``keys`` (lease id, first day of month) and record their events."""
    ordered = sorted(set(keys))
    if not ordered:
        return []
    params = {
        "org": str(organization_id),
        "lease_ids": [lease for lease, _ in ordered],
        "months": [month for _, month in ordered],
    }
    await uow.connection.execute(_LOCK, params)
    rows = [dict(row) for row in (await uow.connection.execute(_RECOMPUTE, params)).mappings().all()]
    for row in sorted(rows, key=lambda r: (r["lease_id"], r["month"])):
        wells = [WellMonthVolumes(**volumes) for volumes in row.pop("well_volumes")]
        uow.record(month_event(organization_id, row, wells), aggregate_key=lease_key(row["lease_id"]))
    return rows


async def well_volumes(
    uow: UnitOfWork, keys: list[tuple[UUID, date]]
) -> defaultdict[tuple[UUID, date], list[WellMonthVolumes]]:
    """Each well's month on the lease-months ``keys``, in API-number order."""
    params = {"lease_ids": [lease for lease, _ in keys], "months": [month for _, month in keys]}
    wells_by_key: defaultdict[tuple[UUID, date], list[WellMonthVolumes]] = defaultdict(list)
    for row in (await uow.connection.execute(_WELLS, params)).mappings():
        wells_by_key[(row["lease_id"], row["month"])].append(
            WellMonthVolumes(
                well_id=row["well_id"],
                api_number=row["api_number"] or "",
                oil_bbl=row["oil"],
                gas_mcf=row["gas"],
                water_bbl=row["water"],
                production_days=row["days"],
            )
        )
    return wells_by_key


def month_event(organization_id: UUID, row: dict[str, Any], wells: list[WellMonthVolumes]) -> LeaseMonthUpdated:
    return LeaseMonthUpdated(
        tenant_id=organization_id,
        lease_id=row["lease_id"],
        month=row["month"],
        revision=row["revision"],
        lease_type=row["lease_type"],
        oil_bbl=row["oil_bbl"],
        condensate_bbl=row["condensate_bbl"],
        casinghead_gas_mcf=row["casinghead_gas_mcf"],
        gas_well_gas_mcf=row["gas_well_gas_mcf"],
        water_bbl=row["water_bbl"],
        liquid_bbl=row["liquid_bbl"],
        gas_mcf=row["gas_mcf"],
        production_days=row["production_days"],
        beginning_oil_stock_bbl=row["beginning_oil_stock_bbl"],
        ending_oil_stock_bbl=row["ending_oil_stock_bbl"],
        oil_dispositions=[OilDisposition(code=d["code"], bbl=Decimal(d["bbl"])) for d in row["oil_dispositions"]],
        oil_disposed_bbl=row["oil_disposed_bbl"],
        gas_dispositions=[
            GasDisposition(code=d["code"], mcf=Decimal(d["mcf"]), authority=d["authority"])
            for d in row["gas_dispositions"]
        ],
        gas_disposition_mismatch_mcf=row["gas_disposition_mismatch_mcf"],
        wells=wells,
    )
