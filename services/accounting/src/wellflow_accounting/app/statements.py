"""Owner statements (check stubs) of a distribution run. Texas Natural Resources Code 91.502 lists what a
payment to a royalty owner must show; every statement line carries all twelve items (DOMAIN.md):

1. lease or well name and id, with county and state    7. other deductions
2. sales month and year                                8. net value (of the lease's sale)
3. total volume sold                                   9. owner decimal
4. price per unit                                      10. owner share before taxes
5. total severance and other production taxes          11. owner share after deductions
6. windfall profit tax (repealed 1988: always 0.00)    12. a contact address and phone
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select

from wellflow_servicekit.problems import NotFound

from ..adapters.tables import distribution_sales, leases, owner_lines, owner_settlements, partners
from ..domain.money import ZERO
from ..domain.partners import mask_tax_id
from .context import Accounting, Actor, fetch_all, fetch_page
from .distribution import run_row

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


def _lease_label(lease: dict[str, Any] | None, lease_id: UUID) -> str:
    if lease is None:
        return str(lease_id)
    number = lease["rrc_lease_number"] or "pending"
    return f"{lease['name']} (RRC {lease['rrc_district']}-{number})"


async def owner_statement(acc: Accounting, actor: Actor, run_id: UUID, partner_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        run = await run_row(uow, run_id)
        owner = (await uow.connection.execute(select(partners).where(partners.c.id == partner_id))).mappings().first()
        settlement = (
            (
                await uow.connection.execute(
                    select(owner_settlements).where(
                        owner_settlements.c.run_id == run_id, owner_settlements.c.partner_id == partner_id
                    )
                )
            )
            .mappings()
            .first()
        )
        if owner is None or settlement is None:
            raise NotFound(f"No statement for partner {partner_id} in run {run_id}.")
        rows = await fetch_all(
            uow,
            select(
                owner_lines,
                distribution_sales.c.volume,
                distribution_sales.c.price,
                distribution_sales.c.gross_value,
                distribution_sales.c.severance_tax,
                distribution_sales.c.deductions.label("sale_deductions"),
                distribution_sales.c.explanation,
            )
            .join(
                distribution_sales,
                and_(
                    distribution_sales.c.id == owner_lines.c.sale_id,
                    distribution_sales.c.organization_id == owner_lines.c.organization_id,
                ),
            )
            .where(owner_lines.c.run_id == run_id, owner_lines.c.partner_id == partner_id)
            .order_by(owner_lines.c.is_adjustment, owner_lines.c.month, owner_lines.c.lease_id, owner_lines.c.product),
        )
        lease_rows = {
            r["id"]: r
            for r in await fetch_all(uow, select(leases).where(leases.c.id.in_({r["lease_id"] for r in rows})))
        }
    lines = []
    for r in rows:
        lease = lease_rows.get(r["lease_id"])
        note = r["explanation"] or ""
        if r["disposition"] == "title_hold":
            note = (note + "; " if note else "") + "held in suspense: title hold"
        lines.append(
            {
                "lease": _lease_label(lease, r["lease_id"]),
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
        )
    return {
        "run_id": run_id,
        "status": run["status"],
        "sales_month": f"{run['month']:%m/%Y}",
        "owner": {
            "id": owner["id"],
            "name": owner["name"],
            "owner_number": owner["owner_number"],
            "tax_id": mask_tax_id(owner["tax_id"]),
            "address": ", ".join(
                p
                for p in (
                    owner["address_line1"],
                    owner["address_line2"],
                    owner["city"],
                    owner["state"],
                    owner["postal_code"],
                )
                if p
            ),
        },
        "operator": {"name": acc.operator.name, "address": acc.operator.address, "phone": acc.operator.phone},
        "lines": lines,
        "summary": {
            "earned": settlement["earned"],
            "held_for_title": settlement["title_held"],
            "released_from_title_hold": settlement["released_title"],
            "prior_minimum_suspense": settlement["prior_minimum"],
            "paid": settlement["paid"],
            "minimum_suspense_change": settlement["minimum_delta"],
            "reason": settlement["reason"],
            "total_owner_net": sum((line["owner_net"] for line in lines), ZERO),
        },
    }


async def list_statements(
    acc: Accounting, actor: Actor, run_id: UUID, *, paid_only: bool = False, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Each owner's settlement in the run (earned, held, released, paid), by owner name."""
    async with acc.uow(actor) as uow:
        await run_row(uow, run_id)
    query = (
        select(owner_settlements, partners.c.name, func.count().over().label("_total"))
        .join(
            partners,
            and_(
                partners.c.id == owner_settlements.c.partner_id,
                partners.c.organization_id == owner_settlements.c.organization_id,
            ),
        )
        .where(owner_settlements.c.run_id == run_id)
        .order_by(partners.c.name, owner_settlements.c.partner_id)
    )
    if paid_only:
        query = query.where(owner_settlements.c.paid != 0)
    return await fetch_page(acc, actor, query, limit, offset)
