"""What the AFE commands share: reading one AFE with its detail, and announcing a status change."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import AfeStatusChanged
from wellflow_servicekit.errors import NotFound

from ...domain import afe as rules
from ...domain.money import ZERO
from ..context import Actor
from ..ports import AccountingWork

APPROVED = [s.value for s in rules.COUNTS_AS_APPROVED]


def afe_key(afe_id: UUID) -> str:
    return f"accounting.afe:{afe_id}"


async def afe_row(uow: AccountingWork, afe_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = await uow.afes.get(afe_id, lock=lock)
    if row is None:
        raise NotFound(f"No AFE {afe_id}.")
    return row


async def approved_total(uow: AccountingWork, afe_id: UUID) -> Decimal:
    """The original's estimate plus every approved supplement's."""
    return await uow.afes.approved_total(afe_id, APPROVED) or ZERO


async def detail(uow: AccountingWork, row: Mapping[str, Any]) -> dict[str, Any]:
    afe_id = row["id"]
    lines = await uow.afes.lines(afe_id)
    elections = await uow.afes.elections(afe_id)
    history = await uow.afes.history(afe_id)
    supplements = [r["id"] for r in await uow.afes.supplements(afe_id)]
    estimate = sum((line["amount"] for line in lines), ZERO)
    actual = sum((await uow.costs.actuals([row["afe_number"]])).get(row["afe_number"], {}).values(), ZERO)
    return {
        **row,
        "lines": lines,
        "elections": elections,
        "history": history,
        "supplement_ids": supplements,
        "estimate": estimate,
        "approved_total": await approved_total(uow, afe_id),
        "actual": actual,
    }


def record_status(
    uow: AccountingWork, actor: Actor, row: Mapping[str, Any], old: str | None, new: str, note: str | None
) -> None:
    uow.record(
        AfeStatusChanged(
            tenant_id=actor.organization_id,
            afe_id=row["id"],
            afe_number=row["afe_number"],
            lease_id=row["lease_id"],
            well_id=row["well_id"],
            from_status=old,
            to_status=new,
            changed_by=actor.id,
            note=note,
        ),
        aggregate_key=afe_key(row["id"]),
    )
