"""Approve (or cancel) a payment run. An owner or accountant approves; where the organization asks for two
approvers, two different people must. Approval fixes the run: the JIB balances it nets or refunds and the
suspense it holds or releases move now, once (docs/payments.md#approval)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import PaymentRunApproved
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ..context import Accounting, Actor
from ..ports import AccountingWork
from .build import run_row
from .common import payment_run_key, public_run

DONE = ("approved", "files_generated", "sent")


async def _check_fresh(uow: AccountingWork, run: dict[str, Any]) -> None:
    """The books the run was built from have not moved since: else approving would pay or net twice."""
    if await uow.runs.finalized_since(run["created_at"]):
        raise Conflict(
            "A revenue run was finalized after this payment run was built: cancel it and build it again.",
            slug="stale-payment-run",
        )
    balances = await uow.payment_runs.jib_balances()
    for partner, amount in run["totals"]["jib_payments"].items():
        planned = Decimal(amount)
        current = balances.get(UUID(partner), Decimal(0))
        if (planned > 0 and current < planned) or (planned < 0 and current > planned):
            raise Conflict(
                "A JIB balance this run nets or refunds changed since it was built: cancel it and build it again.",
                slug="stale-payment-run",
            )


async def _move_books(uow: AccountingWork, actor: Actor, run: dict[str, Any]) -> None:
    month = run["pay_date"].replace(day=1)
    now = run["approved_at"]
    entries = [
        {
            "organization_id": actor.organization_id,
            "id": uuid7(),
            "partner_id": UUID(partner),
            "lease_id": None,
            "reason": "minimum_payment",
            "amount": Decimal(amount),
            "run_id": run["id"],
            "month": month,
            "created_at": now,
        }
        for partner, amount in run["totals"]["minimum_suspense"].items()
    ]
    await uow.suspense.add(entries)
    await uow.payment_runs.add_jib_payments(
        [
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "partner_id": UUID(partner),
                "received_on": run["pay_date"],
                "amount": Decimal(amount),
                "payment_run_id": run["id"],
                "reference": f"payment run {run['id']}: " + ("netted" if Decimal(amount) > 0 else "credit refunded"),
                "created_by": actor.id,
                "created_at": now,
            }
            for partner, amount in run["totals"]["jib_payments"].items()
        ]
    )


def _approved(actor: Actor, run: dict[str, Any]) -> PaymentRunApproved:
    totals = run["totals"]
    approvers = [a for a in (run["first_approved_by"], run["approved_by"]) if a]
    return PaymentRunApproved(
        tenant_id=actor.organization_id,
        payment_run_id=run["id"],
        distribution_run_id=run["distribution_run_id"],
        pay_date=run["pay_date"],
        payments=totals["payments"],
        ach_total=Decimal(totals["ach_total"]),
        check_total=Decimal(totals["check_total"]),
        held=totals["held"],
        interest=Decimal(totals["interest"]),
        approved_by=approvers,
        approved_at=run["approved_at"],
    )


async def approve_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """A repeated approval by the same person answers the run unchanged; another person's approval of an
    approved run is refused (409 ``already-approved``)."""
    async with acc.uow(actor) as uow:
        await uow.payment_runs.lock(actor.organization_id)
        run = await run_row(uow, run_id, lock=True)
        if run["status"] == "cancelled":
            raise Conflict("The payment run was cancelled.", slug="payment-run-cancelled")
        if run["status"] in DONE:
            if actor.id in (run["approved_by"], run["first_approved_by"]):
                return public_run(run)
            raise Conflict(f"The payment run is already {run['status']}.", slug="already-approved")
        if run["first_approved_by"] == actor.id:
            return public_run(run)  # the first of two approvals, repeated: still waiting for a second person
        await _check_fresh(uow, run)
        settings = await uow.payment_runs.settings() or {}
        now = acc.clock()
        if settings.get("require_two_approvers") and run["first_approved_by"] is None:
            changes: dict[str, Any] = {"first_approved_by": actor.id, "first_approved_at": now}
            await uow.payment_runs.update_run(run_id, changes)
            return public_run(run | changes)
        changes = {"status": "approved", "approved_by": actor.id, "approved_at": now}
        await uow.payment_runs.update_run(run_id, changes)
        run = run | changes
        await _move_books(uow, actor, run)
        uow.record(_approved(actor, run), aggregate_key=payment_run_key(run_id))
        return public_run(run)


async def cancel_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    """Only a run not yet approved can be cancelled (an approved one has moved the books; void its checks)."""
    async with acc.uow(actor) as uow:
        await uow.payment_runs.lock(actor.organization_id)
        run = await run_row(uow, run_id, lock=True)
        if run["status"] == "cancelled":
            return public_run(run)
        if run["status"] != "draft":
            raise Conflict(f"A payment run that is {run['status']} cannot be cancelled.", slug="payment-run-approved")
        await uow.payment_runs.update_run(run_id, {"status": "cancelled"})
        return public_run(run | {"status": "cancelled"})
