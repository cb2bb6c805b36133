"""Reading AFEs: one with its detail, the list, and the estimate-vs-actual report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from ...domain import afe as rules
from ...domain.money import ZERO
from ..context import Accounting, Actor
from .common import APPROVED, afe_row, detail


async def get_afe(acc: Accounting, actor: Actor, afe_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await detail(uow, await afe_row(uow, afe_id))


async def list_afes(
    acc: Accounting,
    actor: Actor,
    *,
    status: str | None = None,
    lease_id: UUID | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """A page of AFEs, each with its estimate (its own lines) and actual (the costs charged to its number), as
    its detail answers them."""
    async with acc.uow(actor) as uow:
        page = await uow.afes.page_of_afes(status=status, lease_id=lease_id, q=q, limit=limit, offset=offset)
        ids = [row["id"] for row in page["items"]]
        estimates = await uow.afes.estimates(ids)
        actuals = await uow.costs.actuals([row["afe_number"] for row in page["items"]])
    page["items"] = [
        {
            **row,
            "estimate": estimates.get(row["id"], ZERO),
            "actual": sum(actuals.get(row["afe_number"], {}).values(), ZERO),
        }
        for row in page["items"]
    ]
    return page


async def estimate_vs_actual(acc: Accounting, actor: Actor, afe_id: UUID) -> dict[str, Any]:
    """Per cost category: the estimate (the AFE's and its approved supplements') and the actual costs."""
    async with acc.uow(actor) as uow:
        row = await afe_row(uow, afe_id)
        family = [afe_id] + [r["id"] for r in await uow.afes.supplements(afe_id, statuses=APPROVED)]
        estimates = await uow.afes.estimates_by_category(family)
        numbers = [row["afe_number"]] + await uow.afes.numbers(family[1:])
        actual_by_number = await uow.costs.actuals(numbers)
    actuals: dict[str, Decimal] = {}
    for by_category in actual_by_number.values():
        for category, amount in by_category.items():
            actuals[category] = actuals.get(category, ZERO) + amount
    categories = sorted(set(estimates) | set(actuals))
    lines = [
        {
            "category": c,
            "estimate": estimates.get(c, ZERO),
            "actual": actuals.get(c, ZERO),
            "variance": actuals.get(c, ZERO) - estimates.get(c, ZERO),
        }
        for c in categories
    ]
    estimate, actual = sum(estimates.values(), ZERO), sum(actuals.values(), ZERO)
    return {
        "afe_id": afe_id,
        "afe_number": row["afe_number"],
        "lines": lines,
        "estimate": estimate,
        "actual": actual,
        "variance": actual - estimate,
        "overrun_percent": str(rules.overrun_percent(estimate, actual)),
        "threshold_percent": row["overrun_percent"],
    }
