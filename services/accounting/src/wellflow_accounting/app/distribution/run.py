"""Compute (or recompute) a month's draft distribution: value each lease's sales, share them among the
revenue deck's owners to the cent, hold what must be held (title, minimum payment), and add adjustment lines
for finalized months whose volumes or taxes changed since."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain import distribution as dist
from .. import reconciliation
from ..context import Accounting, Actor, check_month
from ..decks import suspended_pairs
from ..ports import AccountingWork
from .corrections import late_corrections
from .queries import run_summary
from .settle import settle, settlement_rows, totals
from .valuation import OwnerLine, month_inputs, value_lease


@dataclass
class Draft:
    """What a run computes before it is written: its sales rows, owner lines and warnings."""

    organization_id: UUID
    run_id: UUID
    sales: list[dict[str, Any]] = field(default_factory=list)
    lines: list[OwnerLine] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def add_sale(
        self, sale: dist.Sale, sale_month: date, revisions: tuple[int, int], explanation: str | None, adjust: bool
    ) -> UUID:
        sale_id = uuid7()
        self.sales.append(
            {
                "organization_id": self.organization_id,
                "id": sale_id,
                "run_id": self.run_id,
                "lease_id": sale.lease_id,
                "month": sale_month,
                "product": sale.product.value,
                "revision": revisions[0],
                "tax_revision": revisions[1],
                "volume": sale.volume,
                "price": sale.price,
                "gross_value": sale.gross_value,
                "severance_tax": sale.severance_tax,
                "deductions": sale.deductions,
                "tax_source": sale.tax_source,
                "price_source": sale.price_source,
                "is_adjustment": adjust,
                "explanation": explanation,
            }
        )
        return sale_id

    def owner_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "organization_id": self.organization_id,
                "id": uuid7(),
                "run_id": self.run_id,
                "sale_id": line.sale_id,
                "lease_id": line.sale.lease_id,
                "month": line.month,
                "product": line.sale.product.value,
                "partner_id": line.share.partner_id,
                "interest_type": line.share.interest_type.value,
                "decimal": line.share.decimal,
                "gross": line.share.gross,
                "tax": line.share.tax,
                "deductions": line.share.deductions,
                "net": line.share.net,
                "is_adjustment": line.is_adjustment,
                "disposition": line.disposition,
            }
            for line in self.lines
        ]


async def _replace_draft(uow: AccountingWork, month: date) -> UUID:
    """The id of the month's run: the draft's, which is deleted to be computed again, or a new one. A finalized
    month is locked."""
    existing = await uow.runs.for_month(month)
    if existing is not None and existing["status"] == "finalized":
        raise Conflict(
            f"The distribution for {month:%m/%Y} is finalized and locked; corrections go into a later run.",
            slug="period-locked",
            run_id=str(existing["id"]),
        )
    if existing is None:
        return uuid7()
    await uow.runs.delete(existing["id"])
    return existing["id"]  # type: ignore[no-any-return]


async def _value_month(uow: AccountingWork, month: date, held: dict[tuple[UUID, UUID], str], draft: Draft) -> None:
    """Each lease's sales of the month, shared among its revenue deck's owners."""
    inputs = await month_inputs(uow, month)
    for lease_id in sorted(inputs.volumes.keys() | {k[1] for k in inputs.prices if k[1]}, key=str):
        sales = value_lease(inputs, lease_id, draft.warnings)
        if not sales:
            continue
        deck = inputs.decks.get(lease_id)
        if not deck:
            draft.warnings.append({"lease_id": str(lease_id), "problem": "no revenue deck in effect for the month"})
            continue
        revision = inputs.volumes[lease_id]["revision"] if lease_id in inputs.volumes else 0
        for sale in sales:
            sale_id = draft.add_sale(sale, month, (revision, inputs.tax_revisions.get(lease_id, 0)), None, False)
            for share in dist.distribute(sale, deck):
                disposition = "title_hold" if (share.partner_id, lease_id) in held else "pay"
                draft.lines.append(OwnerLine(sale_id, sale, month, share, False, disposition))


async def run_distribution(acc: Accounting, actor: Actor, month: date) -> dict[str, Any]:
    """Compute (or recompute) the draft distribution of ``month``."""
    check_month(month)
    async with acc.uow(actor) as uow:
        await uow.runs.lock(actor.organization_id)
        draft = Draft(actor.organization_id, await _replace_draft(uow, month))
        held = await suspended_pairs(uow)
        await _value_month(uow, month, held, draft)
        await late_corrections(uow, month, held, draft.add_sale, draft.lines, draft.warnings)
        settlements = await settle(acc, uow, month, draft.lines, held)
        run = {
            "organization_id": actor.organization_id,
            "id": draft.run_id,
            "month": month,
            "status": "draft",
            "totals": totals(draft.sales, settlements),
            "warnings": draft.warnings,
            "created_by": actor.id,
            "created_at": acc.clock(),
        }
        await uow.runs.add(
            run, draft.sales, draft.owner_rows(), settlement_rows(actor.organization_id, draft.run_id, settlements)
        )
        # the run's values are compared with the purchasers' statements (docs/reconciliation.md)
        keys = await uow.recon.lease_months_of(month, None)
        await reconciliation.refresh(uow, actor.organization_id, keys, acc.clock())
        return await run_summary(uow, draft.run_id)
