"""Tank gauges, run tickets and gas dispositions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, delete, insert, select

from wellflow_servicekit.repository import Repository, Row

from ..tables import batteries, gas_dispositions, leases, run_tickets, tank_gauges, tanks


def _where(query: Select[Any], *filters: tuple[Any, Any]) -> Select[Any]:
    for column, value in filters:
        if value is not None:
            query = query.where(column == value)
    return query


class SqlTankGauges(Repository):
    async def tank(self, tank_id: UUID) -> Row | None:
        """The tank with its battery's lease."""
        return await self.optional(
            select(tanks, batteries.c.lease_id)
            .join(batteries, batteries.c.id == tanks.c.battery_id)
            .where(tanks.c.id == tank_id)
        )

    async def add(self, row: Row) -> Row:
        return await self.one(insert(tank_gauges).values(row).returning(tank_gauges))

    async def add_observation(self, row: Row) -> None:
        """A gauge a run ticket took (its opening or closing level)."""
        await self.execute(insert(tank_gauges).values(row))

    async def ticket_gravity(self, tank_id: UUID, lease_id: UUID | None) -> Decimal | None:
        """The API gravity at 60 F of the latest run ticket on the tank, else on the lease (None: none yet)."""
        latest = select(run_tickets.c.api_gravity_60).order_by(run_tickets.c.taken_at.desc()).limit(1)
        found = await self.scalar(latest.where(run_tickets.c.tank_id == tank_id))
        if found is None and lease_id is not None:
            found = await self.scalar(latest.where(run_tickets.c.lease_id == lease_id))
        return found  # type: ignore[no-any-return]

    async def latest_first(
        self,
        *,
        battery_id: UUID | None,
        tank_id: UUID | None,
        date_from: date | None,
        date_to: date | None,
        offset: int,
        limit: int,
    ) -> list[Row]:
        """Up to ``limit + 1`` gauges, latest first."""
        query = select(tank_gauges).order_by(tank_gauges.c.gauged_at.desc(), tank_gauges.c.id.desc()).offset(offset)
        query = _where(query, (tank_gauges.c.battery_id, battery_id), (tank_gauges.c.tank_id, tank_id))
        if date_from is not None:
            query = query.where(tank_gauges.c.gauge_date >= date_from)
        if date_to is not None:
            query = query.where(tank_gauges.c.gauge_date <= date_to)
        return await self.all(query.limit(limit + 1))


class SqlRunTickets(Repository):
    async def add(self, row: Row) -> Row:
        """Raises (``ConstraintViolated`` at the unit of work's end) when the purchaser has the number already."""
        return await self.one(insert(run_tickets).values(row).returning(run_tickets))

    async def get(self, ticket_id: UUID) -> Row | None:
        return await self.optional(select(run_tickets).where(run_tickets.c.id == ticket_id))

    async def latest_first(
        self,
        *,
        lease_id: UUID | None,
        battery_id: UUID | None,
        purchaser: str | None,
        month: date | None,
        offset: int,
        limit: int,
    ) -> list[Row]:
        query = select(run_tickets).order_by(run_tickets.c.taken_at.desc(), run_tickets.c.id.desc()).offset(offset)
        query = _where(
            query,
            (run_tickets.c.lease_id, lease_id),
            (run_tickets.c.battery_id, battery_id),
            (run_tickets.c.purchaser, purchaser),
            (run_tickets.c.production_month, month),
        )
        return await self.all(query.limit(limit + 1))


class SqlGasDispositions(Repository):
    async def lease_known(self, lease_id: UUID) -> bool:
        return await self.scalar(select(leases.c.id).where(leases.c.id == lease_id)) is not None

    async def add(self, row: Row) -> Row:
        return await self.one(insert(gas_dispositions).values(row).returning(gas_dispositions))

    async def latest_first(self, *, lease_id: UUID | None, month: date | None, offset: int, limit: int) -> list[Row]:
        query = (
            select(gas_dispositions)
            .order_by(
                gas_dispositions.c.month.desc(), gas_dispositions.c.day.desc().nulls_last(), gas_dispositions.c.id
            )
            .offset(offset)
        )
        query = _where(query, (gas_dispositions.c.lease_id, lease_id), (gas_dispositions.c.month, month))
        return await self.all(query.limit(limit + 1))

    async def remove(self, disposition_id: UUID) -> Row | None:
        """The removed disposition, or None when there was none."""
        return await self.optional(
            delete(gas_dispositions).where(gas_dispositions.c.id == disposition_id).returning(gas_dispositions)
        )
