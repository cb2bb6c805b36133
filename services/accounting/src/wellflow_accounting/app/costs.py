"""Costs: vendor invoices and lease operating expense lines, entered or imported from CSV with a report per
row; a cost carrying an AFE number charges that AFE (and may raise its overrun alert)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7

from ..domain import afe as afe_rules
from ..domain.partners import PartnerRole
from .afes.overruns import chargeable_afes, check_overruns
from .context import Accounting, Actor, invalid
from .decks import lease_row
from .partners import require_partners
from .ports import AccountingWork

MAX_IMPORT_ROWS = 5000


# ---------------------------------------------------------------- costs


async def _check_cost(uow: AccountingWork, row: dict[str, Any], prefix: str, afe_cache: dict[str, Any]) -> None:
    await lease_row(uow, row["lease_id"], f"{prefix}.lease_id")
    if row.get("well_id") is not None:
        lease_of_well = await uow.wells.lease_of(row["well_id"])
        if lease_of_well != row["lease_id"]:
            raise invalid(f"{prefix}.well_id", "no such well on this lease")
    if row.get("vendor_id") is not None:
        found = await require_partners(uow, {row["vendor_id"]}, f"{prefix}.vendor_id")
        vendor = found[row["vendor_id"]]
        if PartnerRole.VENDOR.value not in vendor["roles"]:
            raise invalid(f"{prefix}.vendor_id", "this partner does not have the vendor role")
        row["vendor_name"] = row.get("vendor_name") or vendor["name"]
    if not row.get("vendor_name"):
        raise invalid(f"{prefix}.vendor_name", "name the vendor (or give vendor_id)")
    number = row.get("afe_number")
    if number:
        if number not in afe_cache:
            afe_cache.update(await chargeable_afes(uow, {number}))
        afe = afe_cache.get(number)
        if afe is None:
            raise invalid(f"{prefix}.afe_number", f"no AFE {number}")
        if afe["status"] not in afe_rules.CHARGEABLE:
            raise invalid(f"{prefix}.afe_number", f"AFE {number} is {afe['status']}: costs need an approved AFE")
        if afe["lease_id"] != row["lease_id"]:
            raise invalid(f"{prefix}.afe_number", f"AFE {number} is for another lease")


async def record_cost(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """A vendor invoice or LOE line; a retried request with the same client id answers the first result."""
    row = {**data, "organization_id": actor.organization_id, "source": "entered", "created_by": actor.id}
    row["id"] = data.get("id") or uuid7()
    row["created_at"] = acc.clock()
    # vendor_name may be left to the vendor's name: then it is not part of what a retry must repeat
    request = {key: value for key, value in data.items() if key != "id" and (key != "vendor_name" or value)}
    async with acc.uow(actor) as uow:

        async def check() -> None:
            await _check_cost(uow, row, "body", {})

        created, new = await uow.costs.add(row, request, prepare=check)
        if new:
            await check_overruns(acc, uow, actor, {row["afe_number"]} if row.get("afe_number") else set())
        return created, new


EXTRA_CELLS = "__extra_cells__"


def _read_csv(content: str) -> list[dict[str, Any]]:
    # newline="": a line may end in CR, LF or CRLF (a bare CR is how some spreadsheets end lines)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    required = {"date", "vendor", "category", "lease", "amount"}
    try:
        header = {(name or "").strip().lower() for name in reader.fieldnames or []}
        if not required <= header:
            raise invalid("body", f"the header needs the columns {', '.join(sorted(required - header))}")
        records = list(reader)
    except csv.Error as exc:
        raise invalid("body", f"the file is not valid CSV near line {reader.line_num}: {exc}") from exc
    if len(records) > MAX_IMPORT_ROWS:
        raise invalid("body", f"at most {MAX_IMPORT_ROWS} rows per file")
    return [_cells(raw, len(reader.fieldnames or [])) for raw in records]


def _cells(raw: dict[str | None, Any], columns: int) -> dict[str, Any]:
    """A record's cells by lower-cased column; a row with more cells than the header (DictReader puts the
    rest in a list under ``None``) is marked, and rejected as that row's error rather than trimmed."""
    values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
    extra = raw.get(None)
    if extra:
        values[EXTRA_CELLS] = f"the row has more cells than the header ({columns + len(extra)} > {columns})"
    return values


def _cost_fields(values: dict[str, Any], lease_index: dict[str, UUID], well_index: dict[str, UUID]) -> dict[str, Any]:
    """A CSV row as the fields of a cost, the lease and well looked up by what the row names them by."""
    if EXTRA_CELLS in values:
        raise ValueError(values[EXTRA_CELLS])
    lease_id = lease_index.get(values["lease"].lower())
    if lease_id is None:
        raise ValueError(f"lease {values['lease']!r} is not known")
    well_id = None
    if values.get("well"):
        well_id = well_index.get(values["well"].replace("-", "").lower())
        if well_id is None:
            raise ValueError(f"well {values['well']!r} is not known")
    return {
        "incurred_on": values["date"],
        "vendor_name": values["vendor"],
        "invoice_number": values.get("invoice_number") or None,
        "category": values["category"].lower(),
        "lease_id": str(lease_id),
        "well_id": str(well_id) if well_id else None,
        "afe_number": values.get("afe_number") or None,
        "amount": values["amount"].replace(",", "").replace("$", ""),
        "description": values.get("description") or None,
    }


async def import_costs(
    acc: Accounting, actor: Actor, content: str, parse_row: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """A CSV of costs (header: date, vendor, category, lease, amount; optional invoice_number, well,
    afe_number, description). ``lease`` is a lease id, name or RRC lease number; ``well`` an id or 14-digit
    API number. Good rows are recorded together; each row gets a report (recorded, or rejected with reasons)."""
    records = _read_csv(content)
    report: list[dict[str, Any]] = []
    numbers: set[str] = set()
    async with acc.uow(actor) as uow:
        lease_index = await _lease_index(uow)
        well_index = await _well_index(uow)
        afe_cache: dict[str, Any] = {}
        good = []
        for line_no, values in enumerate(records, start=2):
            try:
                row = {
                    **parse_row(_cost_fields(values, lease_index, well_index)),
                    "organization_id": actor.organization_id,
                    "id": uuid7(),
                    "source": "import",
                    "created_by": actor.id,
                    "created_at": acc.clock(),
                }
                await _check_cost(uow, row, "row", afe_cache)
            except Exception as exc:
                report.append({"line": line_no, "status": "rejected", "reasons": _reasons(exc)})
                continue
            good.append(row)
            if row.get("afe_number"):
                numbers.add(row["afe_number"])
            report.append({"line": line_no, "status": "recorded", "cost_id": str(row["id"])})
        if good:
            await uow.costs.add_many(good)
            await check_overruns(acc, uow, actor, numbers)
    recorded = sum(1 for r in report if r["status"] == "recorded")
    return {"rows": len(report), "recorded": recorded, "rejected": len(report) - recorded, "report": report}


def _reasons(exc: Exception) -> list[str]:
    errors = getattr(exc, "errors", None)
    if callable(errors):  # pydantic ValidationError
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors()]
    if isinstance(errors, list) and errors:
        return [f"{e['field'].replace('row.', '')}: {e['message']}" for e in errors]
    return [getattr(exc, "detail", None) or str(exc)]


async def _lease_index(uow: AccountingWork) -> dict[str, UUID]:
    index: dict[str, UUID] = {}
    for r in await uow.leases.identifiers():
        index[str(r["id"])] = r["id"]
        index[r["name"].lower()] = r["id"]
        if r["rrc_lease_number"]:
            index.setdefault(r["rrc_lease_number"].lower(), r["id"])
    return index


async def _well_index(uow: AccountingWork) -> dict[str, UUID]:
    index: dict[str, UUID] = {}
    for r in await uow.wells.identifiers():
        index[str(r["id"])] = r["id"]
        index[r["api_number"]] = r["id"]
    return index


async def list_costs(
    acc: Accounting,
    actor: Actor,
    *,
    lease_id: UUID | None = None,
    category: str | None = None,
    afe_number: str | None = None,
    billed: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.costs.page_of_costs(
            lease_id=lease_id,
            category=category,
            afe_number=afe_number,
            billed=billed,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
        )
