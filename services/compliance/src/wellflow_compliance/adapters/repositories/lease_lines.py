"""Rebuilding a lease's Form PR lines on every reading's ``LeaseMonthUpdated``, in two to four statements written
once as SQL and run on the transaction's asyncpg connection, where asyncpg keeps each prepared (no SQLAlchemy
statement building, cache keys or result processing per call):

1. ``intake``: the lease-month's upsert (the highest revision wins), the tenant remembered when it was kept,
   whether the month has its report and, when it was kept and has one, the locks of 2 and 3 with the periods;
2. ``open``, its first statement (unless ``intake`` took the locks): the lease's lock, then the report periods
   from the month on and the one before them;
3. the periods' shared locks, oldest first (a statement of their own: PostgreSQL reads a statement's rows as of
   its start, so what the locks guard is read by the next one);
4. every period's lease-month, line kept, adjustments, run-ticket sums and whether it is priced, with the
   lease and its wells.

They run inside the unit of work's transaction, after the inbox's claim set the tenant: row-level security and
the rollback of every effect on an error hold as for any other statement. ``app.lease_lines`` has the same
reads over the other repositories (the unit tests' in-memory unit of work).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_servicekit.repository import Repository, driver_in_transaction

from ...app.lease_lines import LeaseSnapshot, lease_lock_key, period_lock_key
from ...domain.form_pr import Adjustment
from .registry import lease_facts, lease_month
from .valuation import EVERY_LEASE

Row = dict[str, Any]

_MONTH_COLUMNS = (
    "revision",
    "lease_type",
    "liquid_bbl",
    "gas_mcf",
    "beginning_stock_bbl",
    "ending_stock_bbl",
    "beginning_net_stock_bbl",
    "ending_net_stock_bbl",
    "month_end_gauged",
    "uncorrected_stock_gauges",
    "liquid_dispositions",
    "gas_dispositions",
    "received_at",
    "well_volumes",
)
_JSON_COLUMNS = frozenset({"uncorrected_stock_gauges", "liquid_dispositions", "gas_dispositions", "well_volumes"})

# For the rest of the transaction, statements prepared on this connection run their generic plan: _READ's custom
# plan (PostgreSQL's default for it: its estimate for the periods it is given is lower than the generic plan's)
# costs more to plan, seven tables under row-level security, than to run (about 1.3 ms a time against 0.3 ms).
_GENERIC_PLANS = "set_config('plan_cache_mode', 'force_generic_plan', true)"

# $1 tenant, $2 lease, $3 month, then the lease-month's columns in _MONTH_COLUMNS' order, then the lease's lock
# key and the periods' lock key without its date. When the month was kept and has its report, the same statement
# takes the lease's lock and then each report period's from the month on, oldest first (the target list is
# evaluated in order, CASE only when it holds, and the locks of the ordered subquery after its sort).
_FIRST_KEY = len(_MONTH_COLUMNS) + 4
_INTAKE = f"""
    WITH kept AS (
        INSERT INTO lease_months (organization_id, lease_id, month, {", ".join(_MONTH_COLUMNS)})
        VALUES ($1, $2, $3, {", ".join(f"${n + 4}" for n in range(len(_MONTH_COLUMNS)))})
        ON CONFLICT (organization_id, lease_id, month) DO UPDATE
           SET {", ".join(f"{c} = excluded.{c}" for c in _MONTH_COLUMNS)}
         WHERE lease_months.revision < excluded.revision
        RETURNING 1
    ), seen AS (
        INSERT INTO tenants (tenant_id, first_seen_at) SELECT $1, ${_MONTH_COLUMNS.index("received_at") + 4}
          FROM kept ON CONFLICT DO NOTHING
    ), state AS MATERIALIZED (
        SELECT EXISTS (SELECT 1 FROM kept) AS kept, {_GENERIC_PLANS} AS generic,
               EXISTS (SELECT 1 FROM form_pr_reports WHERE period = $3) AS reported
    )
    SELECT state.kept, state.reported,
           CASE WHEN state.kept AND state.reported THEN
               (SELECT true FROM pg_advisory_xact_lock(hashtext(${_FIRST_KEY})::bigint)) END AS lease_locked,
           CASE WHEN state.kept AND state.reported THEN
               (SELECT array_agg(locked.period ORDER BY locked.period) FROM (
                    SELECT period, pg_advisory_xact_lock_shared(
                               hashtext(${_FIRST_KEY + 1} || to_char(period, 'YYYY-MM-DD'))::bigint) AS lock
                      FROM form_pr_reports WHERE period >= $3 ORDER BY period) locked) END AS periods,
           CASE WHEN state.kept AND state.reported THEN
               (SELECT max(period) FROM form_pr_reports WHERE period < $3) END AS before
      FROM state"""

# $1 the lease's lock key, $2 the first month (NULL: every report)
_OPEN = f"""
    SELECT ARRAY(SELECT period FROM form_pr_reports WHERE $2::date IS NULL OR period >= $2 ORDER BY period)
               AS periods,
           CASE WHEN $2::date IS NOT NULL THEN (SELECT max(period) FROM form_pr_reports WHERE period < $2) END
               AS before,
           {_GENERIC_PLANS} AS generic
      FROM pg_advisory_xact_lock(hashtext($1)::bigint)"""

_PERIOD_LOCKS = "SELECT pg_advisory_xact_lock_shared(hashtext(key)::bigint) FROM unnest($1::text[]) AS key"

# $1 lease, $2 the periods (the one before them first when there is one), $3 the periods to price
_READ = f"""
    WITH lease AS (
        SELECT l.id, l.name, l.rrc_district, l.rrc_lease_number, l.lease_type, l.status, l.county, l.purchasers,
               (SELECT jsonb_agg(jsonb_build_object('id', w.id, 'api_number', w.api_number, 'status', w.status,
                                                    'gas_well_id', w.gas_well_id, 'permit_number', w.permit_number))
                  FROM wells w WHERE w.lease_id = l.id) AS wells
          FROM leases l WHERE l.id = $1
    )
    SELECT p.period, lm.month IS NOT NULL AS has_month,
           {", ".join(f"lm.{c}" for c in _MONTH_COLUMNS)},
           fl.line, fl.ending_stock,
           (SELECT jsonb_agg(jsonb_build_object('id', a.id, 'product', a.product, 'code', a.code,
                                                'volume', a.volume::text, 'authority', a.authority,
                                                'remark', a.remark, 'reason', a.reason, 'created_by', a.created_by)
                             ORDER BY a.created_at, a.id)
              FROM form_pr_adjustments a
             WHERE a.period = p.period AND a.lease_id = $1 AND a.voided_at IS NULL) AS adjustments,
           (SELECT jsonb_object_agg(s.code, s.total::text)
              FROM (SELECT t.disposition_code AS code, sum(t.net_bbl) AS total
                      FROM run_tickets t
                     WHERE t.lease_id = $1 AND t.month = p.period
                       AND NOT EXISTS (SELECT 1 FROM run_ticket_refusals r WHERE r.ticket_id = t.id)
                     GROUP BY t.disposition_code) s) AS tickets,
           p.period = ANY($3::date[]) AND (
               EXISTS (SELECT 1 FROM severance_prices sp WHERE sp.lease_id = $1 AND sp.month = p.period)
               OR EXISTS (SELECT 1 FROM run_tickets t
                           WHERE t.lease_id = $1 AND t.month = p.period AND t.price_per_bbl IS NOT NULL
                             AND NOT EXISTS (SELECT 1 FROM run_ticket_refusals r WHERE r.ticket_id = t.id))
               OR EXISTS (SELECT 1 FROM accounting_prices ap
                           WHERE ap.month = p.period AND (ap.lease_id = $1 OR ap.applies_to = '{EVERY_LEASE}'))
           ) AS priced,
           lease.id AS lease_id, lease.name, lease.rrc_district, lease.rrc_lease_number,
           lease.lease_type AS lease_lease_type, lease.status, lease.county, lease.purchasers, lease.wells
      FROM unnest($2::date[]) AS p(period)
      LEFT JOIN lease_months lm ON lm.lease_id = $1 AND lm.month = p.period
      LEFT JOIN form_pr_lines fl ON fl.lease_id = $1 AND fl.period = p.period
      LEFT JOIN lease ON true"""


def _encoded(column: str, value: Any) -> Any:
    return json.dumps(value) if column in _JSON_COLUMNS and value is not None else value


def _adjustment(item: Row) -> Adjustment:
    return Adjustment(
        UUID(item["id"]),
        item["product"],
        item["code"],
        Decimal(item["volume"]),
        item["authority"],
        item["remark"],
        item["reason"],
        item["created_by"],
    )


def _lease(row: Any) -> Any:
    if row["lease_id"] is None:
        return None
    lease = {
        "id": row["lease_id"],
        "name": row["name"],
        "rrc_district": row["rrc_district"],
        "rrc_lease_number": row["rrc_lease_number"],
        "lease_type": row["lease_lease_type"],
        "status": row["status"],
        "county": row["county"],
        "purchasers": row["purchasers"],
    }
    wells = [{**w, "id": UUID(w["id"])} for w in row["wells"] or ()]
    return lease_facts(lease, wells)


class SqlLeaseLines(Repository):
    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self._locked: tuple[UUID, date, list[date], date | None] | None = None

    async def intake(self, lease_id: UUID, month: date, values: Row) -> tuple[bool, bool]:
        """Also takes ``open``'s locks when the month was kept and has its report (the common case: every reading
        of a month already reported), so ``open`` of the same lease from that month only reads."""
        driver = await driver_in_transaction(self.connection)
        tenant = self.organization_id
        row = await driver.fetchrow(
            _INTAKE,
            tenant,
            lease_id,
            month,
            *(_encoded(column, values.get(column)) for column in _MONTH_COLUMNS),
            lease_lock_key(tenant, lease_id),
            period_lock_key(tenant, month).removesuffix(month.isoformat()),
        )
        if row["lease_locked"]:
            self._locked = (lease_id, month, list(row["periods"]), row["before"])
        kept = bool(row["kept"])
        return kept, kept and bool(row["reported"])

    async def open(self, tenant_id: UUID, lease_id: UUID, start: date | None) -> LeaseSnapshot:
        driver = await driver_in_transaction(self.connection)
        locked, self._locked = self._locked, None
        if locked is not None and locked[:2] == (lease_id, start):
            periods, before = locked[2], locked[3]
        else:
            found = await driver.fetchrow(_OPEN, lease_lock_key(tenant_id, lease_id), start)
            periods, before = list(found["periods"]), found["before"]
            if periods:
                await driver.fetch(_PERIOD_LOCKS, [period_lock_key(tenant_id, period) for period in periods])
        if not periods:
            return LeaseSnapshot([])
        snapshot = LeaseSnapshot(periods, before)
        read = [snapshot.before, *periods] if snapshot.before is not None else periods
        for row in await driver.fetch(_READ, lease_id, read, periods):
            period = row["period"]
            snapshot.facts = _lease(row)
            if row["line"] is not None:
                snapshot.lines[period] = row["line"]
                snapshot.endings[period] = row["ending_stock"]
            if period == before:
                continue  # only its line's ending stock carries over
            if row["has_month"]:
                snapshot.months[period] = lease_month(dict(row))
            if row["adjustments"] is not None:
                snapshot.adjustments[period] = [_adjustment(item) for item in row["adjustments"]]
            if row["tickets"] is not None:
                snapshot.tickets[period] = {code: Decimal(total) for code, total in row["tickets"].items()}
            if row["priced"]:
                snapshot.priced.add(period)
        return snapshot
