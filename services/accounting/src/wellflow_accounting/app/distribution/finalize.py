"""Finalize a draft run: lock the month, move suspense balances as the draft computed, and announce the
distribution (``accounting.revenue_distributed.v1``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import OwnerPayment, RevenueDistributed
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain.money import ZERO
from ..context import Accounting, Actor
from .queries import run_key, run_row, run_summary
from .valuation import TAX_PENDING


def suspense_entries(
    organization_id: UUID, run: dict[str, Any], settlements: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """The suspense movements of a run's settlements: the minimum-payment change, and per lease what a title
    hold kept (+) or released (-)."""
    entries = []
    for s in settlements:
        base = {"organization_id": organization_id, "partner_id": s["partner_id"], "run_id": run["id"]}
        base |= {"month": run["month"], "created_at": now}
        if s["minimum_delta"]:
            entries.append(
                {**base, "id": uuid7(), "lease_id": None, "reason": "minimum_payment", "amount": s["minimum_delta"]}
            )
        for lease_id, amount in s["title_detail"]["held"].items():
            if Decimal(amount):
                entries.append(
                    {
                        **base,
                        "id": uuid7(),
                        "lease_id": UUID(lease_id),
                        "reason": "title_hold",
                        "amount": Decimal(amount),
                    }
                )
        for lease_id, amount in s["title_detail"]["released"].items():
            entries.append(
                {**base, "id": uuid7(), "lease_id": UUID(lease_id), "reason": "title_hold", "amount": -Decimal(amount)}
            )
    return entries


def distributed(
    actor: Actor, run: dict[str, Any], settlements: list[dict[str, Any]], lease_ids: list[UUID], now: datetime
) -> RevenueDistributed:
    totals = run["totals"]
    return RevenueDistributed(
        tenant_id=actor.organization_id,
        run_id=run["id"],
        month=run["month"],
        lease_ids=lease_ids,
        gross_value=Decimal(totals["gross_value"]),
        severance_tax=Decimal(totals["severance_tax"]),
        deductions=Decimal(totals["deductions"]),
        net_distributed=Decimal(totals["net_distributed"]),
        paid=Decimal(totals["paid"]),
        held_in_suspense=Decimal(totals["held_in_suspense"]),
        owners=[
            OwnerPayment(
                partner_id=s["partner_id"],
                net_paid=s["paid"],
                held_in_suspense=s["title_held"] + max(s["minimum_delta"], ZERO),
            )
            for s in settlements
        ],
        finalized_by=actor.id,
        finalized_at=now,
    )


async def finalize_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """Lock the month, move suspense balances as the draft computed, and announce the distribution. A draft
    computed before another run was finalized is stale (suspense moved since): it must be re-run first. A
    draft with a severance tax still pending from compliance cannot be finalized (owners would be paid on a
    tax that is not the one filed)."""
    async with acc.uow(actor) as uow:
        await uow.runs.lock(actor.organization_id)
        run = await run_row(uow, run_id, lock=True)
        if run["status"] == "finalized":
            return await run_summary(uow, run_id)  # finalizing twice is harmless
        pending = [w for w in run["warnings"] or [] if w.get("code") == TAX_PENDING]
        if pending:
            raise Conflict(
                "Compliance has not computed the severance tax of "
                + ", ".join(sorted({f"lease {w['lease_id']} {w['product']}" for w in pending}))
                + "; owners must carry the tax filed with the Comptroller. Re-run the draft once it has.",
                slug="tax-pending",
            )
        if await uow.runs.finalized_since(run["created_at"]):
            raise Conflict(
                "Another month was finalized after this draft was computed; re-run the draft before finalizing.",
                slug="stale-draft",
            )
        now = acc.clock()
        settlements = await uow.runs.settlements(run_id)
        await uow.suspense.add(suspense_entries(actor.organization_id, run, settlements, now))
        await uow.runs.finalize(run_id, actor.id, now)
        await uow.late_payments.remember_tenant(actor.organization_id, now)  # the daily late check visits it
        lease_ids = await uow.runs.lease_ids(run_id)
        uow.record(distributed(actor, run, settlements, lease_ids, now), aggregate_key=run_key(run_id))
        return await run_summary(uow, run_id)
