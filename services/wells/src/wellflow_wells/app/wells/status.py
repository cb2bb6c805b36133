"""Move a well along its lifecycle: a transition the lifecycle allows, the milestone date it sets (once),
a history row and ``wells.well_status_changed.v1``."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.events.wells import WellStatusChanged
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor

from ...domain.errors import IllegalTransition
from ...domain.lifecycle import WellStatus, check_transition
from ..ports import Row
from ..registry import Registry, well_key
from .common import find_well

DATE_ON_STATUS = {
    WellStatus.SPUDDED: "spud_date",
    WellStatus.COMPLETING: "completion_date",
    WellStatus.PRODUCING: "first_production_date",
    WellStatus.PLUGGED: "plugged_date",
}


def _transition(current: str, requested: str) -> WellStatus:
    try:
        return check_transition(current, requested)
    except IllegalTransition as exc:
        raise Conflict(
            exc.message,
            slug="illegal-status-transition",
            current=exc.current,
            requested=exc.requested,
            allowed=exc.allowed,
        ) from None


async def change_status(
    registry: Registry,
    actor: Actor,
    well_id: UUID,
    *,
    to_status: str,
    effective_date: date | None = None,
    reason: str | None = None,
) -> Row:
    now = registry.clock()
    effective = effective_date or now.date()
    async with registry.uow(actor) as uow:
        row = await find_well(uow, well_id, lock=True)
        new = _transition(row["status"], to_status)
        changes: dict[str, Any] = {"status": new.value, "updated_at": now}
        date_column = DATE_ON_STATUS.get(new)
        if date_column is not None and row[date_column] is None:
            changes[date_column] = effective
        updated = await uow.wells.change(well_id, changes)
        change = {
            "well_id": well_id,
            "from_status": row["status"],
            "to_status": new.value,
            "effective_date": effective,
            "reason": reason,
            "changed_by": actor.id,
        }
        await uow.wells.record_history({**change, "id": uuid7(), "changed_at": now})
        event = WellStatusChanged(
            tenant_id=actor.organization_id, api_number=row["api_number"], lease_id=row["lease_id"], **change
        )
        uow.record(event, aggregate_key=well_key(well_id))
    return updated
