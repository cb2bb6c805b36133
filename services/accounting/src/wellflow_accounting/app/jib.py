"""Joint interest billing: the monthly run that allocates every unbilled cost (``costs``) and the month's
overhead (``agreements``) by the cost deck's working interests, the statement per partner, and payments.

Like revenue runs, a JIB run is a draft until issued; re-running a draft replaces it; an issued month is
locked and the costs it billed are marked so no later run bills them again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, select, text, update

from wellflow_contracts.events.accounting import JibIssued, PartnerBilling
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.tables import (
    agreements,
    costs,
    jib_lines,
    jib_payments,
    jib_runs,
    jib_statements,
    leases,
    overhead_adjustments,
    partners,
    well_status_history,
    wells,
)
from ..domain import jib as rules
from ..domain.decks import DeckKind
from ..domain.money import ZERO, allocate
from .context import Accounting, Actor, check_month, fetch_all, fetch_page
from .creates import create_once
from .decks import decks_in_effect
from .partners import require_partners


def jib_key(run_id: UUID) -> str:
    return f"accounting.jib_run:{run_id}"


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


# ---------------------------------------------------------------- payments


async def record_payment(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new payment and True, or the payment with this client-chosen id and False (a retried request)."""
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "partner_id": data["partner_id"],
        "received_on": data["received_on"],
        "amount": data["amount"],
        "reference": data.get("reference"),
        "created_by": actor.id,
        "created_at": acc.clock(),
    }
    request = {key: row[key] for key in ("partner_id", "received_on", "amount", "reference")}
    async with acc.uow(actor) as uow:

        async def check() -> None:
            await require_partners(uow, {data["partner_id"]}, "body.partner_id")

        return await create_once(uow, jib_payments, row, request=request, noun="payment", prepare=check)


async def list_payments(acc: Accounting, actor: Actor, *, partner_id: UUID | None, limit: int, offset: int) -> dict:
    query = select(jib_payments, func.count().over().label("_total"))
    if partner_id is not None:
        query = query.where(jib_payments.c.partner_id == partner_id)
    return await fetch_page(
        acc, actor, query.order_by(jib_payments.c.received_on.desc(), jib_payments.c.id), limit, offset
    )


# ---------------------------------------------------------------- runs


async def _lock(uow: UnitOfWork, organization_id: UUID) -> None:
    await uow.connection.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"accounting-jib:{organization_id}"}
    )


async def run_jib(acc: Accounting, actor: Actor, month: date) -> dict[str, Any]:
    """The month's draft: every unbilled cost dated before the month ends, plus the month's overhead, each
    allocated by the cost deck in effect on its date; and each partner's statement."""
    check_month(month)
    end = next_month(month)
    async with acc.uow(actor) as uow:
        await _lock(uow, actor.organization_id)
        existing = (await uow.connection.execute(select(jib_runs).where(jib_runs.c.month == month))).mappings().first()
        if existing is not None and existing["status"] == "issued":
            raise Conflict(f"The JIB for {month:%m/%Y} was issued and is locked.", slug="period-locked")
        run_id = existing["id"] if existing is not None else uuid7()
        if existing is not None:
            await uow.connection.execute(delete(jib_runs).where(jib_runs.c.id == run_id))
        warnings: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []  # cost-like items to allocate
        for cost in await fetch_all(
            uow, select(costs).where(costs.c.jib_run_id.is_(None), costs.c.incurred_on < end).order_by(costs.c.id)
        ):
            items.append({**cost, "cost_id": cost["id"]})
        items += await _overhead_items(uow, month, warnings)
        deck_cache: dict[date, Any] = {}
        lines = []
        for item in items:
            day = item["incurred_on"]
            if day not in deck_cache:
                deck_cache[day] = await decks_in_effect(uow, DeckKind.COST, day)
            deck = deck_cache[day].get(item["lease_id"])
            if not deck:
                warnings.append(
                    {
                        "cost_id": str(item.get("cost_id")),
                        "lease_id": str(item["lease_id"]),
                        "problem": f"no cost deck in effect on {day}: not billed this run",
                    }
                )
                continue
            weights = {line.partner_id: line.decimal for line in deck}
            for partner_id, net in allocate(item["amount"], weights).items():
                lines.append(
                    {
                        "organization_id": actor.organization_id,
                        "id": uuid7(),
                        "run_id": run_id,
                        "partner_id": partner_id,
                        "cost_id": item.get("cost_id"),
                        "lease_id": item["lease_id"],
                        "well_id": item.get("well_id"),
                        "incurred_on": day,
                        "category": item["category"],
                        "description": item.get("description"),
                        "vendor_name": item.get("vendor_name"),
                        "afe_number": item.get("afe_number"),
                        "gross": item["amount"],
                        "decimal": weights[partner_id],
                        "net": net,
                    }
                )
        billed: dict[UUID, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            billed[line["partner_id"]] += line["net"]
        statements = await _statements(uow, actor, run_id, month, billed)
        totals = {
            "gross_billed": str(sum((line["net"] for line in lines), ZERO)),
            "costs": str(sum(1 for i in items if i.get("cost_id"))),
            "overhead": str(sum((i["amount"] for i in items if not i.get("cost_id")), ZERO)),
            "not_billed": str(len(warnings)),
            "partners": str(len(statements)),
        }
        await uow.connection.execute(
            insert(jib_runs).values(
                organization_id=actor.organization_id,
                id=run_id,
                month=month,
                status="draft",
                totals=totals,
                warnings=warnings,
                created_by=actor.id,
                created_at=acc.clock(),
            )
        )
        if lines:
            await uow.connection.execute(insert(jib_lines), lines)
        if statements:
            await uow.connection.execute(insert(jib_statements), statements)
        return await _jib_summary(uow, run_id)


async def _overhead_items(uow: UnitOfWork, month: date, warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    adjustments: dict[UUID, dict[int, Decimal]] = defaultdict(dict)
    for r in await uow.connection.execute(select(overhead_adjustments)):
        adjustments[r.agreement_id][r.year] = r.percent
    for agreement in await fetch_all(uow, select(agreements).order_by(agreements.c.id)):
        drilling = rules.adjusted_rate(
            agreement["drilling_overhead_rate"], agreement["rates_set_on"], adjustments[agreement["id"]], month
        )
        producing = rules.adjusted_rate(
            agreement["producing_overhead_rate"], agreement["rates_set_on"], adjustments[agreement["id"]], month
        )
        lease_wells = await fetch_all(
            uow,
            select(wells.c.id, wells.c.name).where(wells.c.lease_id == agreement["lease_id"]).order_by(wells.c.name),
        )
        for well in lease_wells:
            history = [
                (r.effective_date, r.status)
                for r in await uow.connection.execute(
                    select(well_status_history.c.effective_date, well_status_history.c.status)
                    .where(well_status_history.c.well_id == well["id"])
                    .order_by(well_status_history.c.effective_date, well_status_history.c.seq)
                )
            ]
            charge = rules.well_overhead(drilling, producing, history, month)
            if charge is None or not charge.amount:
                continue
            items.append(
                {
                    "lease_id": agreement["lease_id"],
                    "well_id": well["id"],
                    "incurred_on": month,
                    "category": rules.CostCategory.OVERHEAD.value,
                    "description": f"{well['name']}: {charge.description}",
                    "vendor_name": None,
                    "afe_number": None,
                    "amount": charge.amount,
                }
            )
    return items


async def _statements(
    uow: UnitOfWork, actor: Actor, run_id: UUID, month: date, billed: Mapping[UUID, Decimal]
) -> list[dict[str, Any]]:
    end = next_month(month)
    prior_billed = {
        r.partner_id: r.total
        for r in await uow.connection.execute(
            select(jib_statements.c.partner_id, func.sum(jib_statements.c.billed).label("total"))
            .join(
                jib_runs,
                and_(
                    jib_runs.c.id == jib_statements.c.run_id,
                    jib_runs.c.organization_id == jib_statements.c.organization_id,
                ),
            )
            .where(jib_runs.c.status == "issued", jib_runs.c.month < month)
            .group_by(jib_statements.c.partner_id)
        )
    }
    paid_before: dict[UUID, Decimal] = {}
    paid_now: dict[UUID, Decimal] = {}
    for r in await uow.connection.execute(
        select(jib_payments.c.partner_id, jib_payments.c.received_on, jib_payments.c.amount).where(
            jib_payments.c.received_on < end
        )
    ):
        bucket = paid_before if r.received_on < month else paid_now
        bucket[r.partner_id] = bucket.get(r.partner_id, ZERO) + r.amount
    result = []
    for partner_id in sorted(set(billed) | set(prior_billed) | set(paid_before) | set(paid_now), key=str):
        b = rules.balance(
            prior_billed.get(partner_id, ZERO),
            paid_before.get(partner_id, ZERO),
            billed.get(partner_id, ZERO),
            paid_now.get(partner_id, ZERO),
        )
        if not (b.billed or b.payments or b.prior_balance):
            continue
        result.append(
            {
                "organization_id": actor.organization_id,
                "run_id": run_id,
                "partner_id": partner_id,
                "month": month,
                "prior_balance": b.prior_balance,
                "billed": b.billed,
                "payments": b.payments,
                "balance_due": b.balance_due,
            }
        )
    return result


async def _jib_row(uow: UnitOfWork, run_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(jib_runs).where(jib_runs.c.id == run_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No JIB run {run_id}.")
    return dict(row)


async def _jib_summary(uow: UnitOfWork, run_id: UUID) -> dict[str, Any]:
    run = await _jib_row(uow, run_id)
    run["statements"] = await fetch_all(
        uow,
        select(jib_statements, partners.c.name)
        .join(
            partners,
            and_(
                partners.c.id == jib_statements.c.partner_id,
                partners.c.organization_id == jib_statements.c.organization_id,
            ),
        )
        .where(jib_statements.c.run_id == run_id)
        .order_by(partners.c.name),
    )
    return run


async def get_jib_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await _jib_summary(uow, run_id)


async def list_jib_runs(acc: Accounting, actor: Actor, *, status: str | None, limit: int, offset: int) -> dict:
    query = select(jib_runs, func.count().over().label("_total"))
    if status is not None:
        query = query.where(jib_runs.c.status == status)
    return await fetch_page(acc, actor, query.order_by(jib_runs.c.month.desc()), limit, offset)


async def issue_jib(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """Lock the month, mark its costs billed and publish ``accounting.jib_issued.v1`` (idempotent)."""
    async with acc.uow(actor) as uow:
        await _lock(uow, actor.organization_id)
        run = await _jib_row(uow, run_id, lock=True)
        if run["status"] == "issued":
            return await _jib_summary(uow, run_id)
        later = await uow.connection.scalar(
            select(func.count()).where(jib_runs.c.status == "issued", jib_runs.c.issued_at > run["created_at"])
        )
        if later:
            raise Conflict(
                "Another month was issued after this draft was computed; re-run it first.", slug="stale-draft"
            )
        cost_ids = select(jib_lines.c.cost_id).where(jib_lines.c.run_id == run_id, jib_lines.c.cost_id.is_not(None))
        await uow.connection.execute(update(costs).where(costs.c.id.in_(cost_ids)).values(jib_run_id=run_id))
        now = acc.clock()
        await uow.connection.execute(
            update(jib_runs).where(jib_runs.c.id == run_id).values(status="issued", issued_by=actor.id, issued_at=now)
        )
        statements = await fetch_all(uow, select(jib_statements).where(jib_statements.c.run_id == run_id))
        uow.record(
            JibIssued(
                tenant_id=actor.organization_id,
                jib_run_id=run_id,
                month=run["month"],
                gross_billed=Decimal(run["totals"]["gross_billed"]),
                partners=[
                    PartnerBilling(partner_id=s["partner_id"], net_billed=s["billed"], balance_due=s["balance_due"])
                    for s in statements
                ],
                issued_by=actor.id,
            ),
            aggregate_key=jib_key(run_id),
        )
        return await _jib_summary(uow, run_id)


JIB_COLUMNS = [
    ("incurred_on", "Date"),
    ("lease", "Property"),
    ("well", "Well"),
    ("afe_number", "AFE"),
    ("category", "Category"),
    ("vendor_name", "Vendor"),
    ("description", "Description"),
    ("gross", "Gross amount"),
    ("decimal", "Partner decimal"),
    ("net", "Partner net"),
]


async def partner_statement(acc: Accounting, actor: Actor, run_id: UUID, partner_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        run = await _jib_row(uow, run_id)
        statement = (
            (
                await uow.connection.execute(
                    select(jib_statements).where(
                        jib_statements.c.run_id == run_id, jib_statements.c.partner_id == partner_id
                    )
                )
            )
            .mappings()
            .first()
        )
        partner = (await uow.connection.execute(select(partners).where(partners.c.id == partner_id))).mappings().first()
        if statement is None or partner is None:
            raise NotFound(f"No JIB statement for partner {partner_id} in run {run_id}.")
        lines = await fetch_all(
            uow,
            select(jib_lines, leases.c.name.label("lease"), wells.c.name.label("well"))
            .outerjoin(
                leases,
                and_(leases.c.id == jib_lines.c.lease_id, leases.c.organization_id == jib_lines.c.organization_id),
            )
            .outerjoin(
                wells, and_(wells.c.id == jib_lines.c.well_id, wells.c.organization_id == jib_lines.c.organization_id)
            )
            .where(jib_lines.c.run_id == run_id, jib_lines.c.partner_id == partner_id)
            .order_by(jib_lines.c.lease_id, jib_lines.c.incurred_on, jib_lines.c.category, jib_lines.c.id),
        )
    return {
        "run_id": run_id,
        "month": f"{run['month']:%m/%Y}",
        "status": run["status"],
        "partner": {"id": partner["id"], "name": partner["name"]},
        "operator": {"name": acc.operator.name, "address": acc.operator.address, "phone": acc.operator.phone},
        "lines": lines,
        "prior_balance": statement["prior_balance"],
        "billed": statement["billed"],
        "payments": statement["payments"],
        "balance_due": statement["balance_due"],
    }
