"""The bulk path of the CSV import: the body streams straight into ``COPY ... FROM STDIN`` (a temporary table
of text columns, dropped at commit), the lines are typed and checked set-wise in one statement, and the good
ones merged with one ``INSERT ... SELECT`` (why this shape: ``app.imports``). Also the stored imports and
their error reports.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from wellflow_servicekit.errors import Problem
from wellflow_servicekit.repository import Repository, Row

from ...app.ports import ConstraintViolated, CopyFailed
from ...domain.csv_rows import ALL_COLUMNS
from ..tables import import_errors, imports

STAGING_COLUMNS = ", ".join(f"{c} text" for c in ALL_COLUMNS)
_COPY_LINE = re.compile(r"line (\d+)")

# Typed and checked lines: one statement over the whole staging table. `problem` is the first fault found,
# as (field, message); NULL means the line is good. The CASE order mirrors domain.csv_rows.parse_row.
_CHECK = """
CREATE TEMP TABLE import_checked ON COMMIT DROP AS
WITH n AS MATERIALIZED (
    SELECT line,
           replace(btrim(coalesce(api_number, '')), '-', '') AS api,
           btrim(coalesce(date, '')) AS d,
           btrim(coalesce(oil_bbl, '')) AS oil, btrim(coalesce(gas_mcf, '')) AS gas,
           btrim(coalesce(water_bbl, '')) AS water, btrim(coalesce(hours_on, '')) AS hours,
           nullif(lower(btrim(coalesce(downtime_reason, ''))), '') AS reason,
           nullif(btrim(coalesce(tubing_pressure_psi, '')), '') AS tubing,
           nullif(btrim(coalesce(casing_pressure_psi, '')), '') AS casing,
           nullif(btrim(coalesce(comments, '')), '') AS comments
      FROM import_raw
),
p AS MATERIALIZED (
    SELECT n.*,
           -- digits only and 10, 12 or 14 of them (a length test and a plain class: cheaper than {10} repeats)
           CASE WHEN length(api) IN (10, 12, 14) AND api ~ '^[0-9]+$' THEN rpad(api, 14, '0')
                WHEN api ~ '^[0-9]{8}$' THEN '42' || api || '0000' END AS api14,  -- RRC 8 digits: Texas implied
           CASE WHEN d ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                THEN ARRAY[substr(d, 1, 4)::int, substr(d, 6, 2)::int, substr(d, 9, 2)::int]
                WHEN d ~ '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$'
                THEN ARRAY[split_part(d, '/', 3)::int, split_part(d, '/', 1)::int, split_part(d, '/', 2)::int]
           END AS ymd,
           CASE WHEN {num:oil} THEN oil::numeric END AS oil_n,
           CASE WHEN {num:gas} THEN gas::numeric END AS gas_n,
           CASE WHEN {num:water} THEN water::numeric END AS water_n,
           CASE WHEN {num:hours} THEN hours::numeric END AS hours_n,
           CASE WHEN {num:tubing} THEN tubing::numeric END AS tubing_n,
           CASE WHEN {num:casing} THEN casing::numeric END AS casing_n
      FROM n
),
q AS MATERIALIZED (
    SELECT p.*,
           CASE WHEN ymd[1] BETWEEN 1900 AND 9999 AND ymd[2] BETWEEN 1 AND 12 AND ymd[3] >= 1
                     AND ymd[3] <= extract(day from make_date(ymd[1], ymd[2], 1) + interval '1 month - 1 day')
                THEN make_date(ymd[1], ymd[2], ymd[3]) END AS day,
           w.id AS well_id, w.lease_id
      FROM p LEFT JOIN wells w ON w.api_number = p.api14
),
c AS MATERIALIZED (
    SELECT q.*,
           CASE
             WHEN api14 IS NULL
                  THEN 'api_number|API number ' || quote_literal(api)
                       || ' must have 10, 12 or 14 digits 0-9 (or the RRC''s 8), dashed or plain, no spaces inside'
             WHEN day IS NULL
                  THEN 'date|date ' || quote_literal(d) || ' is not a calendar day: write YYYY-MM-DD or MM/DD/YYYY'
             WHEN day > CAST(:today AS date) THEN 'date|date ' || day || ' is in the future'
             WHEN oil_n IS NULL THEN 'oil_bbl|oil_bbl ' || quote_literal(oil) || :not_number
             WHEN gas_n IS NULL THEN 'gas_mcf|gas_mcf ' || quote_literal(gas) || :not_number
             WHEN water_n IS NULL THEN 'water_bbl|water_bbl ' || quote_literal(water) || :not_number
             WHEN hours_n IS NULL THEN 'hours_on|hours_on ' || quote_literal(hours) || :not_number
             WHEN tubing IS NOT NULL AND tubing_n IS NULL
                  THEN 'tubing_pressure_psi|tubing_pressure_psi ' || quote_literal(tubing) || :not_number
             WHEN casing IS NOT NULL AND casing_n IS NULL
                  THEN 'casing_pressure_psi|casing_pressure_psi ' || quote_literal(casing) || :not_number
             WHEN oil_n < 0 OR gas_n < 0 OR water_n < 0 OR hours_n < 0 OR tubing_n < 0 OR casing_n < 0
                  THEN 'oil_bbl|volumes, hours and pressures must not be negative'
             WHEN hours_n > 24 THEN 'hours_on|hours on cannot exceed 24 (got ' || hours_n || ')'
             WHEN hours_n = 0 AND (oil_n > 0 OR gas_n > 0 OR water_n > 0)
                  THEN 'hours_on|hours on is 0 but volumes are reported: a well that was off produced nothing'
             WHEN hours_n < 24 AND reason IS NULL
                  THEN 'downtime_reason|the well was on ' || hours_n || ' of 24 hours: give a downtime reason'
             WHEN length(reason) > 64 THEN 'downtime_reason|downtime_reason is longer than 64 characters'
             WHEN length(comments) > 2000 THEN 'comments|comments are longer than 2000 characters'
             WHEN well_id IS NULL THEN 'api_number|no well with API number ' || api14 || ' in this organization'
             WHEN reason IS NOT NULL AND NOT (reason = ANY(CAST(:reasons AS text[])))
                  THEN 'downtime_reason|unknown downtime reason ' || quote_literal(reason)
           END AS problem
      FROM q
)
SELECT c.line, c.well_id, c.lease_id, c.day, c.oil_n AS oil_bbl, c.gas_n AS gas_mcf, c.water_n AS water_bbl,
       c.hours_n AS hours_on, c.reason AS downtime_reason, c.tubing_n AS tubing_pressure_psi,
       c.casing_n AS casing_pressure_psi, c.comments,
       coalesce(c.problem,
                CASE WHEN count(*) FILTER (WHERE c.problem IS NULL) OVER (PARTITION BY c.well_id, c.day) > 1
                     THEN 'date|the file gives this well and day more than once (lines '
                          || array_to_string(array_agg(c.line) FILTER (WHERE c.problem IS NULL)
                                             OVER (PARTITION BY c.well_id, c.day), ', ') || ')'
                     WHEN existing.id IS NOT NULL
                     THEN 'date|the well already has a reading for ' || c.day || ': correct that reading instead'
                END) AS problem,
       c.oil_n > :max_oil OR c.gas_n > :max_gas OR c.water_n > :max_water AS above_limit
  FROM c LEFT JOIN readings existing ON existing.well_id = c.well_id AND existing.production_date = c.day
"""


def _is_number(column: str) -> str:
    """SQL: ``column`` is a plain non-negative decimal, at most 12 digits before the point and 3 after
    (domain.readings.parse_decimal: a sign is read so that -0 passes and a negative value gets its own
    message). PostgreSQL's regular expressions cost in proportion to their bounded repeats: the common
    case (unsigned, 12 characters or fewer) is tested by a plain pattern, which implies the full one,
    and only the other values go through the full pattern; the answer is the full pattern's either way.
    Measured on 200,000 lines x 4 columns: 2.2-3.2 s with the full pattern alone, 1.1-1.6 s so; string
    functions (ltrim/translate) were slower than either."""
    full = f"{column} ~ '^[+-]?0*([0-9]{{1,12}}(\\.[0-9]{{0,3}})?|\\.[0-9]{{1,3}})$'"
    return f"(CASE WHEN length({column}) <= 12 AND {column} ~ '^[0-9]+(\\.[0-9]{{0,3}})?$' THEN true ELSE {full} END)"


_CHECK = re.sub(r"\{num:(\w+)\}", lambda m: _is_number(m.group(1)), _CHECK)

_MERGE = """
INSERT INTO readings (organization_id, id, well_id, lease_id, production_date, version, oil_bbl, gas_mcf,
                      water_bbl, hours_on, downtime_reason, tubing_pressure_psi, casing_pressure_psi, comments,
                      recorded_by, entered_at, source, import_id, updated_at, updated_by)
SELECT CAST(:org AS uuid), CAST(:id_prefix || lpad(to_hex(line), 12, '0') AS uuid), well_id, lease_id, day, 1,
       oil_bbl, gas_mcf, water_bbl, hours_on, downtime_reason, tubing_pressure_psi, casing_pressure_psi, comments,
       :actor, :now, 'import', CAST(:import_id AS uuid), :now, :actor
  FROM import_checked WHERE problem IS NULL
"""
# What the merge changed, from the staging table in one pass: a hash aggregate per well and month (no sort of
# the good lines, which a count(DISTINCT) per lease-month took), rolled up per lease-month; every row also
# carries the number of distinct wells (a well is on one lease).
_CHANGED = """
WITH per_well AS (
    SELECT lease_id, well_id, date_trunc('month', day)::date AS month, count(*) AS n, min(day) AS first_day,
           max(day) AS last_day
      FROM import_checked WHERE problem IS NULL GROUP BY 1, 2, 3
)
SELECT lease_id, month, sum(n)::bigint AS n, min(first_day) AS first_day, max(last_day) AS last_day,
       count(*) AS wells, (SELECT count(DISTINCT well_id) FROM per_well) AS well_count
  FROM per_well GROUP BY 1, 2
"""


_TOTALS = text(
    "SELECT count(*) AS total, count(*) FILTER (WHERE problem IS NOT NULL) AS bad, "
    "count(*) FILTER (WHERE problem IS NULL AND above_limit) AS warned FROM import_checked"
)
_BAD_LINES = text(
    "SELECT r.*, c.problem FROM import_checked c JOIN import_raw r USING (line) "
    "WHERE c.problem IS NOT NULL ORDER BY line LIMIT :n"
)
_STORE_ERRORS = text(
    "INSERT INTO import_errors (organization_id, import_id, line, field, code, message) "
    "SELECT CAST(:org AS uuid), CAST(:import_id AS uuid), line, split_part(problem, '|', 1), "
    "'invalid', "
    "substr(problem, strpos(problem, '|') + 1) FROM import_checked WHERE problem IS NOT NULL"
)
_REWORD_ERRORS = text(
    "UPDATE import_errors SET field = :field, message = :message "
    "WHERE import_id = CAST(:import_id AS uuid) AND line = :line"
)


class SqlImports(Repository):
    async def stage(self, columns: Sequence[str], body: AsyncIterator[bytes]) -> None:
        """COPY the CSV ``body`` (lines after the header, in ``columns``) into the staging table ``import_raw``;
        a line COPY cannot split raises ``CopyFailed``."""
        driver = (await self.connection.get_raw_connection()).driver_connection
        # One big set-wise statement: JIT compilation would cost seconds here, and the sorts want memory.
        await driver.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)")
        await driver.execute(
            f"CREATE TEMP TABLE import_raw (line bigint GENERATED ALWAYS AS IDENTITY (START 2), {STAGING_COLUMNS}) "
            "ON COMMIT DROP"
        )
        try:
            await driver.copy_to_table(
                "import_raw", source=body, columns=list(columns), format="csv", header=False, encoding="utf-8"
            )
        except Problem:
            raise
        except Exception as exc:  # asyncpg's DataError/BadCopyFileFormatError: a line COPY cannot split
            message = str(exc).splitlines()[0]
            found = _COPY_LINE.search(f"{getattr(exc, 'context', '') or ''} {exc}")
            raise CopyFailed(message, int(found.group(1)) + 1 if found else None) from None

    async def check(self, parameters: dict[str, Any]) -> Row:
        """Type and check every staged line (``import_checked``); answers the counts: total, bad, warned."""
        await self.execute(text(_CHECK), parameters)
        return await self.one(_TOTALS)

    async def bad_lines(self, limit: int) -> list[Row]:
        """The first ``limit`` bad lines: their cells and ``problem`` (``field|message``)."""
        return await self.all(_BAD_LINES, {"n": limit})

    async def merge(self, parameters: dict[str, Any]) -> tuple[list[Row], int]:
        """Insert the good lines; answers what changed per lease-month (n, first_day, last_day) and the number of
        wells. A reading recorded meanwhile for one of the file's well-days raises ``ConstraintViolated``."""
        try:
            await self.execute(text(_MERGE), parameters)
        except IntegrityError as exc:
            raise ConstraintViolated(str(exc)) from exc
        changed = await self.all(text(_CHANGED))
        return changed, changed[0]["well_count"] if changed else 0

    async def add(self, summary: Row) -> None:
        await self.execute(insert(imports).values(summary))

    async def add_errors(self, import_id: UUID, reworded: list[dict[str, Any]]) -> None:
        """Store every bad line's problem, with the domain's wording for the ``reworded`` lines."""
        await self.execute(_STORE_ERRORS, {"org": str(self.organization_id), "import_id": str(import_id)})
        await self.execute(_REWORD_ERRORS, [{**error, "import_id": str(import_id)} for error in reworded])

    async def get(self, import_id: UUID) -> Row | None:
        return await self.optional(select(imports).where(imports.c.id == import_id))

    async def errors(self, import_id: UUID, *, offset: int, limit: int) -> list[Row]:
        return await self.all(
            select(import_errors.c.line, import_errors.c.field, import_errors.c.message)
            .where(import_errors.c.import_id == import_id)
            .order_by(import_errors.c.line)
            .offset(offset)
            .limit(limit)
        )

    async def latest_first(self, *, offset: int, limit: int) -> list[Row]:
        return await self.all(
            select(imports).order_by(imports.c.created_at.desc(), imports.c.id.desc()).offset(offset).limit(limit + 1)
        )
