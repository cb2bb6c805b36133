"""Import a CSV file of daily readings in one transaction (the shape and the modes: this package's docstring;
the SQL: ``adapters.repositories.imports``)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from wellflow_contracts.events.production import ReadingsImported
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, UnprocessableContent
from wellflow_servicekit.kernel import Actor, jsonable

from ...domain.csv_rows import ALL_COLUMNS, RowError, check_header, normalize_column, parse_row
from .. import rollups
from ..common import Production
from ..organization import OrganizationSettings, load_settings, reason_codes
from ..plausibility import limits_of
from ..ports import ConstraintViolated, CopyFailed, ProductionWork
from .stream import lines_after_header

log = logging.getLogger(__name__)
Mode = Literal["good_lines", "all_or_nothing"]
REPORT_LIMIT = 1000  # error lines answered inline; the full report is stored and paged
NOT_A_NUMBER = " is not a decimal number (0 or more, at most 3 decimals)"


@dataclass
class ImportResult:
    import_id: UUID
    status: str
    body: dict[str, Any]


@dataclass
class _Run:
    """One import as it goes: who, when, what it found, and the seconds since it started at each phase."""

    actor: Actor
    import_id: UUID
    now: datetime
    today: date
    mode: Mode
    file_name: str | None
    started: float = field(default_factory=time.perf_counter)
    phases: dict[str, float] = field(default_factory=dict)
    changed: list[dict[str, Any]] = field(default_factory=list)
    well_count: int = 0

    def mark(self, phase: str) -> None:
        self.phases[phase] = time.perf_counter() - self.started


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
    header, body = await lines_after_header(chunks, max_bytes)
    columns = _columns(header)
    run = _Run(actor, uuid7(), production.clock(), production.today(), mode, file_name, started=started)
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        codes = sorted(await reason_codes(uow))
        await _stage(uow, columns, body)
        run.mark("copy")
        totals = await uow.imports.check(_check_parameters(run.today, codes, settings))
        run.mark("check")
        errors = await _error_report(uow, settings, run.today)
        rejected = mode == "all_or_nothing" and totals["bad"] > 0
        if not rejected and totals["total"] > totals["bad"]:
            await _merge(uow, run)
        summary = _summary(run, totals["total"], rejected)
        await uow.imports.add(summary)
        if errors:
            await uow.imports.add_errors(run.import_id, errors)
        if summary["rows_imported"] or rejected or totals["total"]:
            uow.record(_event(run, summary))
    run.mark("commit")
    log.info(
        "import %s: %d rows; seconds since start: %s",
        run.import_id,
        totals["total"],
        ", ".join(f"{name} {at:.2f}" for name, at in run.phases.items()),
    )
    return ImportResult(run.import_id, summary["status"], _answer(summary, totals, run, errors))


def _columns(header: list[str]) -> list[str]:
    checked = check_header(header)
    if not checked.ok:
        raise UnprocessableContent(
            f"The CSV header is not usable: {checked.message}.",
            slug="bad-csv-header",
            errors=[{"field": "header", "message": checked.message}],
        )
    return [normalize_column(name) for name in header]


async def _stage(uow: ProductionWork, columns: list[str], body: AsyncIterator[bytes]) -> None:
    try:
        await uow.imports.stage(columns, body)
    except CopyFailed as exc:
        line, message = exc.line, exc.message
        raise UnprocessableContent(
            f"The file is not valid CSV{f' at line {line}' if line else ''}: {message}. Nothing was imported.",
            slug="bad-csv",
            errors=[{"field": f"line {line}" if line else "file", "message": message}],
        ) from None


def _check_parameters(today: date, codes: list[str], settings: OrganizationSettings) -> dict[str, Any]:
    return {
        "not_number": NOT_A_NUMBER,
        "today": today,
        "reasons": codes,
        "max_oil": settings.max_oil_bbl,
        "max_gas": settings.max_gas_mcf,
        "max_water": settings.max_water_bbl,
    }


async def _merge(uow: ProductionWork, run: _Run) -> None:
    parameters = {
        "org": str(run.actor.organization_id),
        "actor": run.actor.id,
        "now": run.now,
        "import_id": str(run.import_id),
        # ids in line order under the import's own time-ordered id: cheap to index
        "id_prefix": run.import_id.hex[:20],
    }
    try:
        run.changed, run.well_count = await uow.imports.merge(parameters)
    except ConstraintViolated:
        raise Conflict(
            "A reading for a well and day in this file was recorded while it was imported; "
            "send the file again (lines now recorded will be reported, nothing is doubled).",
            slug="concurrent-reading",
        ) from None
    run.mark("merge")
    await rollups.refresh(uow, run.actor.organization_id, [(row["lease_id"], row["month"]) for row in run.changed])
    run.mark("rollups")


def _summary(run: _Run, rows_total: int, rejected: bool) -> dict[str, Any]:
    imported = sum(row["n"] for row in run.changed)
    return {
        "organization_id": run.actor.organization_id,
        "id": run.import_id,
        "file_name": run.file_name,
        "mode": run.mode,
        "status": "rejected" if rejected else "imported",
        "rows_total": rows_total,
        "rows_imported": imported,
        "rows_rejected": rows_total - imported,
        "first_date": min((row["first_day"] for row in run.changed), default=None),
        "last_date": max((row["last_day"] for row in run.changed), default=None),
        "well_count": run.well_count,
        "lease_ids": [str(lease) for lease in _lease_ids(run)],
        "imported_by": run.actor.id,
        "created_at": run.now,
        "duration_ms": int((time.perf_counter() - run.started) * 1000),
    }


def _lease_ids(run: _Run) -> list[UUID]:
    return sorted({row["lease_id"] for row in run.changed})


def _event(run: _Run, summary: dict[str, Any]) -> ReadingsImported:
    return ReadingsImported(
        tenant_id=run.actor.organization_id,
        import_id=run.import_id,
        file_name=run.file_name,
        mode=run.mode,
        rows_total=summary["rows_total"],
        rows_imported=summary["rows_imported"],
        rows_rejected=summary["rows_rejected"],
        first_date=summary["first_date"],
        last_date=summary["last_date"],
        well_count=run.well_count,
        lease_ids=_lease_ids(run),
        imported_by=run.actor.id,
    )


def _answer(summary: dict[str, Any], totals: dict[str, Any], run: _Run, errors: list[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = jsonable({k: v for k, v in summary.items() if k != "organization_id"})
    body["import_id"] = body.pop("id")
    body["rows_with_warnings"] = totals["warned"]
    body["lease_months_updated"] = len(run.changed)
    body["errors"] = errors
    body["errors_truncated"] = totals["bad"] > len(errors)
    return body


async def _error_report(uow: ProductionWork, settings: OrganizationSettings, today: date) -> list[dict[str, Any]]:
    """The first ``REPORT_LIMIT`` bad lines, with the domain parser's message where it finds the fault."""
    limits = limits_of(settings)
    report = []
    for row in await uow.imports.bad_lines(REPORT_LIMIT):
        field_name, _, message = row["problem"].partition("|")
        cells = {column: row[column] or "" for column in ALL_COLUMNS}
        parsed = parse_row(row["line"], cells, limits, today=today)
        if isinstance(parsed, RowError):
            field_name, message = parsed.field, parsed.message
        report.append({"line": row["line"], "field": field_name, "message": message})
    return report
