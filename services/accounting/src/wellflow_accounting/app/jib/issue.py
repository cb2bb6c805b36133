"""Issue a draft JIB run: lock the month, mark its costs billed and announce ``accounting.jib_issued.v1``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import JibIssued, PartnerBilling
from wellflow_servicekit.errors import Conflict

from ..context import Accounting, Actor
from .queries import jib_key, jib_row, jib_summary


async def issue_jib(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """Lock the month, mark its costs billed and publish ``accounting.jib_issued.v1`` (idempotent)."""
    async with acc.uow(actor) as uow:
        await uow.jib_runs.lock(actor.organization_id)
        run = await jib_row(uow, run_id, lock=True)
        if run["status"] == "issued":
            return await jib_summary(uow, run_id)
        if await uow.jib_runs.issued_since(run["created_at"]):
            raise Conflict(
                "Another month was issued after this draft was computed; re-run it first.", slug="stale-draft"
            )
        await uow.jib_runs.issue(run_id, actor.id, acc.clock())
        statements = await uow.jib_runs.statements(run_id)
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
        return await jib_summary(uow, run_id)
