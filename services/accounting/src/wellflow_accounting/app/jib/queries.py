"""Reading JIB runs: one run with its statements, and the list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ..context import Accounting, Actor
from ..ports import AccountingWork


def jib_key(run_id: UUID) -> str:
    return f"accounting.jib_run:{run_id}"


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


async def jib_row(uow: AccountingWork, run_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = await uow.jib_runs.get(run_id, lock=lock)
    if row is None:
        raise NotFound(f"No JIB run {run_id}.")
    return row


async def jib_summary(uow: AccountingWork, run_id: UUID) -> dict[str, Any]:
    run = await jib_row(uow, run_id)
    run["statements"] = await uow.jib_runs.statements_with_names(run_id)
    return run


async def get_jib_run(acc: Accounting, actor: Actor, run_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await jib_summary(uow, run_id)


async def list_jib_runs(
    acc: Accounting, actor: Actor, *, status: str | None, limit: int, offset: int
) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.jib_runs.page_of_runs(status=status, limit=limit, offset=offset)
