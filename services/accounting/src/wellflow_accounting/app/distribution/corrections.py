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

from ...domain import distribution as dist
from ...domain.decks import InterestType
from ...domain.money import ZERO
from ..ports import AccountingWork
from .valuation import MonthInputs, OwnerLine, month_inputs, value_lease

AddSale = Callable[[dist.Sale, date, tuple[int, int], str | None, bool], UUID]
Held = dict[tuple[UUID, UUID], str]


async def late_corrections(
    uow: AccountingWork,
    month: date,
    held: Held,
    add_sale: AddSale,
    lines: list[OwnerLine],
    warnings: list[dict[str, Any]],
) -> None:
    """Finalized months before ``month`` whose lease volumes (production) or severance tax (compliance) have a
    newer revision than was distributed: the corrected month is valued again (its own prices, taxes and deck)
    and each owner gets the difference."""
    finalized = await uow.runs.finalized_months_before(month)
    if not finalized:
        return
    by_month: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in await uow.runs.changed_since_distributed(finalized):
        by_month[row["month"]].append(row)
    names = await uow.leases.names()
    for corrected_month, rows in sorted(by_month.items()):
        inputs = await month_inputs(uow, corrected_month, {row["lease_id"] for row in rows})
        for row in rows:
            await _correct_lease(uow, inputs, row, names, held, add_sale, lines, warnings)


async def _correct_lease(
    uow: AccountingWork,
    inputs: MonthInputs,
    row: dict[str, Any],
    names: dict[UUID, str],
    held: Held,
    add_sale: AddSale,
    lines: list[OwnerLine],
    warnings: list[dict[str, Any]],
) -> None:
    """One lease-month valued again: per product, the difference in sale figures and in each owner's share."""
    lease_id, corrected_month = row["lease_id"], inputs.month
    revisions = ((row["old"] or 0, row["revision"]), (row["old_tax"] or 0, row["tax_revision"]))
    new_sales = {s.product: s for s in value_lease(inputs, lease_id, warnings)}
    old_sales, old_shares = await _distributed(uow, lease_id, corrected_month)
    deck = inputs.decks.get(lease_id)
    if not deck and new_sales:
        warnings.append(
            {"lease_id": str(lease_id), "month": str(corrected_month), "problem": "no revenue deck in effect"}
        )
        return
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
        if new.severance_tax != old.severance_tax:
            warnings.append(
                {
                    "lease_id": str(lease_id),
                    "product": product.value,
                    "month": corrected_month.isoformat(),
                    "code": "tax-changed-after-finalize",
                    "problem": f"compliance's severance tax changed after the month was paid: owners carried "
                    f"{old.severance_tax}, the return now says {new.severance_tax}; the difference is adjusted "
                    "in this run",
                }
            )
        delta = _difference(lease_id, product, old, new)
        sale_id = add_sale(delta, corrected_month, (row["revision"], row["tax_revision"]), explanation, True)
        for change in changes:
            disposition = "title_hold" if (change.partner_id, lease_id) in held else "pay"
            lines.append(OwnerLine(sale_id, delta, corrected_month, change, True, disposition))


def _difference(lease_id: UUID, product: dist.Product, old: dist.Sale, new: dist.Sale) -> dist.Sale:
    return dist.Sale(
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


def _zero_sale(lease_id: UUID, product: dist.Product) -> dist.Sale:
    return dist.Sale(lease_id, product, Decimal(0), Decimal(0), ZERO, ZERO, ZERO, "computed", "entered")


async def _distributed(
    uow: AccountingWork, lease_id: UUID, month: date
) -> tuple[dict[dist.Product, dist.Sale], dict[dist.Product, list[dist.OwnerShare]]]:
    """What finalized runs distributed for the lease and month, adjustments included: the sale figures and
    each owner's share, summed."""
    sale_rows, last_price = await uow.runs.distributed_sales(lease_id, month)
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
    shares: dict[dist.Product, list[dist.OwnerShare]] = defaultdict(list)
    for r in await uow.runs.distributed_shares(lease_id, month):
        shares[dist.Product(r["product"])].append(
            dist.OwnerShare(
                r["partner_id"],
                InterestType(r["interest_type"]),
                r["decimal"],
                r["gross"],
                r["tax"],
                r["deductions"],
            )
        )
    return sales, shares
