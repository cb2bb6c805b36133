"""Move an AFE along its lifecycle; each step is kept in its history and announced."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain import afe as rules
from ..context import Accounting, Actor, invalid
from .common import afe_row, detail, record_status


async def transition(acc: Accounting, actor: Actor, afe_id: UUID, to_status: str, note: str | None) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await afe_row(uow, afe_id, lock=True)
        try:
            new = rules.check_transition(row["status"], to_status)
        except rules.IllegalAfeTransition as exc:
            raise Conflict(str(exc), slug="illegal-transition", allowed=exc.allowed) from None
        if new is rules.AfeStatus.PENDING_APPROVAL and not await uow.afes.count_lines(afe_id):
            raise invalid("body.status", "an AFE goes to approval with at least one estimate line")
        now = acc.clock()
        previous = row["status"]
        row = await uow.afes.set_status(afe_id, new.value, now)
        await uow.afes.add_history(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "afe_id": afe_id,
                "from_status": previous,
                "to_status": new.value,
                "changed_by": actor.id,
                "changed_at": now,
                "note": note,
            }
        )
        record_status(uow, actor, row, previous, new.value, note)
        return await detail(uow, row)
