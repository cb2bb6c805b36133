"""Change a lease's details: the same rules as registering, on the lease as it would become."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.events.wells import LeaseUpdated
from wellflow_servicekit.kernel import Actor

from ..fields import check_field
from ..ports import Row, Taken
from ..registry import Registry, lease_key
from .common import check_lease_dates, duplicate_lease, find_lease, lease_event, stored_purchasers


async def update_lease(registry: Registry, actor: Actor, lease_id: UUID, changes: Mapping[str, Any]) -> Row:
    changes = {**changes, **stored_purchasers(changes)}
    try:
        async with registry.uow(actor) as uow:
            row = await find_lease(uow, lease_id, lock=True)
            row.update(changes, updated_at=registry.clock())
            check_lease_dates(row)
            await check_field(uow, row.get("field_id"))
            row = await uow.leases.change(lease_id, {**changes, "updated_at": row["updated_at"]})
            uow.record(lease_event(LeaseUpdated, actor.organization_id, row), aggregate_key=lease_key(lease_id))
    except Taken:
        raise duplicate_lease() from None
    return row
