"""Owner statements (check stubs) of a distribution run. Texas Natural Resources Code 91.502 lists what a
payment to a royalty owner must show; every statement line carries all twelve items (docs/domain.md):

1. lease or well name and id, with county and state    7. other deductions
2. sales month and year                                8. net value (of the lease's sale)
3. total volume sold                                   9. owner decimal
4. price per unit                                      10. owner share before taxes
5. total severance and other production taxes          11. owner share after deductions
6. windfall profit tax (repealed 1988: always 0.00)    12. a contact address and phone

Item 12 is the organization's profile (``app/operator.py``): its legal name, mailing address and phone, each
printed as "not set" until the owner fills it in. Owners are named by their owner number, never an internal id.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ..domain.money import ZERO
from ..domain.operator import OperatorContact, statement_file_name
from ..domain.partners import mask_tax_id
from .context import Accounting, Actor
from .distribution import run_row
from .operator import current_contact

WINDFALL_PROFIT_TAX = ZERO  # Crude Oil Windfall Profit Tax Act of 1980, repealed in 1988 (Pub. L. 100-418)

STUB_COLUMNS = [
    ("lease", "Lease / well name and id"),
    ("county_state", "County, state"),
    ("sales_month", "Sales month"),
    ("product", "Product"),
    ("volume_sold", "Total volume sold"),
    ("price", "Price per unit"),
    ("severance_tax", "Severance and other production taxes"),
    ("windfall_profit_tax", "Windfall profit tax"),
    ("other_deductions", "Other deductions"),
    ("net_value", "Net value"),
    ("owner_decimal", "Owner decimal"),
    ("owner_gross", "Owner share before taxes"),
    ("owner_tax", "Owner share of taxes"),
    ("owner_deductions", "Owner share of deductions"),
    ("owner_net", "Owner share after deductions"),
    ("note", "Note"),
]


def _lease_label(lease: dict[str, Any] | None) -> str:
    if lease is None:
        return "lease not yet received from the wells registry"
    number = lease["rrc_lease_number"] or "pending"
    return f"{lease['name']} (RRC {lease['rrc_district']}-{number})"


def _stub_line(r: dict[str, Any], lease: dict[str, Any] | None) -> dict[str, Any]:
    note = r["explanation"] or ""
    if r["disposition"] == "title_hold":
        note = (note + "; " if note else "") + "held in suspense: title hold"
    return {
        "lease": _lease_label(lease),
        "county_state": f"{(lease or {}).get('county') or 'unknown county'}, TX",
        "sales_month": f"{r['month']:%m/%Y}",
        "product": r["product"],
        "volume_sold": r["volume"],
        "price": r["price"],
        "severance_tax": r["severance_tax"],
        "windfall_profit_tax": WINDFALL_PROFIT_TAX,
        "other_deductions": r["sale_deductions"],
        "net_value": r["gross_value"] - r["severance_tax"] - r["sale_deductions"],
        "owner_decimal": r["decimal"],
        "owner_gross": r["gross"],
        "owner_tax": r["tax"],
        "owner_deductions": r["deductions"],
        "owner_net": r["net"],
        "note": note,
        "is_adjustment": r["is_adjustment"],
    }


def stub_line(row: dict[str, Any], lease: dict[str, Any] | None) -> dict[str, Any]:
    """A statement line (an owner line with its sale's figures) as the stub prints it: the twelve 91.502 items."""
    return _stub_line(row, lease)


def _owner(owner: dict[str, Any]) -> dict[str, Any]:
    region = " ".join(p for p in (owner["state"], owner["postal_code"]) if p)  # "TX 79720"
    parts = (owner["address_line1"], owner["address_line2"], owner["city"], region)
    return {
        "id": owner["id"],
        "name": owner["name"],
        "owner_number": owner["owner_number"],
        "tax_id": mask_tax_id(owner["tax_id"]),
        "address": ", ".join(p for p in parts if p),
    }


def _summary(settlement: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "earned": settlement["earned"],
        "held_for_title": settlement["title_held"],
        "released_from_title_hold": settlement["released_title"],
        "prior_minimum_suspense": settlement["prior_minimum"],
        "paid": settlement["paid"],
        "minimum_suspense_change": settlement["minimum_delta"],
        "reason": settlement["reason"],
        "total_owner_net": sum((line["owner_net"] for line in lines), ZERO),
    }


async def owner_statement(acc: Accounting, actor: Actor, run_id: UUID, partner_id: UUID) -> dict[str, Any]:
    statement, _ = await owner_statement_document(acc, actor, run_id, partner_id)
    return statement


async def owner_statement_document(
    acc: Accounting, actor: Actor, run_id: UUID, partner_id: UUID
) -> tuple[dict[str, Any], OperatorContact]:
    """The statement and the operator who sends it (its letterhead, logo included, for the PDF)."""
    async with acc.uow(actor) as uow:
        run = await run_row(uow, run_id)
        owner = await uow.partners.get(partner_id)
        settlement = await uow.runs.settlement_of(run_id, partner_id)
        if owner is None or settlement is None:
            raise NotFound(f"No statement for partner {partner_id} in run {run_id}.")
        rows = await uow.runs.statement_lines(run_id, partner_id)
        lease_rows = await uow.leases.many({r["lease_id"] for r in rows})
        operator = await current_contact(uow)
    lines = [_stub_line(r, lease_rows.get(r["lease_id"])) for r in rows]
    month = f"{run['month']:%m/%Y}"
    statement = {
        "run_id": run_id,
        "status": run["status"],
        "sales_month": month,
        "owner": _owner(owner),
        "operator": operator.answer(),
        "file_name": statement_file_name(operator, "owner", owner["owner_number"], "statement", month),
        "lines": lines,
        "summary": _summary(settlement, lines),
    }
    return statement, operator


async def list_statements(
    acc: Accounting, actor: Actor, run_id: UUID, *, paid_only: bool = False, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Each owner's settlement in the run (earned, held, released, paid), by owner name."""
    async with acc.uow(actor) as uow:
        await run_row(uow, run_id)
    async with acc.uow(actor) as uow:
        return await uow.runs.page_of_settlements(run_id, paid_only=paid_only, limit=limit, offset=offset)
