"""What the production benchmarks share: a provisioned and migrated production database with a stream, the
asset registry seeded through production's own wells-event handlers, and signed tokens."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

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

__all__ = [
    "AUDIENCE",
    "ISSUER",
    "JWKS_URL",
    "KID",
    "ROOT",
    "ProductionEnv",
    "Signer",
    "process_env",
    "production_env",
    "production_process_env",
    "rollup_totals",
    "seed",
    "start_jwks",
]


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


def process_env(jwks: str) -> dict[str, str]:
    """The environment of a service process the bench starts: tokens checked against the JWKS served at ``jwks``."""
    return {
        **os.environ,
        "JWKS_URL": f"{jwks}/.well-known/jwks.json",
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def start_jwks(port: int, base: dict[str, str], signer: Signer) -> subprocess.Popen[bytes]:
    """A uvicorn process serving ``signer``'s keys on ``port`` (gateway_overhead's upstream app)."""
    from gateway_overhead import _uvicorn

    return _uvicorn(
        "gateway_overhead:create_upstream_app", port, {**base, "BENCH_JWKS": json.dumps(signer.jwks())}, ROOT / "bench"
    )


def production_process_env(env: ProductionEnv, base: dict[str, str], pool_size: int) -> dict[str, str]:
    """A production uvicorn process's environment on the bench's database, NATS and subject root."""
    settings = env.settings()
    return {
        **base,
        "SERVICE_NAME": "production",
        "DATABASE_URL": settings.database_url,
        "NATS_URL": settings.nats_url,
        "EVENT_SUBJECT_ROOT": settings.event_subject_root,
        "ALERT_CHECK_INTERVAL": "0",
        "DB_POOL_SIZE": str(pool_size),
    }


async def rollup_totals(env: ProductionEnv, org: UUID) -> tuple[Decimal, Decimal, int]:
    """The organization's oil in its lease-month rollups and in its readings, and how many readings: read as the
    runtime role, under the organization's row-level security."""
    connection = await asyncpg.connect(env.runtime_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.current_organization_id', $1, true)", str(org))
            rolled = await connection.fetchval("SELECT coalesce(sum(oil_bbl), 0) FROM lease_months")
            stored = await connection.fetchval("SELECT coalesce(sum(oil_bbl), 0) FROM readings")
            count = await connection.fetchval("SELECT count(*) FROM readings")
    finally:
        await connection.close()
    return rolled, stored, count
