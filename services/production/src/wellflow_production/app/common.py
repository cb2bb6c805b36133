"""What every production use case shares: the handle (database, clock, gate), months and event keys."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import Actor, Clock, utcnow

from .ports import ProductionDatabase, ProductionWork

MAX_PAGE = 500


@dataclass
class Production:
    """The use cases' handle on the service: its database and its clock (tests move the clock).

    ``database`` is anything with ``unit_of_work(tenant_id)``: a ``Database`` built with
    ``work_type=SqlProductionWork``, or ``FakeDatabase(FakeProductionWork)`` in unit tests.

    ``gate`` admits requests to the database in arrival order, at most ``gate_size`` at once. Without it, when
    hundreds of requests wait for the pool's connections, a connection given back goes to whichever request
    asks next, and some requests starve for seconds (measured: p99 8 s at a p50 of 0.4 s). Consumers and the
    outbox relay do not pass the gate, so it stays below the pool size.
    """

    database: ProductionDatabase
    clock: Clock = utcnow
    gate_size: int = 0
    _gate: asyncio.Semaphore | None = field(default=None, init=False, repr=False)

    def uow(self, actor: Actor) -> AbstractAsyncContextManager[ProductionWork]:
        return self._gated(self.database.unit_of_work(actor.organization_id))

    def system_uow(self) -> AbstractAsyncContextManager[ProductionWork]:
        """Cross-tenant work (the alert check's list of organizations): no tenant, no gate."""
        return self.database.unit_of_work(None)  # type: ignore[no-any-return]

    @contextlib.asynccontextmanager
    async def _gated(self, unit: Any) -> AsyncIterator[ProductionWork]:
        if self.gate_size <= 0:
            async with unit as uow:
                yield uow
            return
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.gate_size)
        async with self._gate, unit as uow:
            yield uow

    def today(self) -> date:
        return self.clock().date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def well_key(well_id: UUID) -> str:
    return f"production.well:{well_id}"


def lease_key(lease_id: UUID) -> str:
    return f"production.lease:{lease_id}"


def page_body(items: list[Any], rows: list[Any], *, offset: int, limit: int) -> dict[str, Any]:
    """An offset page's answer from ``limit + 1`` rows: the items and whether more follow."""
    return {"items": items, "has_more": len(rows) > limit, "offset": offset, "limit": limit}
