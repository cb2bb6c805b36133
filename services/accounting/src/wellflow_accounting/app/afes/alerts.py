"""Alerts raised by AFE overruns: list and acknowledge."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ..context import Accounting, Actor


async def list_alerts(acc: Accounting, actor: Actor, *, open_only: bool, limit: int, offset: int) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.alerts.page_of_alerts(open_only=open_only, limit=limit, offset=offset)


async def acknowledge_alert(acc: Accounting, actor: Actor, alert_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await uow.alerts.get(alert_id)
        if row is None:
            raise NotFound(f"No alert {alert_id}.")
        if row["acknowledged_at"] is not None:
            return row
        return await uow.alerts.acknowledge(alert_id, actor.id, acc.clock())
