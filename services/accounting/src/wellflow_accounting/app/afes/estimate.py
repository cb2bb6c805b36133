"""Replace a draft AFE's estimate lines (fixed once it left draft)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict

from ...domain import afe as rules
from ..context import Accounting, Actor
from .common import afe_row, detail


async def update_estimate(
    acc: Accounting, actor: Actor, afe_id: UUID, lines: list[Mapping[str, Any]]
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await afe_row(uow, afe_id, lock=True)
        if row["status"] not in rules.EDITABLE:
            raise Conflict(
                f"The estimate of a {row['status']} AFE is fixed; revise it in draft or issue a supplemental AFE.",
                slug="afe-not-editable",
            )
        await uow.afes.replace_lines(actor.organization_id, afe_id, lines)
        return await detail(uow, row)
