"""Record a well test (production work: a pumper may) on a well that can be tested, and list them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.events.wells import WellTestRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ...domain.rules import TESTABLE_STATUSES
from ..ports import Row
from ..registry import Registry, well_key
from ..wells.common import find_well


async def record_well_test(registry: Registry, actor: Actor, well_id: UUID, data: Mapping[str, Any]) -> Row:
    now = registry.clock()
    if data["test_date"] > now.date():
        raise invalid("body.test_date", "a well test cannot be dated in the future")
    async with registry.uow(actor) as uow:
        well = await find_well(uow, well_id)
        if well["status"] not in TESTABLE_STATUSES:
            raise Conflict(
                f"A {well['status']} well cannot be tested; tests are taken on "
                f"{', '.join(sorted(TESTABLE_STATUSES))} wells.",
                slug="well-not-testable",
            )
        row = await uow.well_tests.add(
            {**data, "id": uuid7(), "well_id": well_id, "recorded_by": actor.id, "recorded_at": now}
        )
        uow.record(
            WellTestRecorded(
                tenant_id=actor.organization_id,
                test_id=row["id"],
                well_id=well_id,
                api_number=well["api_number"],
                lease_id=well["lease_id"],
                test_date=row["test_date"],
                oil_bbl_per_day=row["oil_bbl_per_day"],
                gas_mcf_per_day=row["gas_mcf_per_day"],
                water_bbl_per_day=row["water_bbl_per_day"],
                hours=row["hours"],
                recorded_by=actor.id,
            ),
            aggregate_key=well_key(well_id),
        )
    return row


async def list_well_tests(registry: Registry, actor: Actor, well_id: UUID, *, limit: int, offset: int) -> PageOf[Row]:
    async with registry.uow(actor) as uow:
        await find_well(uow, well_id)
        return await uow.well_tests.list_for_well(well_id, limit=limit, offset=offset)
