"""What the production benchmarks share: a provisioned and migrated production database with a stream, the
asset registry seeded through production's own wells-event handlers, and signed tokens."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from _common import AUDIENCE, ISSUER, JWKS_URL, KID, ROOT, BenchEnv, Signer, migrated_service
from wellflow_contracts.events.wells import (
    BatteryConfigured,
    ConnectedWell,
    LeaseRegistered,
    TankFacts,
    WellRegistered,
    WellTestRecorded,
)
from wellflow_contracts.ids import uuid7
from wellflow_production.adapters.unit_of_work import SqlProductionWork
from wellflow_production.app import assets
from wellflow_production.settings import ProductionSettings
from wellflow_servicekit.database import Database

__all__ = ["AUDIENCE", "ISSUER", "JWKS_URL", "KID", "ROOT", "ProductionEnv", "Signer", "production_env", "seed"]


class ProductionEnv(BenchEnv):
    def settings(self, **overrides: Any) -> ProductionSettings:  # type: ignore[override]
        return super().settings(ProductionSettings, "production", alert_check_interval=0, **overrides)


@contextlib.asynccontextmanager
async def production_env() -> AsyncIterator[ProductionEnv]:
    async with migrated_service("production") as env:
        yield ProductionEnv(env.admin_url, env.nats_url, env.runtime_url, env.owner_url, env.root, env.where)


@dataclass
class SeededLease:
    lease_id: UUID
    well_ids: list[UUID]
    api_numbers: list[str]


async def seed(runtime_url: str, org: UUID, leases: int, wells_per_lease: int) -> list[SeededLease]:
    """Leases, producing wells, a battery per lease and a well test each, applied through production's handlers."""
    database = Database(runtime_url, service="production", pool_size=2, work_type=SqlProductionWork)
    seeded = []
    serial = 0
    strapping = [(Decimal(0), Decimal(0)), (Decimal(240), Decimal("400.8"))]
    try:
        for n in range(leases):
            lease_id = uuid7()
            events: list = [
                LeaseRegistered(
                    tenant_id=org,
                    lease_id=lease_id,
                    name=f"Lease {n}",
                    rrc_district="08",
                    rrc_lease_number=f"{10000 + n}",
                    lease_type="oil",
                    status="active",
                )
            ]
            wells, apis = [], []
            for _ in range(wells_per_lease):
                serial += 1
                well_id, api = uuid7(), f"42329{serial:05d}0000"
                wells.append(well_id)
                apis.append(api)
                events.append(
                    WellRegistered(
                        tenant_id=org,
                        well_id=well_id,
                        name=f"Well {serial}",
                        api_number=api,
                        lease_id=lease_id,
                        rrc_district="08",
                        lease_type="oil",
                        well_type="oil",
                        purpose="development",
                        status="producing",
                    )
                )
                events.append(
                    WellTestRecorded(
                        tenant_id=org,
                        test_id=uuid7(),
                        well_id=well_id,
                        api_number=api,
                        lease_id=lease_id,
                        test_date=date(2000, 1, 1),
                        oil_bbl_per_day=Decimal(20),
                        gas_mcf_per_day=Decimal(40),
                        water_bbl_per_day=Decimal(10),
                        hours=Decimal(24),
                        recorded_by="bench",
                    )
                )
            events.append(
                BatteryConfigured(
                    tenant_id=org,
                    battery_id=uuid7(),
                    name=f"Battery {n}",
                    lease_id=lease_id,
                    tanks=[
                        TankFacts(
                            tank_id=uuid7(), number="1", product="oil", capacity_bbl=Decimal(400), strapping=strapping
                        )
                    ],
                    wells=[
                        ConnectedWell(well_id=w, api_number=a, effective_from=date(2000, 1, 1))
                        for w, a in zip(wells, apis, strict=True)
                    ],
                )
            )
            async with database.unit_of_work(org) as uow:
                for event in events:
                    handler = {
                        "wells.lease_registered.v1": assets.on_lease,
                        "wells.well_registered.v1": assets.on_well,
                        "wells.well_test_recorded.v1": assets.on_well_test,
                        "wells.battery_configured.v1": assets.on_battery,
                    }[event.type]
                    await handler(uow, event)
            seeded.append(SeededLease(lease_id, wells, apis))
    finally:
        await database.dispose()
    return seeded
