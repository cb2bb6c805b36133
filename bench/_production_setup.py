"""What the production benchmarks share: a provisioned and migrated production database with a stream, the
asset registry seeded through production's own wells-event handlers, and signed tokens."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import jwt
import nats
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwt.algorithms import OKPAlgorithm

from _common import servers
from wellflow_contracts.events.wells import (
    BatteryConfigured,
    ConnectedWell,
    LeaseRegistered,
    TankFacts,
    WellRegistered,
    WellTestRecorded,
)
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import stream_name
from wellflow_production.app import assets
from wellflow_production.settings import ProductionSettings
from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.database import Database
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.provisioning import drop_service_database, provision_service_database
from wellflow_servicekit.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "production"
JWKS_URL = "http://identity.bench/.well-known/jwks.json"
ISSUER, AUDIENCE, KID = "wellflow-identity", "wellflow", "bench"


@dataclass
class ProductionEnv:
    admin_url: str
    nats_url: str
    runtime_url: str
    owner_url: str
    root: str
    where: str

    def settings(self, **overrides) -> ProductionSettings:  # type: ignore[no-untyped-def]
        values = {
            "service_name": "production",
            "database_url": self.runtime_url,
            "nats_url": self.nats_url,
            "event_subject_root": self.root,
            "jwks_url": JWKS_URL,
            "jwt_issuer": ISSUER,
            "jwt_audience": AUDIENCE,
            "log_level": "WARNING",
            "alert_check_interval": 0,
            **overrides,
        }
        return load_settings(ProductionSettings, **values)


@contextlib.asynccontextmanager
async def production_env() -> AsyncIterator[ProductionEnv]:
    with servers() as (admin_url, nats_url, where):
        suffix = f"_b{uuid4().hex[:8]}"
        database = await provision_service_database(
            admin_url, "production", owner_password="bench-owner", runtime_password="bench-app", database_suffix=suffix
        )
        root = f"wfbench{uuid4().hex[:6]}"
        try:
            await asyncio.to_thread(upgrade, SERVICE_DIR, database.owner_url)
            await ensure_stream(nats_url, root)
            yield ProductionEnv(admin_url, nats_url, database.runtime_url, database.owner_url, root, where)
        finally:
            try:
                connection = await nats.connect(nats_url)
                await connection.jetstream().delete_stream(stream_name(root))
                await connection.close()
            finally:
                await drop_service_database(admin_url, "production", database_suffix=suffix)


class Signer:
    """Tokens for one organization, and the verifier that accepts them (no identity service needed)."""

    def __init__(self) -> None:
        self.key = ed25519.Ed25519PrivateKey.generate()

    def token(self, org: UUID, role: str = "manager") -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": str(uuid4()), "org": str(org), "role": role}
        claims.update(iat=now, exp=now + 7200)
        return jwt.encode(claims, self.key, algorithm="EdDSA", headers={"kid": KID})

    def jwks(self) -> dict:
        jwk = OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update(kid=KID, use="sig", alg="EdDSA")
        return {"keys": [jwk]}

    def verifier(self) -> JwksTokenVerifier:
        client = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=self.jwks())))
        return JwksTokenVerifier(JWKS_URL, ISSUER, AUDIENCE, ("EdDSA",), client=client)


@dataclass
class SeededLease:
    lease_id: UUID
    well_ids: list[UUID]
    api_numbers: list[str]


async def seed(runtime_url: str, org: UUID, leases: int, wells_per_lease: int) -> list[SeededLease]:
    """Leases, producing wells, a battery per lease and a well test each, applied through production's handlers."""
    database = Database(runtime_url, service="production", pool_size=2)
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
