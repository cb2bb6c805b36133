"""CSV import of wells: each row is registered or rejected on its own, with the reasons.

The file is one transaction; each row runs in a savepoint, so a rejected row changes nothing while the good
rows around it are kept, each with its own ``wells.well_registered.v1`` event. A file whose header lacks a
required column, or that is too large, is refused as a whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from wellflow_servicekit.errors import Problem, UnprocessableContent
from wellflow_servicekit.kernel import Actor
from wellflow_texas.api_number import TEXAS_STATE_CODE, ApiNumberError, parse_api_number

from ..domain.rules import normalize_district
from .ports import Taken, WellsWork
from .registry import Registry
from .wells.register import register_well_in

MAX_ROWS = 5000
REQUIRED = ("name", "api_number", "well_type", "purpose")
LEASE_COLUMNS = ("lease_name", "rrc_district", "rrc_lease_number")
OPTIONAL = (
    "number",
    "status",
    "county",
    "spud_date",
    "completion_date",
    "first_production_date",
    "surface_latitude",
    "surface_longitude",
    "total_depth_ft",
    "is_horizontal",
    "gas_well_id",
    "permit_number",
)
NO_LEASE = UUID(int=0)
DUPLICATE = {"field": "api_number", "message": "already registered"}
BOOLEAN_WORDS = {"y": True, "yes": True, "true": True, "1": True, "n": False, "no": False, "false": False, "0": False}


def _bad_file(message: str, field: str = "body") -> UnprocessableContent:
    return UnprocessableContent(message, slug="invalid-csv", errors=[{"field": field, "message": message}])


def parse_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; column names lower-cased and trimmed, empty cells dropped."""
    # newline="": a line may end in CR, LF or CRLF (files from old spreadsheets end lines with a bare CR)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(reader)
    except csv.Error as exc:
        raise _bad_file(f"The file is not valid CSV near line {reader.line_num}: {exc}.") from exc


def _read_rows(reader: csv.DictReader[str]) -> list[tuple[int, dict[str, str]]]:
    if not reader.fieldnames:
        raise _bad_file("The file is empty; the first line must name the columns.")
    columns = [(name or "").strip().lower() for name in reader.fieldnames]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise _bad_file(f"Missing column(s): {', '.join(missing)}. Required: {', '.join(REQUIRED)}.", "body.columns")
    if "lease_name" not in columns and not {"rrc_district", "rrc_lease_number"} <= set(columns):
        raise _bad_file(
            "Name the lease with a lease_name column, or rrc_district and rrc_lease_number.", "body.columns"
        )
    unknown = [c for c in columns if c not in (*REQUIRED, *LEASE_COLUMNS, *OPTIONAL)]
    if unknown:
        raise _bad_file(f"Unknown column(s): {', '.join(unknown)}.", "body.columns")
    reader.fieldnames = columns
    rows = []
    for record in reader:
        values = {k: v.strip() for k, v in record.items() if k and isinstance(v, str) and v.strip()}
        if None in record:
            values["__extra__"] = "more cells than columns"
        if values:
            rows.append((reader.line_num, values))
        if len(rows) > MAX_ROWS:
            raise Problem(f"At most {MAX_ROWS} rows per import.", status=413, slug="import-too-large")
    return rows


async def import_wells(
    registry: Registry, actor: Actor, text: str, validate: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """``validate`` turns a row into the fields of a well (the HTTP schema), raising ValidationError."""
    rows = parse_csv(text)
    report: list[dict[str, Any]] = []
    now = registry.clock()
    async with registry.uow(actor) as uow:
        leases = _LeaseIndex(await uow.leases.every())
        for line, values in rows:
            fields, errors = _check_row(values, leases, validate)
            if errors:
                report.append({"row": line, "status": "rejected", "errors": errors})
            else:
                report.append(await _register_row(uow, now, actor, line, fields))
    created = sum(1 for r in report if r["status"] == "created")
    return {"created": created, "rejected": len(report) - created, "rows": report}


class _LeaseIndex:
    """This organization's leases by lower-cased name and by (district, RRC number)."""

    def __init__(self, leases: list[dict[str, Any]]) -> None:
        self.by_name: dict[str, list[Any]] = {}
        self.by_number: dict[tuple[str, str], Any] = {}
        for lease in leases:
            self.by_name.setdefault(lease["name"].strip().lower(), []).append(lease["id"])
            if lease["rrc_lease_number"]:
                self.by_number[(lease["rrc_district"], lease["rrc_lease_number"].upper())] = lease["id"]


def _check_row(
    values: Mapping[str, str], leases: _LeaseIndex, validate: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The well's fields from one row, or the reasons the row is rejected."""
    errors: list[dict[str, str]] = []
    if "__extra__" in values:
        errors.append({"field": "row", "message": "the row has more cells than the header has columns"})
    lease_id, lease_error = _find_lease(values, leases.by_name, leases.by_number)
    if lease_error:
        errors.append(lease_error)
    fields: dict[str, Any] = {}
    candidate: dict[str, Any] = {k: v for k, v in values.items() if k not in LEASE_COLUMNS and k != "__extra__"}
    if "is_horizontal" in candidate:
        candidate["is_horizontal"] = BOOLEAN_WORDS.get(candidate["is_horizontal"].lower(), candidate["is_horizontal"])
    api_error = _normalize_api_number(candidate)
    if api_error:
        errors.append(api_error)
    try:
        fields = validate({**candidate, "lease_id": lease_id or "00000000-0000-0000-0000-000000000000"})
    except ValidationError as exc:
        errors.extend(e for e in _validation_errors(exc) if not (api_error and e["field"] == "api_number"))
    return fields, errors


def _normalize_api_number(candidate: dict[str, Any]) -> dict[str, str] | None:
    """The row's API number as 14 digits, in place; the leases imported are Texas leases (an RRC district), so
    the RRC's 8-digit form (county + unique number) is accepted with the state 42 implied."""
    if "api_number" not in candidate:
        return None
    try:
        candidate["api_number"] = parse_api_number(candidate["api_number"], implied_state=TEXAS_STATE_CODE)
    except ApiNumberError as exc:
        return exc.as_error()
    return None


async def _register_row(
    uow: WellsWork, now: datetime, actor: Actor, line: int, fields: dict[str, Any]
) -> dict[str, Any]:
    """Register the row's well in a savepoint: a refusal undoes only this row."""
    try:
        async with uow.savepoint():
            well = await register_well_in(uow, now, actor, fields)
    except Taken:  # a concurrent request took the API number after our check
        return {"row": line, "status": "rejected", "errors": [DUPLICATE]}
    except Problem as problem:
        reasons = [{"field": e["field"].removeprefix("body."), "message": e["message"]} for e in problem.errors] or [
            {"field": "row", "message": problem.detail or problem.title}
        ]
        return {"row": line, "status": "rejected", "errors": reasons}
    return {"row": line, "status": "created", "well_id": well["id"], "api_number": well["api_number"]}


def _validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]) or "row", "message": e["msg"].removeprefix("Value error, ")}
        for e in exc.errors()
    ]


def _find_lease(
    values: Mapping[str, str], by_name: Mapping[str, list[Any]], by_number: Mapping[tuple[str, str], Any]
) -> tuple[Any, dict[str, str] | None]:
    if "rrc_lease_number" in values or "rrc_district" in values:
        try:
            district = normalize_district(values.get("rrc_district", ""))
        except ValueError as exc:
            return None, {"field": "rrc_district", "message": str(exc)}
        found = by_number.get((district, values.get("rrc_lease_number", "").upper()))
        if found is None:
            return None, {"field": "rrc_lease_number", "message": "no lease with this RRC number in this district"}
        return found, None
    name = values.get("lease_name", "").strip().lower()
    matches = by_name.get(name, [])
    if not name:
        return None, {"field": "lease_name", "message": "name the lease (lease_name, or rrc_district and number)"}
    if len(matches) != 1:
        message = "no lease with this name" if not matches else "several leases have this name; use the RRC number"
        return None, {"field": "lease_name", "message": message}
    return matches[0], None
