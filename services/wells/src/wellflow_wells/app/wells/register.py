"""Register a well: on one of this organization's leases (its field and county by default), its API number
unused in the organization, its first status in the history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wellflow_contracts.events.wells import WellRegistered
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor

from ...domain.lifecycle import WellStatus
from ..fields import check_field
from ..ports import Row, Taken, WellsWork
from ..registry import Registry, well_key
from .common import check_gas_well_id, duplicate_api, lease_for_well, well_event


async def register_well(registry: Registry, actor: Actor, data: Mapping[str, Any]) -> Row:
    try:
        async with registry.uow(actor) as uow:
            return await register_well_in(uow, registry.clock(), actor, data)
    except Taken:  # a concurrent request took the API number after our check
        raise duplicate_api() from None


async def register_well_in(uow: WellsWork, now: datetime, actor: Actor, data: Mapping[str, Any]) -> Row:
    """Register one well inside an open unit of work (the CSV import registers many in one)."""
    row = {
        "is_horizontal": False,
        "is_offshore": False,
        "status": WellStatus.PROPOSED.value,
        **data,
        "id": uuid7(),
        "created_at": now,
        "updated_at": now,
    }
    check_gas_well_id(row)
    lease = await lease_for_well(uow, row["lease_id"])
    if row.get("field_id") is None:
        row["field_id"] = lease["field_id"]
    else:
        await check_field(uow, row["field_id"])
    if row.get("county") is None:
        row["county"] = lease["county"]
    if await uow.wells.api_number_taken(row["api_number"]):
        raise duplicate_api()
    row = await uow.wells.add(row)
    await uow.wells.record_history(
        {
            "id": uuid7(),
            "well_id": row["id"],
            "from_status": None,
            "to_status": row["status"],
            "effective_date": now.date(),
            "reason": "registered",
            "changed_by": actor.id,
            "changed_at": now,
        }
    )
    uow.record(well_event(WellRegistered, actor.organization_id, row, lease), aggregate_key=well_key(row["id"]))
    return row
