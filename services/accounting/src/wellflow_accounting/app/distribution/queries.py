"""Reading distribution runs: one run with its sales, and the list."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ..context import Accounting, Actor
from ..ports import AccountingWork


def run_key(run_id: UUID) -> str:
    return f"accounting.run:{run_id}"


async def run_row(uow: AccountingWork, run_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = await uow.runs.get(run_id, lock=lock)
    if row is None:
        raise NotFound(f"No distribution run {run_id}.")
    return row


async def run_summary(uow: AccountingWork, run_id: UUID) -> dict[str, Any]:
    run = await run_row(uow, run_id)
    run["sales"] = await uow.runs.sales(run_id)
    return run


async def get_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await run_summary(uow, run_id)


async def list_runs(
    acc: Accounting, actor: Actor, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.runs.page_of_runs(status=status, limit=limit, offset=offset)
