"""Correct a reading's values from the version the client saw; a stale version answers 409 with the current
one, and the previous values, who and why are kept in its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.events.production import ReadingCorrected
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from .. import rollups
from ..common import Production, month_start, well_key
from ..ports import ProductionWork
from .shared import (
    PreconditionRequired,
    check_values,
    history_row,
    load,
    represent,
    stale_version,
    values_of,
    volumes,
    well_of,
)


async def correct_reading(
    production: Production,
    actor: Actor,
    reading_id: UUID,
    *,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str,
    confirm: bool,
) -> dict[str, Any]:
    now = production.clock()
    async with production.uow(actor) as uow:
        current = await load(uow, reading_id, lock=True)  # 404 first: a reading not yours is not there
        _check_version(reading_id, current, expected_version)
        new_values = {**values_of(current), **changes}
        if new_values == values_of(current):
            raise invalid("body", "The correction changes nothing.", slug="no-change")
        well = await well_of(uow, current["well_id"], current["production_date"])
        await check_values(uow, new_values, well, current["production_date"], confirm)
        updated = await _write(uow, actor, current, changes, reason, now)
        uow.record(
            ReadingCorrected(
                tenant_id=actor.organization_id,
                reading_id=reading_id,
                well_id=current["well_id"],
                api_number=well["api_number"],
                lease_id=current["lease_id"],
                production_date=current["production_date"],
                version=updated["version"],
                previous=volumes(current),
                values=volumes(updated),
                reason=reason,
                corrected_by=actor.id,
            ),
            aggregate_key=well_key(current["well_id"]),
        )
    return represent(updated)


def _check_version(reading_id: UUID, current: dict[str, Any], expected_version: int | None) -> None:
    """A correction names the version it corrects (428 without one, 409 when it is not the current one)."""
    if expected_version is None:
        raise PreconditionRequired(
            "Send the version you are correcting (If-Match header or `version` in the body), so a concurrent "
            "correction is not overwritten.",
            current_version=current["version"],
        )
    if current["version"] != expected_version:
        raise stale_version(
            reading_id,
            current,
            f"Reading {reading_id} was changed since version {expected_version}: it is at version "
            f"{current['version']}. Review the current values and correct again.",
        )


async def _write(
    uow: ProductionWork, actor: Actor, current: dict[str, Any], changes: dict[str, Any], reason: str, now: datetime
) -> dict[str, Any]:
    """The new version, its history entry and the lease-month's rollup."""
    version = current["version"] + 1
    updated = await uow.readings.change(
        current["id"], current["version"], {**changes, "version": version, "updated_at": now, "updated_by": actor.id}
    )
    after = jsonable(values_of(updated))
    await uow.readings.add_history(
        history_row(actor, current, kind="corrected", version=version, now=now, reason=reason, after=after)
    )
    await rollups.refresh(uow, actor.organization_id, [(current["lease_id"], month_start(current["production_date"]))])
    return updated
