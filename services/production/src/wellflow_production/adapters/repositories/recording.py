"""Recording a reading in as few round trips and as little client CPU as it can take: the statements of the
hot path (``app.readings.record``), written once as SQL and run on the transaction's asyncpg connection, where
asyncpg keeps each one prepared (no SQLAlchemy compilation, cache-key or result processing per call).

A reading costs, besides the transaction's BEGIN, tenant setting, outbox rows and COMMIT, three statements
here:

1. ``open``: claims the idempotency key, and reads the well (its status that day), the organization's
   settings and the well's recent days: one round trip;
2. ``add``: inserts the reading and, when it went in, takes the lease-month rollup's row lock (the first of
   the two statements of ``app.rollups``: the recomputation that follows is a new statement, as it must be);
3. ``recompute``: recomputes the lease-month (``lease_months``' statement) and keeps the first result with the
   idempotency key.

They run on the connection the unit of work opened, inside its transaction (begun, with the tenant set, by
``UnitOfWork.__aenter__``), so row-level security and the rollback of every effect on an error hold as for any
other statement.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from wellflow_servicekit.repository import Repository, Row, driver_in_transaction

from ...app.ports import ConstraintViolated
from ..tables import wells
from .lease_months import RECOMPUTE_PREPARED, lock_statement
from .organization import SETTING_NAMES

_WELL_COLUMNS = [column.name for column in wells.columns]
_WELL_NAMES = ", ".join(f"w.{name}" for name in _WELL_COLUMNS)
_SETTINGS = ", ".join(f"ps.{name} AS setting_{name}" for name in SETTING_NAMES)

# $1 well, $2 day, $3 the trailing days when the organization has no settings; with a key also $4 tenant,
# $5 key, $6 operation, $7 request hash, $8 now. The claim waits for a concurrent first request holding the
# key (then it finds the key taken) or for its rollback (then this transaction owns the key).
_CLAIM = """
    WITH claim AS (
        INSERT INTO idempotency_keys (organization_id, key, operation, request_hash, created_at)
        VALUES ($4, $5, $6, $7, $8)
        ON CONFLICT DO NOTHING RETURNING 1
    )"""
_OPEN = f"""
    SELECT {{claimed}} AS claimed, {_WELL_NAMES},
           coalesce((SELECT h.to_status FROM well_status_history h
                      WHERE h.well_id = w.id AND h.effective_date <= $2
                      ORDER BY h.effective_date DESC, h.occurred_at DESC LIMIT 1), w.status) AS status_on_day,
           {_SETTINGS},
           rc.days AS recent_days, rc.oil_bbl AS recent_oil_bbl, rc.gas_mcf AS recent_gas_mcf,
           rc.water_bbl AS recent_water_bbl
      FROM (SELECT 1) one
      LEFT JOIN wells w ON w.id = $1
      LEFT JOIN production_settings ps ON true
      LEFT JOIN LATERAL (
            SELECT count(*) AS days, round(avg(rd.oil_bbl), 3) AS oil_bbl, round(avg(rd.gas_mcf), 3) AS gas_mcf,
                   round(avg(rd.water_bbl), 3) AS water_bbl
              FROM readings rd
             WHERE rd.well_id = w.id AND rd.hours_on > 0 AND rd.production_date < $2
               AND rd.production_date >= $2 - CASE WHEN ps.max_oil_bbl IS NULL THEN $3::int
                                                   ELSE ps.trailing_days END
      ) rc ON true
"""
_OPEN_CLAIMING = _CLAIM + _OPEN.format(claimed="(SELECT count(*) FROM claim) > 0")
_OPEN_PLAIN = _OPEN.format(claimed="false")
_RECENT = ("days", "oil_bbl", "gas_mcf", "water_bbl")

_RECOMPUTE_ANSWERING = RECOMPUTE_PREPARED.replace(
    "WITH k AS (",
    "WITH answered AS (UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE operation = $5 AND key = $6),"
    " k AS (",
    1,
)

_INSERTS: dict[tuple[str, ...], str] = {}


def _insert(columns: tuple[str, ...]) -> str:
    """The reading's INSERT (nothing when its id or well-day is taken) and, when it went in, the lock of its
    lease-month rollup row; ``$1`` is the lease-month, the row's values follow in ``columns`` order."""
    statement = _INSERTS.get(columns)
    if statement is None:
        values = ", ".join(f"${n}" for n in range(2, len(columns) + 2))
        lock = lock_statement("SELECT r.organization_id, r.lease_id, $1::date AS month FROM r")
        statement = (
            f"WITH r AS (INSERT INTO readings ({', '.join(columns)}) VALUES ({values}) "
            f"ON CONFLICT DO NOTHING RETURNING *), lock AS ({lock}) SELECT * FROM r"
        )
        _INSERTS[columns] = statement
    return statement


class SqlRecording(Repository):
    async def _driver(self) -> Any:
        return await driver_in_transaction(self.connection)

    async def open(
        self, well_id: UUID, day: date, trailing_days: int, claim: tuple[str, str, str, datetime] | None
    ) -> tuple[bool, Row | None]:
        """(whether this transaction now holds the key ``claim`` = (operation, key, request hash, now), the well
        as ``wells.get(well_id, day)`` answers it with ``recent``: its days on production in the organization's
        trailing days before ``day`` and their mean volumes, None without any). ``trailing_days`` applies when
        the organization has no settings yet."""
        driver = await self._driver()
        if claim is None:
            record = await driver.fetchrow(_OPEN_PLAIN, well_id, day, trailing_days)
        else:
            operation, key, fingerprint, now = claim
            record = await driver.fetchrow(
                _OPEN_CLAIMING, well_id, day, trailing_days, self.organization_id, key, operation, fingerprint, now
            )
        claimed = bool(record["claimed"])
        if record["id"] is None:
            return claimed, None
        well = {name: record[name] for name in _WELL_COLUMNS}
        well["status_on_day"] = record["status_on_day"]
        for name in SETTING_NAMES:
            well[f"setting_{name}"] = record[f"setting_{name}"]
        days = record["recent_days"]
        well["recent"] = {name: record[f"recent_{name}"] for name in _RECENT} if days else None
        return claimed, well

    async def add(self, row: Row, month: date) -> Row | None:
        """The stored reading, or None when its id or its well-day is taken; a reading that went in holds its
        lease-month rollup row (``month``) locked, bumped to a new revision, for the recomputation."""
        columns = tuple(row)
        driver = await self._driver()
        try:
            record = await driver.fetchrow(_insert(columns), month, *(row[name] for name in columns))
        except asyncpg.IntegrityConstraintViolationError as exc:  # a check constraint (the volumes, hours on)
            raise ConstraintViolated(str(exc)) from exc
        return dict(record) if record is not None else None

    async def recompute(
        self, lease_id: UUID, month: date, answer: tuple[str, str, int, dict[str, Any]] | None
    ) -> list[Row]:
        """The lease-month ``add`` locked, recomputed (``lease_months.recompute``'s second statement); with
        ``answer`` = (operation, key, status, response), the first result kept with the key in the same
        statement."""
        driver = await self._driver()
        if answer is None:
            records = await driver.fetch(RECOMPUTE_PREPARED, [lease_id], [month])
        else:
            operation, key, status, response = answer
            records = await driver.fetch(
                _RECOMPUTE_ANSWERING, [lease_id], [month], status, json.dumps(response), operation, key
            )
        return [dict(record) for record in records]
