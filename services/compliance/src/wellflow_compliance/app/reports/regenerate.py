"""Rebuilding a month's draft from scratch, on request (the copies compliance keeps are the source of truth)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...domain.form_pr import period_label
from ..common import Actor, Compliance
from ..drafts import regenerate_period
from ..severance import recompute_period_taxes
from .common import report_row


async def regenerate(compliance: Compliance, actor: Actor, period: date) -> dict[str, Any]:
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        await report_row(uow, period)
        lines = await regenerate_period(uow, actor.organization_id, period, now)
        await recompute_period_taxes(uow, compliance, actor.organization_id, period, now)
    return {"period": period_label(period), "leases": len(lines), "regenerated_at": now}
