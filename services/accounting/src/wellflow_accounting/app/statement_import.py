"""Purchaser statements in: a purchaser's monthly check-stub detail, read through the purchaser's saved column
map, each line tied to our lease through the purchaser's property number (learned once and kept; an unknown
number holds its lines in a queue to map, never fails the file). The applied lines set each lease-month's
statement price and value (the ``prices`` row valuation and compliance read) and the month's reconciliation
is recomputed. The same file twice changes nothing (its content hash), and a check already imported from
another file is refused line by line (purchaser and check number)."""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import jsonable

from ..domain.partners import PartnerRole
from ..domain.statement_layout import Layout, LayoutError, LineError, parse_line
from . import reconciliation
from .context import Accounting, Actor, invalid
from .decks import lease_row
from .partners import require_partners
from .ports import AccountingWork
from .prices import announce_price

REPORT_LIMIT = 200  # the report lists at most this many faulty lines (the counts are always complete)
MAX_BYTES = 64 * 1024 * 1024
LeaseMonth = tuple[UUID, date]


async def _purchaser(uow: AccountingWork, purchaser_id: UUID) -> None:
    found = await require_partners(uow, {purchaser_id}, "body.purchaser_id")
    if PartnerRole.PURCHASER.value not in found[purchaser_id]["roles"]:
        raise invalid("body.purchaser_id", "this partner does not have the purchaser role")


async def save_map(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Save (or replace) a purchaser's column map by name: the same request twice leaves one map."""
    try:
        layout = Layout.of(data["layout"])
    except LayoutError as error:
        raise invalid(error.field, str(error)) from None
    name = data["name"].strip()
    if not name:
        raise invalid("body.name", "name the map")
    async with acc.uow(actor) as uow:
        await _purchaser(uow, data["purchaser_id"])
        return await uow.recon.save_map(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "purchaser_id": data["purchaser_id"],
                "name": name,
                "layout": layout.as_dict(),
                "created_by": actor.id,
                "updated_at": acc.clock(),
            }
        )


async def list_maps(acc: Accounting, actor: Actor, purchaser_id: UUID | None, limit: int, offset: int) -> Any:
    async with acc.uow(actor) as uow:
        return await uow.recon.page_of_maps(purchaser_id, limit, offset)


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise invalid("body", f"a statement file is at most {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise invalid("body", "the file is neither UTF-8 nor Windows-1252 text") from None


def _parse(layout: Layout, text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]], int]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    headers = set(reader.fieldnames or [])
    missing = sorted(layout.headers() - headers)
    if missing:
        raise invalid("body", f"the file has no column {missing[0]!r} (its header row: {sorted(headers)})")
    good: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    total = 0
    for row in reader:
        total += 1
        number = reader.line_num
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            total -= 1
            continue
        try:
            good.append((number, parse_line(layout, row)))
        except LineError as error:
            errors.append({"line": number, "column": error.column, "problem": str(error)})
    return good, errors, total


async def import_statement(
    acc: Accounting, actor: Actor, map_id: UUID, content: bytes, file_name: str | None
) -> dict[str, Any]:
    """Import one file; the per-line report. The same file again answers the first import's report."""
    started = time.perf_counter()
    digest = hashlib.sha256(content).hexdigest()
    text = _decode(content)
    async with acc.uow(actor) as uow:
        column_map = await uow.recon.get_map(map_id)
        if column_map is None:
            raise NotFound("No such column map.")
        purchaser_id = column_map["purchaser_id"]
        await uow.recon.lock_purchaser(purchaser_id)
        earlier = await uow.recon.import_by_hash(digest)
        if earlier is not None:
            return {**earlier["report"], "replayed": True}
        good, errors, total = _parse(Layout.of(column_map["layout"]), text)
        import_id = uuid7()
        rows, held = await _rows(uow, actor, import_id, column_map, good, errors)
        await uow.recon.add_lines(rows)
        keys = {(row["lease_id"], row["month"]) for row in rows if row["lease_id"] is not None}
        warnings = await apply_prices(uow, actor, keys, acc.clock())
        counts = await reconciliation.refresh(uow, actor.organization_id, keys, acc.clock())
        errors.sort(key=lambda e: e["line"])
        facts = {"import_id": import_id, "map_id": map_id, "purchaser_id": purchaser_id, "file_name": file_name}
        report = _report(facts | {"content_hash": digest, "rows_total": total}, rows, held, keys, errors)
        report |= {"reconciliation": counts, "warnings": warnings, "imported_by": actor.id}
        report |= jsonable({"created_at": acc.clock(), "duration_ms": int((time.perf_counter() - started) * 1000)})
        await uow.recon.add_import(
            {
                "organization_id": actor.organization_id,
                "id": import_id,
                "purchaser_id": purchaser_id,
                "map_id": map_id,
                "content_hash": digest,
                "file_name": file_name,
                "report": report,
                "imported_by": actor.id,
                "created_at": acc.clock(),
            }
        )
        return report


def _report(
    facts: dict[str, Any], rows: list[dict[str, Any]], held: int, keys: set[LeaseMonth], errors: list[dict[str, Any]]
) -> dict[str, Any]:
    """The per-line report: counts (total = imported + held + rejected), the faulty lines, what to map."""
    report: dict[str, Any] = jsonable(
        facts
        | {
            "rows_imported": len(rows) - held,
            "rows_held": held,
            "rows_rejected": facts["rows_total"] - len(rows),
            "checks": sorted({row["check_number"] for row in rows}),
            "gross_value": str(sum((row["gross_value"] for row in rows), Decimal("0.00"))),
            "lease_months_updated": len(keys),
            "unmapped_properties": sorted({row["property_number"] for row in rows if row["lease_id"] is None}),
            "errors": errors[:REPORT_LIMIT],
            "errors_truncated": len(errors) > REPORT_LIMIT,
            "replayed": False,
        }
    )
    return report


async def _rows(
    uow: AccountingWork,
    actor: Actor,
    import_id: UUID,
    column_map: dict[str, Any],
    good: list[tuple[int, dict[str, Any]]],
    errors: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], int]:
    """The lines to store (a check imported before from another file is refused line by line) and how many
    are held for an unmapped property number."""
    purchaser_id = column_map["purchaser_id"]
    imported_checks = await uow.recon.checks_already_imported(
        purchaser_id, sorted({line["check_number"] for _, line in good})
    )
    properties = await uow.recon.properties(purchaser_id)
    rows, held = [], 0
    for number, line in good:
        if line["check_number"] in imported_checks:
            errors.append(
                {
                    "line": number,
                    "column": column_map["layout"]["columns"]["check_number"],
                    "problem": f"check {line['check_number']} of this purchaser was imported before "
                    "(another file): its lines are not counted twice",
                }
            )
            continue
        lease_id = properties.get(line["property_number"])
        held += lease_id is None
        rows.append(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "import_id": import_id,
                "line_number": number,
                "purchaser_id": purchaser_id,
                "lease_id": lease_id,
                **line,
            }
        )
    return rows, held


async def apply_prices(
    uow: AccountingWork, actor: Actor, keys: Iterable[LeaseMonth], now: datetime
) -> list[dict[str, str]]:
    """Each lease-month-product's statement value (all its applied lines) becomes its price row, replacing a
    typed price; a month whose distribution is finalized keeps its prices (a warning says so)."""
    warnings: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    status: dict[date, str | None] = {}
    for total in await uow.recon.statement_totals(keys):
        month = total["month"]
        if month not in status:
            status[month] = await uow.runs.status_of_month(month)
        where = {"lease_id": str(total["lease_id"]), "month": month.isoformat(), "product": total["product"]}
        if status[month] == "finalized":
            warnings.append(
                where
                | {
                    "problem": "the month's distribution is finalized: its price is kept; "
                    "the difference shows as a reconciliation item"
                }
            )
            continue
        volume, gross = Decimal(total["volume"]), Decimal(total["gross_value"])
        if volume <= 0:
            warnings.append(where | {"problem": "no volume: no price can be derived"})
            continue
        purchaser = max(zip(total["grosses"], total["purchasers"], strict=True), key=lambda pair: pair[0])[1]
        rows.append(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "month": month,
                "product": total["product"],
                "lease_id": total["lease_id"],
                "price": (gross / volume).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
                "source": "purchaser_statement",
                "purchaser_id": purchaser,
                "volume": volume,
                "gross_value": gross,
                "deductions": Decimal(total["deductions"]),
                "created_by": actor.id,
                "created_at": now,
            }
        )
    for row in await uow.prices.put_many(rows) if rows else []:
        announce_price(uow, actor, row)
    return warnings


async def get_import(acc: Accounting, actor: Actor, import_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await uow.recon.get_import(import_id)
        if row is None:
            raise NotFound("No such statement import.")
        return row["report"]  # type: ignore[no-any-return]


async def list_imports(acc: Accounting, actor: Actor, purchaser_id: UUID | None, limit: int, offset: int) -> Any:
    async with acc.uow(actor) as uow:
        page = await uow.recon.page_of_imports(purchaser_id, limit, offset)
        page["items"] = [row["report"] for row in page["items"]]
        return page


async def list_lines(acc: Accounting, actor: Actor, **filters: Any) -> Any:
    async with acc.uow(actor) as uow:
        if filters.get("import_id") is not None and await uow.recon.get_import(filters["import_id"]) is None:
            raise NotFound("No such statement import.")
        return await uow.recon.page_of_lines(**filters)


async def mapping_queue(acc: Accounting, actor: Actor, purchaser_id: UUID | None, limit: int, offset: int) -> Any:
    async with acc.uow(actor) as uow:
        return await uow.recon.page_of_held(purchaser_id, limit, offset)


async def map_property(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Tie a purchaser's property number to a lease (kept for every later statement) and apply its held lines."""
    number = data["property_number"].strip()
    if not number:
        raise invalid("body.property_number", "give the purchaser's property number")
    async with acc.uow(actor) as uow:
        await _purchaser(uow, data["purchaser_id"])
        await lease_row(uow, data["lease_id"])
        await uow.recon.lock_purchaser(data["purchaser_id"])
        row = await uow.recon.map_property(
            {
                "organization_id": actor.organization_id,
                "purchaser_id": data["purchaser_id"],
                "property_number": number,
                "lease_id": data["lease_id"],
                "mapped_by": actor.id,
                "mapped_at": acc.clock(),
            }
        )
        keys = await uow.recon.apply_held(data["purchaser_id"], number, data["lease_id"])
        warnings = await apply_prices(uow, actor, keys, acc.clock())
        counts = await reconciliation.refresh(uow, actor.organization_id, keys, acc.clock())
        return {**row, "lease_months_applied": len(keys), "warnings": warnings, "reconciliation": counts}
