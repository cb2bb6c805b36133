"""Production's own copy of the asset registry, kept from the wells service's events.

Each handler runs in the event tenant's unit of work after the inbox claimed the event, so a redelivered
event changes nothing twice. Events of one lease, well or battery arrive in order; the ``updated_at`` guard
(the event's ``occurred_at``) still keeps a late redelivery from rolling a copy back. A battery event is the
whole picture of the battery: tanks that are gone are marked inactive (their gauges stay meaningful) and
the connected wells are replaced by the event's effective-dated list.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.events.wells import (
    BatteryConfigured,
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellTestRecorded,
    WellUpdated,
)
from wellflow_servicekit.broker import EventConsumers
from wellflow_servicekit.database import UnitOfWork

from ..adapters.tables import (
    batteries,
    battery_wells,
    known_organizations,
    leases,
    tanks,
    well_status_history,
    well_tests,
    wells,
)

PRODUCING = "producing"


async def remember_organization(uow: UnitOfWork, tenant_id: UUID, now: Any) -> None:
    """The periodic alert check walks the organizations production has heard of."""
    await uow.connection.execute(
        pg_insert(known_organizations).values(tenant_id=tenant_id, first_seen_at=now).on_conflict_do_nothing()
    )


async def _upsert(uow: UnitOfWork, table: Any, row: dict[str, Any]) -> None:
    """Insert or replace a copy, unless the stored copy comes from a later event."""
    statement = pg_insert(table).values(row)
    changes = {k: statement.excluded[k] for k in row if k not in ("organization_id", "id")}
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "id"],
            set_=changes,
            where=table.c.updated_at <= statement.excluded.updated_at,
        )
    )


async def on_lease(uow: UnitOfWork, event: LeaseRegistered | LeaseUpdated) -> None:
    await remember_organization(uow, event.tenant_id, event.occurred_at)
    await _upsert(
        uow,
        leases,
        {
            "organization_id": event.tenant_id,
            "id": event.lease_id,
            "name": event.name,
            "rrc_district": event.rrc_district,
            "rrc_lease_number": event.rrc_lease_number,
            "lease_type": event.lease_type,
            "status": event.status,
            "updated_at": event.occurred_at,
        },
    )


async def on_well(uow: UnitOfWork, event: WellRegistered | WellUpdated) -> None:
    await remember_organization(uow, event.tenant_id, event.occurred_at)
    row = {
        "organization_id": event.tenant_id,
        "id": event.well_id,
        "lease_id": event.lease_id,
        "name": event.name if not event.number else f"{event.name} {event.number}",
        "api_number": event.api_number,
        "well_type": event.well_type,
        "status": event.status,
        "updated_at": event.occurred_at,
    }
    await _upsert(uow, wells, row)
    if isinstance(event, WellRegistered):
        # The registered status is the well's first entry in its history: allocation asks "producing on day D?"
        await uow.connection.execute(
            pg_insert(well_status_history)
            .values(
                organization_id=event.tenant_id,
                event_id=event.event_id,
                well_id=event.well_id,
                from_status=None,
                to_status=event.status,
                effective_date=date.min,
                occurred_at=event.occurred_at,
            )
            .on_conflict_do_nothing()
        )


async def on_status(uow: UnitOfWork, event: WellStatusChanged) -> None:
    await uow.connection.execute(
        pg_insert(well_status_history)
        .values(
            organization_id=event.tenant_id,
            event_id=event.event_id,
            well_id=event.well_id,
            from_status=event.from_status,
            to_status=event.to_status,
            effective_date=event.effective_date,
            occurred_at=event.occurred_at,
        )
        .on_conflict_do_nothing()
    )
    await uow.connection.execute(
        update(wells)
        .where(wells.c.id == event.well_id, wells.c.updated_at <= event.occurred_at)
        .values(status=event.to_status, updated_at=event.occurred_at)
    )


async def on_battery(uow: UnitOfWork, event: BatteryConfigured) -> None:
    await remember_organization(uow, event.tenant_id, event.occurred_at)
    org = event.tenant_id
    current = await uow.connection.scalar(select(batteries.c.updated_at).where(batteries.c.id == event.battery_id))
    if current is not None and current > event.occurred_at:
        return  # a later configuration is already applied
    await _upsert(
        uow,
        batteries,
        {
            "organization_id": org,
            "id": event.battery_id,
            "name": event.name,
            "code": event.code,
            "lease_id": event.lease_id,
            "updated_at": event.occurred_at,
        },
    )
    tank_ids = [tank.tank_id for tank in event.tanks]
    await uow.connection.execute(
        update(tanks)
        .where(tanks.c.battery_id == event.battery_id, tanks.c.id.not_in(tank_ids) if tank_ids else True)
        .values(active=False)
    )
    for tank in event.tanks:
        statement = pg_insert(tanks).values(
            organization_id=org,
            id=tank.tank_id,
            battery_id=event.battery_id,
            number=tank.number,
            product=tank.product,
            capacity_bbl=tank.capacity_bbl,
            strapping=[[str(level), str(barrels)] for level, barrels in tank.strapping],
            active=True,
        )
        await uow.connection.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"],
                set_={
                    k: statement.excluded[k]
                    for k in ("battery_id", "number", "product", "capacity_bbl", "strapping", "active")
                },
            )
        )
    await uow.connection.execute(delete(battery_wells).where(battery_wells.c.battery_id == event.battery_id))
    if event.wells:
        await uow.connection.execute(
            insert(battery_wells),
            [
                {
                    "organization_id": org,
                    "battery_id": event.battery_id,
                    "well_id": link.well_id,
                    "effective_from": link.effective_from,
                    "effective_to": link.effective_to,
                }
                for link in event.wells
            ],
        )


async def on_well_test(uow: UnitOfWork, event: WellTestRecorded) -> None:
    await uow.connection.execute(
        pg_insert(well_tests)
        .values(
            organization_id=event.tenant_id,
            id=event.test_id,
            well_id=event.well_id,
            test_date=event.test_date,
            oil_bbl_per_day=event.oil_bbl_per_day,
            gas_mcf_per_day=event.gas_mcf_per_day,
            water_bbl_per_day=event.water_bbl_per_day,
            hours=event.hours,
        )
        .on_conflict_do_nothing()
    )


def register_consumers(consumers: EventConsumers) -> None:
    """One durable consumer per wells event type production keeps a copy of."""
    consumers.handler("lease-registered", LeaseRegistered)(on_lease)
    consumers.handler("lease-updated", LeaseUpdated)(on_lease)
    consumers.handler("well-registered", WellRegistered)(on_well)
    consumers.handler("well-updated", WellUpdated)(on_well)
    consumers.handler("well-status-changed", WellStatusChanged)(on_status)
    consumers.handler("battery-configured", BatteryConfigured)(on_battery)
    consumers.handler("well-test-recorded", WellTestRecorded)(on_well_test)


def status_on(day: date) -> Any:
    """A scalar subquery: the well's status on ``day`` from its effective-dated history (else its current one)."""
    latest = (
        select(well_status_history.c.to_status)
        .where(well_status_history.c.well_id == wells.c.id, well_status_history.c.effective_date <= day)
        .order_by(well_status_history.c.effective_date.desc(), well_status_history.c.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, wells.c.status)


def connected_during(first: date, end: date) -> Any:
    """Battery links that overlap ``[first, end)``."""
    return and_(
        battery_wells.c.effective_from < end,
        or_(battery_wells.c.effective_to.is_(None), battery_wells.c.effective_to > first),
    )
