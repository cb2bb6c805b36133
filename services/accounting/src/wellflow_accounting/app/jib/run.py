"""The month's draft JIB: every unbilled cost dated before the month ends, plus the month's overhead, each
allocated by the cost deck in effect on its date; and each partner's statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain import jib as rules
from ...domain.decks import DeckKind, DeckLine
from ...domain.money import ZERO, allocate
from ..context import Accounting, Actor, check_month
from ..ports import AccountingWork
from .queries import jib_summary, next_month


async def _replace_draft(uow: AccountingWork, month: date) -> UUID:
    existing = await uow.jib_runs.for_month(month)
    if existing is not None and existing["status"] == "issued":
        raise Conflict(f"The JIB for {month:%m/%Y} was issued and is locked.", slug="period-locked")
    if existing is None:
        return uuid7()
    await uow.jib_runs.delete(existing["id"])
    return existing["id"]  # type: ignore[no-any-return]


async def overhead_items(uow: AccountingWork, month: date) -> list[dict[str, Any]]:
    """The month's overhead per well of every lease with an operating agreement (COPAS rates, adjusted)."""
    items = []
    adjustments: dict[UUID, dict[int, Decimal]] = defaultdict(dict, await uow.agreements.every_adjustment())
    for agreement in await uow.agreements.every():
        drilling = rules.adjusted_rate(
            agreement["drilling_overhead_rate"], agreement["rates_set_on"], adjustments[agreement["id"]], month
        )
        producing = rules.adjusted_rate(
            agreement["producing_overhead_rate"], agreement["rates_set_on"], adjustments[agreement["id"]], month
        )
        for well in await uow.wells.on_lease(agreement["lease_id"]):
            history = await uow.wells.status_history(well["id"])
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


def _lines_of(item: dict[str, Any], deck: list[DeckLine], organization_id: UUID, run_id: UUID) -> list[dict[str, Any]]:
    """One cost (or overhead) item split among the deck's working interests."""
    weights = {line.partner_id: line.decimal for line in deck}
    return [
        {
            "organization_id": organization_id,
            "id": uuid7(),
            "run_id": run_id,
            "partner_id": partner_id,
            "cost_id": item.get("cost_id"),
            "lease_id": item["lease_id"],
            "well_id": item.get("well_id"),
            "incurred_on": item["incurred_on"],
            "category": item["category"],
            "description": item.get("description"),
            "vendor_name": item.get("vendor_name"),
            "afe_number": item.get("afe_number"),
            "gross": item["amount"],
            "decimal": weights[partner_id],
            "net": net,
        }
        for partner_id, net in allocate(item["amount"], weights).items()
    ]


async def _allocate(
    uow: AccountingWork, items: list[dict[str, Any]], organization_id: UUID, run_id: UUID, warnings: list[Any]
) -> list[dict[str, Any]]:
    deck_cache: dict[date, Any] = {}
    lines = []
    for item in items:
        day = item["incurred_on"]
        if day not in deck_cache:
            deck_cache[day] = await uow.decks.in_effect(DeckKind.COST, day)
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
        lines += _lines_of(item, deck, organization_id, run_id)
    return lines


async def _statements(
    uow: AccountingWork, actor: Actor, run_id: UUID, month: date, billed: Mapping[UUID, Decimal]
) -> list[dict[str, Any]]:
    end = next_month(month)
    prior_billed = await uow.jib_runs.billed_before(month)
    paid_before: dict[UUID, Decimal] = {}
    paid_now: dict[UUID, Decimal] = {}
    for r in await uow.payments.received_before(end):
        bucket = paid_before if r["received_on"] < month else paid_now
        bucket[r["partner_id"]] = bucket.get(r["partner_id"], ZERO) + r["amount"]
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


async def run_jib(acc: Accounting, actor: Actor, month: date) -> dict[str, Any]:
    """The month's draft: every unbilled cost dated before the month ends, plus the month's overhead, each
    allocated by the cost deck in effect on its date; and each partner's statement."""
    check_month(month)
    end = next_month(month)
    async with acc.uow(actor) as uow:
        await uow.jib_runs.lock(actor.organization_id)
        run_id = await _replace_draft(uow, month)
        warnings: list[dict[str, Any]] = []
        items = [{**cost, "cost_id": cost["id"]} for cost in await uow.costs.unbilled_before(end)]
        items += await overhead_items(uow, month)
        lines = await _allocate(uow, items, actor.organization_id, run_id, warnings)
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
        run = {"organization_id": actor.organization_id, "id": run_id, "month": month, "status": "draft"}
        run |= {"totals": totals, "warnings": warnings, "created_by": actor.id, "created_at": acc.clock()}
        await uow.jib_runs.add(run, lines, statements)
        return await jib_summary(uow, run_id)
