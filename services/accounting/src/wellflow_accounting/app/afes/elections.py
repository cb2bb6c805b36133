"""A working-interest partner's consent or non-consent to an AFE."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict

from ...domain import afe as rules
from ...domain.decks import DeckKind
from ..context import Accounting, Actor, invalid
from .common import afe_row, detail


async def elect(
    acc: Accounting, actor: Actor, afe_id: UUID, partner_id: UUID, election: str, decided_on: date
) -> dict[str, Any]:
    """A working-interest partner's consent or non-consent (recorded again replaces it)."""
    async with acc.uow(actor) as uow:
        row = await afe_row(uow, afe_id, lock=True)
        if row["status"] in (rules.AfeStatus.CLOSED, rules.AfeStatus.REJECTED):
            raise Conflict(f"Elections are closed on a {row['status']} AFE.", slug="afe-closed")
        decks = await uow.decks.in_effect(DeckKind.COST, decided_on)
        partners = {line.partner_id for line in decks.get(row["lease_id"], [])}
        if partner_id not in partners:
            raise invalid("body.partner_id", "not a working-interest partner in the lease's cost deck on that date")
        await uow.afes.put_election(
            {
                "organization_id": actor.organization_id,
                "afe_id": afe_id,
                "partner_id": partner_id,
                "election": election,
                "decided_on": decided_on,
                "recorded_by": actor.id,
                "recorded_at": acc.clock(),
            }
        )
        return await detail(uow, row)
