"""Production's own copy of the asset registry, kept from the wells service's events.

Each handler runs in the event tenant's unit of work after the inbox claimed the event, so a redelivered
event changes nothing twice. Events of one lease, well or battery arrive in order; the ``updated_at`` guard
(the event's ``occurred_at``) still keeps a late redelivery from rolling a copy back. A battery event is the
whole picture of the battery: tanks that are gone are marked inactive (their gauges stay meaningful) and
the connected wells are replaced by the event's effective-dated list.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from wellflow_contracts.events.wells import (
    BatteryConfigured,
    LeaseRegistered,
    LeaseUpdated,
    WellRegistered,
    WellStatusChanged,
    WellTestRecorded,
    WellUpdated,
)

from ..domain.well_names import well_label
from .ports import ProductionWork

PRODUCING = "producing"


async def remember_organization(uow: ProductionWork, tenant_id: UUID, now: datetime) -> None:
    """The periodic alert check walks the organizations production has heard of."""
    await uow.assets.remember_organization(tenant_id, now)


async def on_lease(uow: ProductionWork, event: LeaseRegistered | LeaseUpdated) -> None:
    await remember_organization(uow, event.tenant_id, event.occurred_at)
    await uow.assets.save_lease(
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


async def on_well(uow: ProductionWork, event: WellRegistered | WellUpdated) -> None:
    await remember_organization(uow, event.tenant_id, event.occurred_at)
    row = {
        "organization_id": event.tenant_id,
        "id": event.well_id,
        "lease_id": event.lease_id,
        "name": well_label(event.name, event.number),
        "api_number": event.api_number,
        "well_type": event.well_type,
        "status": event.status,
        "updated_at": event.occurred_at,
    }
    await uow.assets.save_well(row)
    if isinstance(event, WellRegistered):
        # The registered status is the well's first entry in its history: allocation asks "producing on day D?"
        await uow.assets.add_status(
            {
                "organization_id": event.tenant_id,
                "event_id": event.event_id,
                "well_id": event.well_id,
                "from_status": None,
                "to_status": event.status,
                "effective_date": date.min,
                "occurred_at": event.occurred_at,
            }
        )


async def on_status(uow: ProductionWork, event: WellStatusChanged) -> None:
    await uow.assets.add_status(
        {
            "organization_id": event.tenant_id,
            "event_id": event.event_id,
            "well_id": event.well_id,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "effective_date": event.effective_date,
            "occurred_at": event.occurred_at,
        }
    )
    await uow.assets.set_well_status(event.well_id, event.to_status, event.occurred_at)


async def on_battery(uow: ProductionWork, event: BatteryConfigured) -> None:
    await remember_organization(uow, event.tenant_id, event.occurred_at)
    org = event.tenant_id
    current = await uow.assets.battery_updated_at(event.battery_id)
    if current is not None and current > event.occurred_at:
        return  # a later configuration is already applied
    await uow.assets.save_battery(
        {
            "organization_id": org,
            "id": event.battery_id,
            "name": event.name,
            "code": event.code,
            "lease_id": event.lease_id,
            "updated_at": event.occurred_at,
        }
    )
    await uow.assets.deactivate_tanks_except(event.battery_id, [tank.tank_id for tank in event.tanks])
    for tank in event.tanks:
        await uow.assets.save_tank(
            {
                "organization_id": org,
                "id": tank.tank_id,
                "battery_id": event.battery_id,
                "number": tank.number,
                "product": tank.product,
                "capacity_bbl": tank.capacity_bbl,
                "strapping": [[str(level), str(barrels)] for level, barrels in tank.strapping],
                "active": True,
            }
        )
    await uow.assets.replace_battery_wells(
        event.battery_id,
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


async def on_well_test(uow: ProductionWork, event: WellTestRecorded) -> None:
    await uow.assets.add_well_test(
        {
            "organization_id": event.tenant_id,
            "id": event.test_id,
            "well_id": event.well_id,
            "test_date": event.test_date,
            "oil_bbl_per_day": event.oil_bbl_per_day,
            "gas_mcf_per_day": event.gas_mcf_per_day,
            "water_bbl_per_day": event.water_bbl_per_day,
            "hours": event.hours,
        }
    )
