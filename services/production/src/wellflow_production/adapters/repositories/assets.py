"""Production's copy of the asset registry (leases, wells, status history, batteries, tanks, connected wells,
well tests), written only by the wells-event consumers, and the organizations production has heard of."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, Row

from ..tables import (
    batteries,
    battery_wells,
    known_organizations,
    leases,
    tanks,
    well_status_history,
    well_tests,
    wells,
)

TANK_FIELDS = ("battery_id", "number", "product", "capacity_bbl", "strapping", "active")


class SqlAssets(Repository):
    async def remember_organization(self, tenant_id: UUID, now: datetime) -> None:
        await self.execute(
            pg_insert(known_organizations).values(tenant_id=tenant_id, first_seen_at=now).on_conflict_do_nothing()
        )

    async def known_organizations(self) -> list[UUID]:
        return [row[0] for row in await self.execute(select(known_organizations.c.tenant_id))]

    async def save_lease(self, row: Row) -> None:
        await self._upsert(leases, row)

    async def save_well(self, row: Row) -> None:
        await self._upsert(wells, row)

    async def save_battery(self, row: Row) -> None:
        await self._upsert(batteries, row)

    async def _upsert(self, table: Table, row: Row) -> None:
        """Insert or replace a copy, unless the stored copy comes from a later event."""
        statement = pg_insert(table).values(row)
        changes = {k: statement.excluded[k] for k in row if k not in ("organization_id", "id")}
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"],
                set_=changes,
                where=table.c.updated_at <= statement.excluded.updated_at,
            )
        )

    async def add_status(self, row: Row) -> None:
        """One entry of a well's effective-dated status history (once per event)."""
        await self.execute(pg_insert(well_status_history).values(row).on_conflict_do_nothing())

    async def set_well_status(self, well_id: UUID, status: str, occurred_at: datetime) -> None:
        await self.execute(
            update(wells)
            .where(wells.c.id == well_id, wells.c.updated_at <= occurred_at)
            .values(status=status, updated_at=occurred_at)
        )

    async def battery_updated_at(self, battery_id: UUID) -> datetime | None:
        return await self.scalar(select(batteries.c.updated_at).where(batteries.c.id == battery_id))  # type: ignore[no-any-return]

    async def deactivate_tanks_except(self, battery_id: UUID, tank_ids: Sequence[UUID]) -> None:
        await self.execute(
            update(tanks)
            .where(tanks.c.battery_id == battery_id, tanks.c.id.not_in(tank_ids) if tank_ids else True)
            .values(active=False)
        )

    async def save_tank(self, row: Row) -> None:
        statement = pg_insert(tanks).values(row)
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"], set_={k: statement.excluded[k] for k in TANK_FIELDS}
            )
        )

    async def replace_battery_wells(self, battery_id: UUID, links: list[Row]) -> None:
        await self.execute(delete(battery_wells).where(battery_wells.c.battery_id == battery_id))
        if links:
            await self.execute(insert(battery_wells), links)

    async def add_well_test(self, row: Row) -> None:
        await self.execute(pg_insert(well_tests).values(row).on_conflict_do_nothing())
