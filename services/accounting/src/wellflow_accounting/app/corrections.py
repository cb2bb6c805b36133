"""Late corrections: a finalized month whose lease volumes (production) or severance tax (compliance) changed
since is valued again, and each owner gets the difference from what was distributed, as explained adjustment
lines in the next run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select

from wellflow_servicekit.database import UnitOfWork

from ..adapters.tables import (
    distribution_runs,
    distribution_sales,
    lease_months,
    leases,
    owner_lines,
    severance_taxes,
)
from ..domain import distribution as dist
from ..domain.money import ZERO
from .context import fetch_all
from .valuation import OwnerLine, month_inputs, value_lease

AddSale = Callable[[dist.Sale, date, tuple[int, int], str | None, bool], UUID]


async def late_corrections(
    uow: UnitOfWork,
    month: date,
    held: dict[tuple[UUID, UUID], str],
    add_sale: AddSale,
    lines: list[OwnerLine],
    warnings: list[dict[str, Any]],
) -> None:
    """Finalized months before ``month`` whose lease volumes (production) or severance tax (compliance) have a
    newer revision than was distributed: the corrected month is valued again (its own prices, taxes and deck)
    and each owner gets the difference."""
    finalized = [
        r.month
        for r in await uow.connection.execute(
            select(distribution_runs.c.month).where(
                distribution_runs.c.status == "finalized", distribution_runs.c.month < month
            )
        )
    ]
    if not finalized:
        return
    distributed = (
        select(
            distribution_sales.c.lease_id,
            distribution_sales.c.month,
            func.max(distribution_sales.c.revision).label("revision"),
            func.max(distribution_sales.c.tax_revision).label("tax_revision"),
        )
        .join(
            distribution_runs,
            and_(
                distribution_runs.c.id == distribution_sales.c.run_id,
                distribution_runs.c.organization_id == distribution_sales.c.organization_id,
            ),
        )
        .where(distribution_runs.c.status == "finalized")
        .group_by(distribution_sales.c.lease_id, distribution_sales.c.month)
        .subquery()
    )
    tax_revision = func.coalesce(severance_taxes.c.revision, 0)
    changed = await fetch_all(
        uow,
        select(
            lease_months.c.lease_id,
            lease_months.c.month,
            lease_months.c.revision,
            tax_revision.label("tax_revision"),
            distributed.c.revision.label("old"),
            distributed.c.tax_revision.label("old_tax"),
        )
        .outerjoin(
            distributed,
            and_(distributed.c.lease_id == lease_months.c.lease_id, distributed.c.month == lease_months.c.month),
        )
        .outerjoin(
            severance_taxes,
            and_(
                severance_taxes.c.lease_id == lease_months.c.lease_id,
                severance_taxes.c.month == lease_months.c.month,
                severance_taxes.c.organization_id == lease_months.c.organization_id,
            ),
        )
        .where(
            lease_months.c.month.in_(finalized),
            (distributed.c.revision.is_(None))
            | (lease_months.c.revision > distributed.c.revision)
            | (tax_revision > distributed.c.tax_revision),
        )
        .order_by(lease_months.c.month, lease_months.c.lease_id),
    )
    by_month: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in changed:
        by_month[row["month"]].append(row)
    names = {r.id: r.name for r in await uow.connection.execute(select(leases.c.id, leases.c.name))}
    for corrected_month, rows in sorted(by_month.items()):
        inputs = await month_inputs(uow, corrected_month, {row["lease_id"] for row in rows})
        for row in rows:
            lease_id = row["lease_id"]
            revisions = ((row["old"] or 0, row["revision"]), (row["old_tax"] or 0, row["tax_revision"]))
            new_sales = {s.product: s for s in value_lease(inputs, lease_id, warnings)}
            old_sales, old_shares = await _distributed(uow, lease_id, corrected_month)
            deck = inputs.decks.get(lease_id)
            if not deck and new_sales:
                warnings.append(
                    {"lease_id": str(lease_id), "month": str(corrected_month), "problem": "no revenue deck in effect"}
                )
                continue
            for product in sorted(set(new_sales) | set(old_sales)):
                new = new_sales.get(product) or _zero_sale(lease_id, product)
                old = old_sales.get(product) or _zero_sale(lease_id, product)
                corrected = dist.distribute(new, deck) if deck and new.gross_value else []
                changes = dist.adjustments(old_shares.get(product, []), corrected)
                explanation = dist.explain_correction(
                    names.get(lease_id, str(lease_id)),
                    corrected_month,
                    product,
                    old,
                    new,
                    production_revisions=revisions[0],
                    tax_revisions=revisions[1],
                )
                delta = dist.Sale(
                    lease_id,
                    product,
                    new.volume - old.volume,
                    new.price,
                    new.gross_value - old.gross_value,
                    new.severance_tax - old.severance_tax,
                    new.deductions - old.deductions,
                    new.tax_source,
                    new.price_source,
                )
                sale_id = add_sale(delta, corrected_month, (row["revision"], row["tax_revision"]), explanation, True)
                for change in changes:
                    disposition = "title_hold" if (change.partner_id, lease_id) in held else "pay"
                    lines.append(OwnerLine(sale_id, delta, corrected_month, change, True, disposition))


def _zero_sale(lease_id: UUID, product: dist.Product) -> dist.Sale:
    return dist.Sale(lease_id, product, Decimal(0), Decimal(0), ZERO, ZERO, ZERO, "computed", "entered")


async def _distributed(
    uow: UnitOfWork, lease_id: UUID, month: date
) -> tuple[dict[dist.Product, dist.Sale], dict[dist.Product, list[dist.OwnerShare]]]:
    """What finalized runs distributed for the lease and month, adjustments included: the sale figures and
    each owner's share, summed."""
    finalized = select(distribution_runs.c.id).where(distribution_runs.c.status == "finalized")
    sale_rows = await fetch_all(
        uow,
        select(
            distribution_sales.c.product,
            func.sum(distribution_sales.c.volume).label("volume"),
            func.sum(distribution_sales.c.gross_value).label("gross_value"),
            func.sum(distribution_sales.c.severance_tax).label("severance_tax"),
            func.sum(distribution_sales.c.deductions).label("deductions"),
        )
        .where(
            distribution_sales.c.lease_id == lease_id,
            distribution_sales.c.month == month,
            distribution_sales.c.run_id.in_(finalized),
        )
        .group_by(distribution_sales.c.product),
    )
    last_price = {
        r.product: r.price
        for r in await uow.connection.execute(
            select(distribution_sales.c.product, distribution_sales.c.price)
            .where(
                distribution_sales.c.lease_id == lease_id,
                distribution_sales.c.month == month,
                distribution_sales.c.run_id.in_(finalized),
            )
            .order_by(distribution_sales.c.id)
        )
    }
    sales = {
        dist.Product(r["product"]): dist.Sale(
            lease_id,
            dist.Product(r["product"]),
            r["volume"],
            last_price.get(r["product"], Decimal(0)),
            r["gross_value"],
            r["severance_tax"],
            r["deductions"],
            "computed",
            "entered",
        )
        for r in sale_rows
    }
    share_rows = await fetch_all(
        uow,
        select(
            owner_lines.c.product,
            owner_lines.c.partner_id,
            owner_lines.c.interest_type,
            func.max(owner_lines.c.decimal).label("decimal"),
            func.sum(owner_lines.c.gross).label("gross"),
            func.sum(owner_lines.c.tax).label("tax"),
            func.sum(owner_lines.c.deductions).label("deductions"),
        )
        .where(owner_lines.c.lease_id == lease_id, owner_lines.c.month == month, owner_lines.c.run_id.in_(finalized))
        .group_by(owner_lines.c.product, owner_lines.c.partner_id, owner_lines.c.interest_type),
    )
    shares: dict[dist.Product, list[dist.OwnerShare]] = defaultdict(list)
    for r in share_rows:
        shares[dist.Product(r["product"])].append(
            dist.OwnerShare(
                r["partner_id"],
                dist.InterestType(r["interest_type"]),
                r["decimal"],
                r["gross"],
                r["tax"],
                r["deductions"],
            )
        )
    return sales, shares
