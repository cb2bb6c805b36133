"""Business figures over every tenant, for ``ServiceRuntime.business_gauge``.

Row-level security confines a unit of work to one tenant, so a figure over all tenants is the sum of one
small query per tenant, each in its own tenant's transaction (the same walk the periodic tasks do). The
gauge is refreshed in the background every minute or few, never on a request's path; keep each query on
an index that starts with ``organization_id``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

from .database import Database

Figure = int | float | Mapping[Any, int | float]


async def across_tenants(
    database: Database[Any],
    tenant_ids: Callable[[Any], Awaitable[Iterable[UUID]]],
    read: Callable[[Any], Awaitable[Figure]],
    *,
    keys: Iterable[Any] | None = None,
) -> Figure:
    """``tenant_ids(uow)`` lists the tenants (in a system unit of work, from a table without RLS); ``read(uow)``
    is each tenant's figure, a number or a mapping of label values to numbers. Returns their sum: a number,
    or with ``keys`` (every label value there is, reported as 0 when no tenant has any) a mapping."""
    async with database.unit_of_work(None) as uow:
        tenants = list(await tenant_ids(uow))
    total: float = 0
    by_label: Counter[Any] = Counter({key: 0 for key in keys or ()})
    for tenant in tenants:
        async with database.unit_of_work(tenant) as uow:
            figure = await read(uow)
        if isinstance(figure, Mapping):
            by_label.update(figure)
        else:
            total += figure
    return dict(by_label) if keys is not None else total
