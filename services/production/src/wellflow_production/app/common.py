"""What every production use case shares: who acts, the database and clock, problem helpers, event keys."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select

from wellflow_servicekit.database import Database, UnitOfWork
from wellflow_servicekit.problems import UnprocessableContent

MAX_PAGE = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    id: str
    organization_id: UUID
    role: str = "owner"


@dataclass
class Production:
    """The use cases' handle on the service: its database and its clock (tests move the clock).

    ``gate`` admits requests to the database in arrival order, at most ``gate_size`` at once. Without it, when
    hundreds of requests wait for the pool's connections, a connection given back goes to whichever request
    asks next, and some requests starve for seconds (measured: p99 8 s at a p50 of 0.4 s). Consumers and the
    outbox relay do not pass the gate, so it stays below the pool size.
    """

    database: Database
    clock: Callable[[], datetime] = utcnow
    gate_size: int = 0
    _gate: asyncio.Semaphore | None = field(default=None, init=False, repr=False)

    def uow(self, actor: Actor) -> AbstractAsyncContextManager[UnitOfWork]:
        return self._gated(self.database.unit_of_work(actor.organization_id))

    @contextlib.asynccontextmanager
    async def _gated(self, unit: UnitOfWork) -> AsyncIterator[UnitOfWork]:
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


def invalid(field: str, message: str, *, slug: str = "validation-error", **extra: Any) -> UnprocessableContent:
    return UnprocessableContent(message, slug=slug, errors=[{"field": field, "message": message}], **extra)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def well_key(well_id: UUID) -> str:
    return f"production.well:{well_id}"


def lease_key(lease_id: UUID) -> str:
    return f"production.lease:{lease_id}"


def jsonable(value: Any) -> Any:
    """Decimals as strings, dates and ids as ISO text: how a stored response or history row keeps exact values."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | UUID):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    return value


def request_hash(body: Mapping[str, Any]) -> str:
    """A stable fingerprint of a request body, to tell a retry from a different request under the same key."""
    return hashlib.sha256(json.dumps(jsonable(body), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


async def fetch_page(uow: UnitOfWork, query: Select, limit: int) -> list[dict[str, Any]]:
    rows = (await uow.connection.execute(query.limit(limit + 1))).mappings().all()
    return [dict(row) for row in rows]
