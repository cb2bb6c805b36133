"""Change a well's details (not its status): the registration rules, on the well as it would become."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.events.wells import WellUpdated
from wellflow_servicekit.kernel import Actor

from ..fields import check_field
from ..ports import Row, Taken
from ..registry import Registry, well_key
from .common import check_gas_well_id, duplicate_api, find_well, lease_for_well, well_event


async def update_well(registry: Registry, actor: Actor, well_id: UUID, changes: Mapping[str, Any]) -> Row:
    try:
        async with registry.uow(actor) as uow:
            row = await find_well(uow, well_id, lock=True)
            row.update(changes, updated_at=registry.clock())
            check_gas_well_id(row)
            lease = await lease_for_well(uow, row["lease_id"])
            await check_field(uow, row.get("field_id"))
            if "api_number" in changes and await uow.wells.api_number_taken(row["api_number"], other_than=well_id):
                raise duplicate_api()
            row = await uow.wells.change(well_id, {**changes, "updated_at": row["updated_at"]})
            uow.record(well_event(WellUpdated, actor.organization_id, row, lease), aggregate_key=well_key(well_id))
    except Taken:
        raise duplicate_api() from None
    return row
