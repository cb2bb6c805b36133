"""Payment runs, their payments (with lines: the stub) and the ACH settings, as the API answers them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ..context import Accounting, Actor
from .build import run_row
from .common import public_run


async def get_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return public_run(await run_row(uow, run_id))


async def list_runs(acc: Accounting, actor: Actor, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        page = await uow.payment_runs.page_of_runs(status=status, limit=limit, offset=offset)
    page["items"] = [public_run(r) for r in page["items"]]
    return page


async def list_payments(
    acc: Accounting, actor: Actor, run_id: UUID, *, status: str | None, method: str | None, limit: int, offset: int
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        await run_row(uow, run_id)
        return await uow.payment_runs.page_of_payments(run_id, status=status, method=method, limit=limit, offset=offset)


async def get_payment(acc: Accounting, actor: Actor, run_id: UUID, payment_id: UUID) -> dict[str, Any]:
    """One payment with its lines and the leases' names (what the check stub prints)."""
    async with acc.uow(actor) as uow:
        payment = await uow.payment_runs.payment(payment_id)
        if payment is None or payment["run_id"] != run_id:
            raise NotFound(f"No payment {payment_id} in payment run {run_id}.")
        lines = await uow.payment_runs.lines([payment_id])
        leases = await uow.leases.many({r["lease_id"] for r in lines if r["lease_id"]})
    for line in lines:
        lease = leases.get(line["lease_id"]) if line["lease_id"] else None
        line["lease_name"] = lease["name"] if lease else None
    return payment | {"lines": lines}
