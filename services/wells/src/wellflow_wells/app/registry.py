"""The handle every use case of the asset registry receives: the database (anything that opens a
``WellsWork`` for a tenant: ``Database(work_type=SqlWellsWork)`` or ``FakeDatabase(FakeWellsWork)``) and the
clock. Each use case runs in one unit of work (one transaction under the caller's tenant) and records its
integration events in that same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from uuid import UUID

from wellflow_servicekit.kernel import Actor, Clock, utcnow

from .ports import WellsDatabase, WellsWork


@dataclass
class Registry:
    database: WellsDatabase
    clock: Clock = utcnow

    def uow(self, actor: Actor) -> WellsWork:
        return cast(WellsWork, self.database.unit_of_work(actor.organization_id))


def well_key(well_id: UUID) -> str:
    return f"wells.well:{well_id}"


def lease_key(lease_id: UUID) -> str:
    return f"wells.lease:{lease_id}"


def battery_key(battery_id: UUID) -> str:
    return f"wells.battery:{battery_id}"
