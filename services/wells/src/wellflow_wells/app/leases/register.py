"""Register a lease: dates in order, its field in this organization, its RRC number unused in its district."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wellflow_contracts.events.wells import LeaseRegistered
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor

from ..fields import check_field
from ..ports import Row, Taken
from ..registry import Registry, lease_key
from .common import check_lease_dates, duplicate_lease, lease_event, stored_purchasers


async def register_lease(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> Row:
    now = registry.clock()
    row = {**data, **stored_purchasers(data), "id": uuid7(), "created_at": now, "updated_at": now}
    check_lease_dates(row)
    try:
        async with registry.uow(actor) as uow:
            await check_field(uow, row.get("field_id"))
            row = await uow.leases.add(row)
            uow.record(lease_event(LeaseRegistered, actor.organization_id, row), aggregate_key=lease_key(row["id"]))
    except Taken:
        raise duplicate_lease() from None
    return row
