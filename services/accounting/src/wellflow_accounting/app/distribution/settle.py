"""What each owner is paid, held or released by a draft run (the suspense rules of ``domain.distribution``),
and the run's totals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from ...domain import distribution as dist
from ...domain.money import ZERO
from ..context import Accounting
from ..ports import AccountingWork
from .valuation import OwnerLine

Settled = list[tuple[dist.Settlement, dict[UUID, Decimal]]]  # each owner's settlement, and the title released


async def suspense_balances(uow: AccountingWork) -> tuple[dict[UUID, Decimal], dict[tuple[UUID, UUID], Decimal]]:
    """Minimum-payment balance per owner, and title-hold balance per owner and lease."""
    minimum: dict[UUID, Decimal] = {}
    title: dict[tuple[UUID, UUID], Decimal] = {}
    for r in await uow.suspense.balances():
        if r["balance"] == 0:
            continue
        if r["reason"] == dist.SuspenseReason.MINIMUM_PAYMENT.value:
            minimum[r["partner_id"]] = minimum.get(r["partner_id"], ZERO) + r["balance"]
        else:
            title[(r["partner_id"], r["lease_id"])] = r["balance"]
    return minimum, title


def _earned_and_held(lines: list[OwnerLine]) -> tuple[dict[UUID, Decimal], dict[UUID, dict[UUID, Decimal]]]:
    earned: dict[UUID, Decimal] = defaultdict(lambda: ZERO)
    title_held: dict[UUID, dict[UUID, Decimal]] = defaultdict(dict)
    for line in lines:
        partner = line.share.partner_id
        if line.disposition == "title_hold":
            bucket = title_held[partner]
            bucket[line.sale.lease_id] = bucket.get(line.sale.lease_id, ZERO) + line.share.net
        else:
            earned[partner] += line.share.net
    return earned, title_held


async def settle(
    acc: Accounting, uow: AccountingWork, month: date, lines: list[OwnerLine], held: dict[tuple[UUID, UUID], str]
) -> Settled:
    minimum, title = await suspense_balances(uow)
    earned, title_held = _earned_and_held(lines)
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


def totals(sales_rows: list[dict[str, Any]], settlements: Settled) -> dict[str, str]:
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


def settlement_rows(organization_id: UUID, run_id: UUID, settlements: Settled) -> list[dict[str, Any]]:
    return [
        {
            "organization_id": organization_id,
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
    ]
