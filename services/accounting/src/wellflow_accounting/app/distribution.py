"""Revenue distribution runs: value each lease's sales for a month, share them among the revenue deck's owners
to the cent, hold what must be held (title, minimum payment), add adjustment lines for finalized months whose
volumes changed since, and on finalize lock the month, move suspense and announce it.

A run is a draft until finalized and has no effect on anything before that: re-running a draft replaces it.
Suspense balances only move when a run is finalized, so a draft always computes from finalized history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, text, update

from wellflow_contracts.events.accounting import OwnerPayment, RevenueDistributed
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.bulk import insert_rows
from ..adapters.tables import (
    distribution_runs,
    distribution_sales,
    owner_lines,
    owner_settlements,
    suspense_entries,
)
from ..domain import distribution as dist
from ..domain.money import ZERO
from .context import Accounting, Actor, check_month, fetch_all, fetch_page
from .corrections import late_corrections
from .decks import suspended_pairs
from .suspense import suspense_balances
from .valuation import OwnerLine, month_inputs, value_lease


def run_key(run_id: UUID) -> str:
    return f"accounting.run:{run_id}"


async def _lock_distribution(uow: UnitOfWork, organization_id: UUID) -> None:
    """Runs and finalizations of one organization happen one at a time (they read and move suspense)."""
    await uow.connection.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"accounting-distribution:{organization_id}"}
    )


async def run_distribution(acc: Accounting, actor: Actor, month: date) -> dict[str, Any]:
    """Compute (or recompute) the draft distribution of ``month``."""
    check_month(month)
    async with acc.uow(actor) as uow:
        await _lock_distribution(uow, actor.organization_id)
        existing = (
            (await uow.connection.execute(select(distribution_runs).where(distribution_runs.c.month == month)))
            .mappings()
            .first()
        )
        if existing is not None and existing["status"] == "finalized":
            raise Conflict(
                f"The distribution for {month:%m/%Y} is finalized and locked; corrections go into a later run.",
                slug="period-locked",
                run_id=str(existing["id"]),
            )
        run_id = existing["id"] if existing is not None else uuid7()
        if existing is not None:
            await uow.connection.execute(delete(distribution_runs).where(distribution_runs.c.id == run_id))

        warnings: list[dict[str, Any]] = []
        inputs = await month_inputs(uow, month)
        held = await suspended_pairs(uow)
        sales_rows: list[dict[str, Any]] = []
        lines: list[OwnerLine] = []

        def add_sale(
            sale: dist.Sale, sale_month: date, revisions: tuple[int, int], explanation: str | None, adjust: bool
        ) -> UUID:
            sale_id = uuid7()
            sales_rows.append(
                {
                    "organization_id": actor.organization_id,
                    "id": sale_id,
                    "run_id": run_id,
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

        for lease_id in sorted(inputs.volumes.keys() | {k[1] for k in inputs.prices if k[1]}, key=str):
            sales = value_lease(inputs, lease_id, warnings)
            if not sales:
                continue
            deck = inputs.decks.get(lease_id)
            if not deck:
                warnings.append({"lease_id": str(lease_id), "problem": "no revenue deck in effect for the month"})
                continue
            revision = inputs.volumes[lease_id]["revision"] if lease_id in inputs.volumes else 0
            for sale in sales:
                sale_id = add_sale(sale, month, (revision, inputs.tax_revisions.get(lease_id, 0)), None, False)
                for share in dist.distribute(sale, deck):
                    disposition = "title_hold" if (share.partner_id, lease_id) in held else "pay"
                    lines.append(OwnerLine(sale_id, sale, month, share, False, disposition))

        await late_corrections(uow, month, held, add_sale, lines, warnings)

        settlements = await _settle(acc, uow, month, lines, held)
        totals = _totals(sales_rows, settlements)
        now = acc.clock()
        await uow.connection.execute(
            insert(distribution_runs).values(
                organization_id=actor.organization_id,
                id=run_id,
                month=month,
                status="draft",
                totals=totals,
                warnings=warnings,
                created_by=actor.id,
                created_at=now,
            )
        )
        await insert_rows(uow, distribution_sales, sales_rows)
        if lines:
            await insert_rows(
                uow,
                owner_lines,
                [
                    {
                        "organization_id": actor.organization_id,
                        "id": uuid7(),
                        "run_id": run_id,
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
                    for line in lines
                ],
            )
        if settlements:
            await uow.connection.execute(
                insert(owner_settlements),
                [
                    {
                        "organization_id": actor.organization_id,
                        "run_id": run_id,
                        "partner_id": s.partner_id,
                        "earned": s.earned,
                        "title_held": sum(s.title_held.values(), ZERO),
                        "released_title": s.released_title,
                        "prior_minimum": s.prior_minimum,
                        "paid": s.paid,
                        "minimum_delta": s.minimum_delta,
                        "reason": s.reason,
                        "title_detail": {
                            "held": {str(k): str(v) for k, v in s.title_held.items()},
                            "released": {str(k): str(v) for k, v in released.items()},
                        },
                    }
                    for s, released in settlements
                ],
            )
        return await _run_summary(uow, run_id)


async def _settle(
    acc: Accounting, uow: UnitOfWork, month: date, lines: list[OwnerLine], held: dict[tuple[UUID, UUID], str]
) -> list[tuple[dist.Settlement, dict[UUID, Decimal]]]:
    minimum, title = await suspense_balances(uow)
    earned: dict[UUID, Decimal] = defaultdict(lambda: ZERO)
    title_held: dict[UUID, dict[UUID, Decimal]] = defaultdict(dict)
    for line in lines:
        partner = line.share.partner_id
        if line.disposition == "title_hold":
            bucket = title_held[partner]
            bucket[line.sale.lease_id] = bucket.get(line.sale.lease_id, ZERO) + line.share.net
        else:
            earned[partner] += line.share.net
    released: dict[UUID, dict[UUID, Decimal]] = defaultdict(dict)
    for (partner, lease_id), balance in title.items():
        if (partner, lease_id) not in held:  # the hold was lifted: what it kept is due now
            released[partner][lease_id] = balance
    partners = sorted(set(earned) | set(title_held) | set(released) | set(minimum), key=str)
    result = []
    for partner in partners:
        settlement = dist.settle(
            partner,
            earned=earned.get(partner, ZERO),
            released_title=sum(released.get(partner, {}).values(), ZERO),
            prior_minimum=minimum.get(partner, ZERO),
            month=month,
            rules=acc.suspense,
            title_held=title_held.get(partner, {}),
        )
        result.append((settlement, released.get(partner, {})))
    return result


def _totals(sales_rows: list[dict[str, Any]], settlements: list[tuple[dist.Settlement, Any]]) -> dict[str, str]:
    gross = sum((r["gross_value"] for r in sales_rows), ZERO)
    tax = sum((r["severance_tax"] for r in sales_rows), ZERO)
    deductions = sum((r["deductions"] for r in sales_rows), ZERO)
    adjustments = sum(
        (r["gross_value"] - r["severance_tax"] - r["deductions"] for r in sales_rows if r["is_adjustment"]), ZERO
    )
    paid = sum((s.paid for s, _ in settlements), ZERO)
    held = sum((sum(s.title_held.values(), ZERO) + max(s.minimum_delta, ZERO) for s, _ in settlements), ZERO)
    released = sum((s.released_title + max(-s.minimum_delta, ZERO) for s, _ in settlements), ZERO)
    return {
        "gross_value": str(gross),
        "severance_tax": str(tax),
        "deductions": str(deductions),
        "net_distributed": str(gross - tax - deductions),
        "adjustments": str(adjustments),
        "paid": str(paid),
        "held_in_suspense": str(held),
        "released_from_suspense": str(released),
        "owners": str(len(settlements)),
    }


async def run_row(uow: UnitOfWork, run_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(distribution_runs).where(distribution_runs.c.id == run_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No distribution run {run_id}.")
    return dict(row)


async def _run_summary(uow: UnitOfWork, run_id: UUID) -> dict[str, Any]:
    run = await run_row(uow, run_id)
    run["sales"] = await fetch_all(
        uow,
        select(distribution_sales)
        .where(distribution_sales.c.run_id == run_id)
        .order_by(
            distribution_sales.c.is_adjustment,
            distribution_sales.c.month,
            distribution_sales.c.lease_id,
            distribution_sales.c.product,
        ),
    )
    return run


async def get_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await _run_summary(uow, run_id)


async def list_runs(
    acc: Accounting, actor: Actor, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    query = select(distribution_runs, func.count().over().label("_total"))
    if status is not None:
        query = query.where(distribution_runs.c.status == status)
    query = query.order_by(distribution_runs.c.month.desc())
    return await fetch_page(acc, actor, query, limit, offset)


async def finalize_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """Lock the month, move suspense balances as the draft computed, and announce the distribution. A draft
    computed before another run was finalized is stale (suspense moved since): it must be re-run first."""
    async with acc.uow(actor) as uow:
        await _lock_distribution(uow, actor.organization_id)
        run = await run_row(uow, run_id, lock=True)
        if run["status"] == "finalized":
            return await _run_summary(uow, run_id)  # finalizing twice is harmless
        later = await uow.connection.scalar(
            select(func.count()).where(
                distribution_runs.c.status == "finalized", distribution_runs.c.finalized_at > run["created_at"]
            )
        )
        if later:
            raise Conflict(
                "Another month was finalized after this draft was computed; re-run the draft before finalizing.",
                slug="stale-draft",
            )
        now = acc.clock()
        settlements = await fetch_all(uow, select(owner_settlements).where(owner_settlements.c.run_id == run_id))
        entries = []
        for s in settlements:
            base = {"organization_id": actor.organization_id, "partner_id": s["partner_id"], "run_id": run_id}
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
                    {
                        **base,
                        "id": uuid7(),
                        "lease_id": UUID(lease_id),
                        "reason": "title_hold",
                        "amount": -Decimal(amount),
                    }
                )
        if entries:
            await uow.connection.execute(insert(suspense_entries), entries)
        await uow.connection.execute(
            update(distribution_runs)
            .where(distribution_runs.c.id == run_id)
            .values(status="finalized", finalized_by=actor.id, finalized_at=now)
        )
        totals = run["totals"]
        lease_ids = sorted(
            {
                r.lease_id
                for r in await uow.connection.execute(
                    select(distribution_sales.c.lease_id).where(distribution_sales.c.run_id == run_id).distinct()
                )
            },
            key=str,
        )
        uow.record(
            RevenueDistributed(
                tenant_id=actor.organization_id,
                run_id=run_id,
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
            ),
            aggregate_key=run_key(run_id),
        )
        return await _run_summary(uow, run_id)
