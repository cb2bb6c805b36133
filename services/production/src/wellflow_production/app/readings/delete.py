"""Remove a reading (a manager's act): its values stay in the history and the rollup drops them."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from wellflow_contracts.events.production import ReadingCorrected, ReadingVolumes
from wellflow_servicekit.kernel import Actor

from .. import rollups
from ..common import Production, month_start, well_key
from .shared import history_row, load, stale_version, volumes, well_of


async def delete_reading(
    production: Production, actor: Actor, reading_id: UUID, *, expected_version: int | None, reason: str
) -> None:
    now = production.clock()
    async with production.uow(actor) as uow:
        current = await load(uow, reading_id, lock=True)
        if expected_version is not None and current["version"] != expected_version:
            raise stale_version(
                reading_id, current, f"Reading {reading_id} is at version {current['version']}, not {expected_version}."
            )
        well = await well_of(uow, current["well_id"])
        version = current["version"] + 1
        await uow.readings.remove(reading_id)
        await uow.readings.add_history(
            history_row(actor, current, kind="deleted", version=version, now=now, reason=reason, after=None)
        )
        await rollups.refresh(
            uow, actor.organization_id, [(current["lease_id"], month_start(current["production_date"]))]
        )
        zero = ReadingVolumes(oil_bbl=Decimal(0), gas_mcf=Decimal(0), water_bbl=Decimal(0), hours_on=Decimal(0))
        uow.record(
            ReadingCorrected(
                tenant_id=actor.organization_id,
                reading_id=reading_id,
                well_id=current["well_id"],
                api_number=well["api_number"],
                lease_id=current["lease_id"],
                production_date=current["production_date"],
                version=version,
                previous=volumes(current),
                values=zero,
                reason=f"deleted: {reason}",
                corrected_by=actor.id,
                deleted=True,
            ),
            aggregate_key=well_key(current["well_id"]),
        )
