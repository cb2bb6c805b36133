"""Actuals against an AFE: costs carrying its number (or a supplement's) add up, and passing the approved
total by more than the AFE's percentage raises an alert and ``afe_overrun_detected``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import AfeOverrunDetected
from wellflow_contracts.ids import uuid7

from ...domain import afe as rules
from ...domain.money import ZERO
from ..context import Accounting, Actor
from ..ports import AccountingWork
from .common import afe_key, afe_row, approved_total


async def chargeable_afes(uow: AccountingWork, numbers: set[str]) -> dict[str, dict[str, Any]]:
    return {r["afe_number"]: r for r in await uow.afes.with_numbers(numbers)}


async def _family_actual(uow: AccountingWork, original: dict[str, Any]) -> Decimal:
    """The costs charged to the original AFE and to every supplement of it."""
    supplements = await uow.afes.supplements(original["id"])
    family_numbers = [original["afe_number"]] + [r["afe_number"] for r in supplements]
    return sum((sum(v.values(), ZERO) for v in (await uow.costs.actuals(family_numbers)).values()), ZERO)


async def _raise_alert(
    acc: Accounting, uow: AccountingWork, actor: Actor, original: dict[str, Any], approved: Decimal, actual: Decimal
) -> None:
    afe_id, threshold = original["id"], original["overrun_percent"]
    percent = rules.overrun_percent(approved, actual)
    message = (
        f"AFE {original['afe_number']} actuals {actual} are {percent}% over the approved {approved} "
        f"(threshold {threshold}%): notify the partners and issue a supplemental AFE."
    )
    await uow.alerts.add(
        {
            "organization_id": actor.organization_id,
            "id": uuid7(),
            "kind": "afe_overrun",
            "afe_id": afe_id,
            "message": message,
            "details": {"approved": str(approved), "actual": str(actual), "percent": str(percent)},
            "raised_at": acc.clock(),
        }
    )
    await uow.afes.mark_alerted(afe_id, actual)
    uow.record(
        AfeOverrunDetected(
            tenant_id=actor.organization_id,
            afe_id=afe_id,
            afe_number=original["afe_number"],
            approved_estimate=approved,
            actual=actual,
            overrun_percent=percent,
            threshold_percent=threshold,
        ),
        aggregate_key=afe_key(afe_id),
    )


async def check_overruns(acc: Accounting, uow: AccountingWork, actor: Actor, numbers: set[str]) -> None:
    """After costs were charged: an AFE (or a supplement's original) whose actuals passed its approved total
    by more than its percentage raises an alert and an event, once per new high of actuals."""
    if not numbers:
        return
    rows = await uow.afes.with_numbers(numbers, lock=True)
    originals: set[UUID] = {r["parent_afe_id"] or r["id"] for r in rows}
    for afe_id in sorted(originals, key=str):
        original = await afe_row(uow, afe_id, lock=True)
        actual = await _family_actual(uow, original)
        approved = await approved_total(uow, afe_id)
        already = original["last_alerted_actual"]
        if not rules.is_overrun(approved, actual, original["overrun_percent"]) or (
            already is not None and actual <= already
        ):
            continue
        await _raise_alert(acc, uow, actor, original, approved, actual)
