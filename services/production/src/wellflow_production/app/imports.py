"""Bulk import of daily readings from CSV: COPY into a staging table, validate, merge; one transaction.

Why this shape: a million lines must go through in seconds, and no Python object may exist per line at
once. The request body streams straight into ``COPY ... FROM STDIN`` (a temporary table of text columns),
so the file is never held in memory. The checks run set-wise in SQL with the rules of
``domain.csv_rows`` / ``domain.readings`` (numbers, at most 3 decimals, no negatives, hours 0 to 24, no
volume on a day with 0 hours, ``YYYY-MM-DD`` or ``MM/DD/YYYY`` calendar days not in the future, 10/12/14
digit API numbers) plus what only the database knows (the well exists here, the reason code is known,
the well has no reading that day, the file gives that well-day once). Every rejected line is then parsed
again by ``domain.csv_rows.parse_row``, whose message is the one reported when it finds the fault, so the
wording of a line's error is the domain's. The merge is one ``INSERT ... SELECT``; the lease-months the file
touched are refreshed by one recomputation, and one ``ReadingsImported`` summary plus the changed
lease-months go to the outbox.

Modes: ``good_lines`` imports the valid lines and reports the others; ``all_or_nothing`` imports nothing
when any line is bad (the report still lists every bad line). A line is never imported in part.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.production import ReadingsImported
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.problems import Conflict, NotFound, Problem, UnprocessableContent

from ..adapters.tables import import_errors, imports
from ..domain.csv_rows import ALL_COLUMNS, RowError, check_header, normalize_column, parse_row
from . import rollups
from .common import Actor, Production, jsonable
from .organization import load_settings, reason_codes
from .plausibility import limits_of

log = logging.getLogger(__name__)
Mode = Literal["good_lines", "all_or_nothing"]
REPORT_LIMIT = 1000  # error lines answered inline; the full report is stored and paged
STAGING_COLUMNS = ", ".join(f"{c} text" for c in ALL_COLUMNS)
_COPY_LINE = re.compile(r"line (\d+)")


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = "Payload too large"


@dataclass
class ImportResult:
    import_id: UUID
    status: str
    body: dict[str, Any]


# Typed and checked lines: one statement over the whole staging table. `problem` is the first fault found,
# as (field, message); NULL means the line is good. The CASE order mirrors domain.csv_rows.parse_row.
_CHECK = """
CREATE TEMP TABLE import_checked ON COMMIT DROP AS
WITH n AS MATERIALIZED (
    SELECT line,
           regexp_replace(coalesce(api_number, ''), '[\\s-]', '', 'g') AS api,
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
           CASE WHEN api ~ '^[0-9]{10}([0-9]{2}){0,2}$' THEN rpad(api, 14, '0') END AS api14,
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
                  THEN 'api_number|API number ' || quote_literal(api) || ' must have 10, 12 or 14 digits'
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
    message). One regular expression measured faster than string functions here."""
    return f"{column} ~ '^[+-]?0*([0-9]{{1,12}}(\\.[0-9]{{0,3}})?|\\.[0-9]{{1,3}})$'"


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
# What the merge changed, from the staging table (a hash aggregate, no second pass over the new rows)
_CHANGED = """
SELECT lease_id, date_trunc('month', day)::date AS month, count(*) AS n, min(day) AS first_day,
       max(day) AS last_day, count(DISTINCT well_id) AS wells
  FROM import_checked WHERE problem IS NULL GROUP BY 1, 2
"""


async def _lines_after_header(chunks: AsyncIterator[bytes], limit: int) -> tuple[list[str], AsyncIterator[bytes]]:
    """Read the header line off the stream; return its columns and the rest of the stream (size-checked)."""
    buffer = b""
    seen = 0
    iterator = chunks.__aiter__()
    while b"\n" not in buffer:
        try:
            chunk = await iterator.__anext__()
        except StopAsyncIteration:
            break
        seen += len(chunk)
        buffer += chunk
        if b"\n" not in buffer and len(buffer) > 64 * 1024:
            raise UnprocessableContent("The first line of the file is not a CSV header.", slug="bad-csv-header")
    head, _, rest = buffer.partition(b"\n")
    try:
        header = next(csv.reader([head.decode("utf-8-sig").rstrip("\r")]))
    except (UnicodeDecodeError, StopIteration):
        raise UnprocessableContent(
            "The file must be UTF-8 CSV text with a header line.", slug="bad-csv-header"
        ) from None

    async def remainder() -> AsyncIterator[bytes]:
        nonlocal seen
        if rest:
            yield rest
        async for chunk in iterator:
            seen += len(chunk)
            if seen > limit:
                raise PayloadTooLarge(f"The file is larger than the {limit // (1024 * 1024)} MiB an import accepts.")
            yield chunk

    return header, remainder()


async def import_readings(
    production: Production,
    actor: Actor,
    chunks: AsyncIterator[bytes],
    *,
    mode: Mode,
    file_name: str | None,
    max_bytes: int,
) -> ImportResult:
    started = time.perf_counter()
    header, body = await _lines_after_header(chunks, max_bytes)
    checked = check_header(header)
    if not checked.ok:
        raise UnprocessableContent(
            f"The CSV header is not usable: {checked.message}.",
            slug="bad-csv-header",
            errors=[{"field": "header", "message": checked.message}],
        )
    columns = [normalize_column(name) for name in header]
    import_id = uuid7()
    now = production.clock()
    today = production.today()
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        codes = sorted(await reason_codes(uow))
        connection = await uow.connection.get_raw_connection()
        driver = connection.driver_connection
        # One big set-wise statement: JIT compilation would cost seconds here, and the sorts want memory.
        await driver.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '256MB', true)")
        await driver.execute(
            f"CREATE TEMP TABLE import_raw (line bigint GENERATED ALWAYS AS IDENTITY (START 2), {STAGING_COLUMNS}) "
            "ON COMMIT DROP"
        )
        try:
            await driver.copy_to_table(
                "import_raw", source=body, columns=columns, format="csv", header=False, encoding="utf-8"
            )
        except Problem:
            raise
        except Exception as exc:  # asyncpg's DataError/BadCopyFileFormatError: a line COPY cannot split
            message = str(exc).splitlines()[0]
            found = _COPY_LINE.search(f"{getattr(exc, 'context', '') or ''} {exc}")
            line = int(found.group(1)) + 1 if found else None
            raise UnprocessableContent(
                f"The file is not valid CSV{f' at line {line}' if line else ''}: {message}. Nothing was imported.",
                slug="bad-csv",
                errors=[{"field": f"line {line}" if line else "file", "message": message}],
            ) from None
        phases = {"copy": time.perf_counter() - started}
        await uow.connection.execute(
            text(_CHECK),
            {
                "not_number": " is not a decimal number (0 or more, at most 3 decimals)",
                "today": today,
                "reasons": codes,
                "max_oil": settings.max_oil_bbl,
                "max_gas": settings.max_gas_mcf,
                "max_water": settings.max_water_bbl,
            },
        )
        totals = (
            (
                await uow.connection.execute(
                    text(
                        "SELECT count(*) AS total, count(*) FILTER (WHERE problem IS NOT NULL) AS bad, "
                        "count(*) FILTER (WHERE problem IS NULL AND above_limit) AS warned FROM import_checked"
                    )
                )
            )
            .mappings()
            .one()
        )
        phases["check"] = time.perf_counter() - started
        errors = await _error_report(uow, settings, today)
        rows_total, rows_bad = totals["total"], totals["bad"]
        rejected = mode == "all_or_nothing" and rows_bad > 0
        changed: list[Any] = []
        well_count = 0
        merge_params = {
            "org": str(actor.organization_id),
            "actor": actor.id,
            "now": now,
            "import_id": str(import_id),
            # ids in line order under the import's own time-ordered id: cheap to index
            "id_prefix": import_id.hex[:20],
        }
        if not rejected and rows_total > rows_bad:
            try:
                await uow.connection.execute(text(_MERGE), merge_params)
            except IntegrityError:
                raise Conflict(
                    "A reading for a well and day in this file was recorded while it was imported; "
                    "send the file again (lines now recorded will be reported, nothing is doubled).",
                    slug="concurrent-reading",
                ) from None
            changed = list((await uow.connection.execute(text(_CHANGED))).mappings())
            well_count = await uow.connection.scalar(
                text("SELECT count(DISTINCT well_id) FROM import_checked WHERE problem IS NULL")
            )
            phases["merge"] = time.perf_counter() - started
            await rollups.refresh(uow, actor.organization_id, [(row["lease_id"], row["month"]) for row in changed])
            phases["rollups"] = time.perf_counter() - started
        imported = sum(row["n"] for row in changed)
        lease_ids = sorted({row["lease_id"] for row in changed})
        first_day = min((row["first_day"] for row in changed), default=None)
        last_day = max((row["last_day"] for row in changed), default=None)
        status = "rejected" if rejected else "imported"
        summary = {
            "organization_id": actor.organization_id,
            "id": import_id,
            "file_name": file_name,
            "mode": mode,
            "status": status,
            "rows_total": rows_total,
            "rows_imported": imported,
            "rows_rejected": rows_total - imported,
            "first_date": first_day,
            "last_date": last_day,
            "well_count": well_count,
            "lease_ids": [str(lease) for lease in lease_ids],
            "imported_by": actor.id,
            "created_at": now,
            "duration_ms": int((time.perf_counter() - started) * 1000),
        }
        await uow.connection.execute(insert(imports).values(summary))
        if errors:
            await uow.connection.execute(
                text(
                    "INSERT INTO import_errors (organization_id, import_id, line, field, code, message) "
                    "SELECT CAST(:org AS uuid), CAST(:import_id AS uuid), line, split_part(problem, '|', 1), "
                    "'invalid', "
                    "substr(problem, strpos(problem, '|') + 1) FROM import_checked WHERE problem IS NOT NULL"
                ),
                {"org": str(actor.organization_id), "import_id": str(import_id)},
            )
            # the domain's wording for the lines reported inline
            await uow.connection.execute(
                text(
                    "UPDATE import_errors SET field = :field, message = :message "
                    "WHERE import_id = CAST(:import_id AS uuid) AND line = :line"
                ),
                [{**error, "import_id": str(import_id)} for error in errors],
            )
        if imported or rejected or rows_total:
            uow.record(
                ReadingsImported(
                    tenant_id=actor.organization_id,
                    import_id=import_id,
                    file_name=file_name,
                    mode=mode,
                    rows_total=rows_total,
                    rows_imported=imported,
                    rows_rejected=rows_total - imported,
                    first_date=first_day,
                    last_date=last_day,
                    well_count=well_count,
                    lease_ids=lease_ids,
                    imported_by=actor.id,
                )
            )
    phases["commit"] = time.perf_counter() - started
    log.info(
        "import %s: %d rows; seconds since start: %s",
        import_id,
        rows_total,
        ", ".join(f"{name} {at:.2f}" for name, at in phases.items()),
    )
    body_out = jsonable({k: v for k, v in summary.items() if k != "organization_id"})
    body_out["import_id"] = body_out.pop("id")
    body_out["rows_with_warnings"] = totals["warned"]
    body_out["lease_months_updated"] = len(changed)
    body_out["errors"] = errors
    body_out["errors_truncated"] = rows_bad > len(errors)
    return ImportResult(import_id, status, body_out)


async def _error_report(uow: Any, settings: Any, today: date) -> list[dict[str, Any]]:
    """The first ``REPORT_LIMIT`` bad lines, with the domain parser's message where it finds the fault."""
    rows = (
        (
            await uow.connection.execute(
                text(
                    "SELECT r.*, c.problem FROM import_checked c JOIN import_raw r USING (line) "
                    "WHERE c.problem IS NOT NULL ORDER BY line LIMIT :n"
                ),
                {"n": REPORT_LIMIT},
            )
        )
        .mappings()
        .all()
    )
    limits = limits_of(settings)
    report = []
    for row in rows:
        field, _, message = row["problem"].partition("|")
        cells = {column: row[column] or "" for column in ALL_COLUMNS}
        parsed = parse_row(row["line"], cells, limits, today=today)
        if isinstance(parsed, RowError):
            field, message = parsed.field, parsed.message
        report.append({"line": row["line"], "field": field, "message": message})
    return report


async def get_import(
    production: Production, actor: Actor, import_id: UUID, *, offset: int, limit: int
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = (await uow.connection.execute(select(imports).where(imports.c.id == import_id))).mappings().first()
        if row is None:
            raise NotFound(f"No import {import_id}.")
        errors = (
            (
                await uow.connection.execute(
                    select(import_errors.c.line, import_errors.c.field, import_errors.c.message)
                    .where(import_errors.c.import_id == import_id)
                    .order_by(import_errors.c.line)
                    .offset(offset)
                    .limit(limit)
                )
            )
            .mappings()
            .all()
        )
    body = jsonable({k: v for k, v in row.items() if k != "organization_id"})
    body["import_id"] = body.pop("id")
    body["errors"] = [dict(e) for e in errors]
    body["errors_offset"] = offset
    return body


async def list_imports(production: Production, actor: Actor, *, offset: int, limit: int) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        rows = (
            (
                await uow.connection.execute(
                    select(imports)
                    .order_by(imports.c.created_at.desc(), imports.c.id.desc())
                    .offset(offset)
                    .limit(limit + 1)
                )
            )
            .mappings()
            .all()
        )
    items = []
    for row in rows[:limit]:
        item = jsonable({k: v for k, v in row.items() if k != "organization_id"})
        item["import_id"] = item.pop("id")
        items.append(item)
    return {"items": items, "has_more": len(rows) > limit, "offset": offset, "limit": limit}


def text_chunks(data: bytes, size: int = 1 << 16) -> AsyncIterator[bytes]:
    """An in-memory body as a stream (tests and small uploads)."""

    async def gen() -> AsyncIterator[bytes]:
        view = io.BytesIO(data)
        while chunk := view.read(size):
            yield chunk

    return gen()
