"""An event exists if and only if its change committed: both are written in one transaction."""

from __future__ import annotations

import pytest

from wellflow_servicekit.kernel import Actor
from wellflow_wells.app.wells.register import register_well_in


class Boom(Exception):
    pass


async def _counts(wells) -> tuple[int, int]:
    async with wells.app.state.registry.database.unit_of_work(wells.org_a) as uow:
        well_rows = (await uow.connection.exec_driver_sql("SELECT count(*) FROM wells")).scalar_one()
    events = (await wells.owner_query("SELECT count(*) FROM outbox WHERE event_type = 'wells.well_registered.v1'"))[0]
    return well_rows, events[0]


async def test_a_failure_after_the_change_rolls_back_the_event_too(wells):
    lease = await wells.lease()
    registry = wells.app.state.registry
    actor = Actor(id="tester", organization_id=wells.org_a)
    data = {
        "name": "W",
        "api_number": "42329000010000",
        "lease_id": lease["id"],
        "well_type": "oil",
        "purpose": "development",
    }
    with pytest.raises(Boom):
        async with registry.uow(actor) as uow:
            await register_well_in(uow, registry.clock(), actor, data)
            assert len(uow.recorded) == 1  # recorded, not yet written
            raise Boom
    assert await _counts(wells) == (0, 0)

    async with registry.uow(actor) as uow:
        well = await register_well_in(uow, registry.clock(), actor, data)
    assert await _counts(wells) == (1, 1)
    key = await wells.owner_query("SELECT aggregate_key FROM outbox WHERE event_type = 'wells.well_registered.v1'")
    assert key[0][0] == f"wells.well:{well['id']}"
