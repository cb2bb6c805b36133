"""A freshly migrated production database per test and the production app on it, driven in-process.

The asset registry (leases, wells, batteries, well tests) reaches production as wells events. Most tests
apply them through the service's own handlers and inbox, exactly as its consumers do (``prod.apply``);
the consumer tests publish them on NATS instead. Tokens come from the devstack's ``token_mint``.
The folder has no ``__init__.py``; tests reach the helpers through the ``prod`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.events.wells import (
    BatteryConfigured,
    ConnectedWell,
    LeaseRegistered,
    TankFacts,
    WellRegistered,
    WellStatusChanged,
    WellTestRecorded,
)
from wellflow_contracts.ids import uuid7
from wellflow_devstack.pytest_plugin import service_settings
from wellflow_devstack.tokens import TokenMint
from wellflow_production.bootstrap import create_app
from wellflow_production.settings import ProductionSettings
from wellflow_servicekit import inbox
from wellflow_servicekit.database import Database

SERVICE_DIR = Path(__file__).resolve().parents[2]
BASE_URL = "http://production.test"
HANDLERS = {
    "wells.lease_registered.v1": "production-lease-registered",
    "wells.lease_updated.v1": "production-lease-updated",
    "wells.well_registered.v1": "production-well-registered",
    "wells.well_updated.v1": "production-well-updated",
    "wells.well_status_changed.v1": "production-well-status-changed",
    "wells.battery_configured.v1": "production-battery-configured",
    "wells.well_test_recorded.v1": "production-well-test-recorded",
    "accounting.price_recorded.v1": "production-price-recorded",
}
# A 500 bbl tank, 1.67 bbl per inch (20 ft = 240 in -> 400.8 bbl); levels in inches.
STRAPPING = [(Decimal(0), Decimal(0)), (Decimal(120), Decimal("200.40")), (Decimal(240), Decimal("400.80"))]


@dataclass
class Site:
    """A lease with wells on one battery, as production learned them from the wells service."""

    lease_id: UUID
    battery_id: UUID
    tank_ids: list[UUID]
    well_ids: list[UUID]
    api_numbers: list[str]


@dataclass
class Prod:
    app: Any
    client: httpx.AsyncClient
    mint: TokenMint
    owner_url: str
    runtime_url: str
    org_a: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000a"))
    org_b: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000b"))
    _api_serial: int = 0

    @property
    def database(self) -> Database:
        return self.app.state.runtime.database

    def as_role(self, role: str = "manager", organization_id: UUID | None = None, subject: str | None = None) -> dict:
        token = self.mint.token(organization_id or self.org_a, role, subject=subject)
        return {"Authorization": f"Bearer {token}"}

    async def post(self, path: str, body: Any, role: str = "manager", org: UUID | None = None, **headers: str):
        return await self.client.post(path, json=body, headers={**self.as_role(role, org), **headers})

    async def patch(self, path: str, body: Any, role: str = "manager", org: UUID | None = None, **headers: str):
        return await self.client.patch(path, json=body, headers={**self.as_role(role, org), **headers})

    async def get(self, path: str, role: str = "manager", org: UUID | None = None, **params: Any):
        return await self.client.get(path, params=params, headers=self.as_role(role, org))

    async def delete(self, path: str, role: str = "manager", org: UUID | None = None, **params: Any):
        return await self.client.delete(path, params=params, headers=self.as_role(role, org))

    async def apply(self, event: IntegrationEvent) -> bool:
        """Apply a wells event the way production's consumer does: inbox claim and handler, one transaction."""
        consumer = HANDLERS[event.type]
        _, handler = self.app.state.runtime.consumers.handlers[consumer]
        async with self.database.unit_of_work(event.tenant_id, tenant_set_by_first_statement=True) as uow:
            applied = await inbox.claim(uow, consumer, event)
            if applied:
                await handler(uow, event)
        return applied

    def next_api(self) -> str:
        self._api_serial += 1
        return f"42501{self._api_serial:05d}0000"

    # long: the wells events of a whole lease (lease, wells, battery with tanks, well tests), one literal each
    async def site(
        self,
        org: UUID | None = None,
        *,
        wells: int = 2,
        lease_type: str = "oil",
        test_rates: list[Decimal] | None = None,
        connected_from: date = date(2020, 1, 1),
    ) -> Site:
        org = org or self.org_a
        lease_id, battery_id = uuid7(), uuid7()
        await self.apply(
            LeaseRegistered(
                tenant_id=org,
                lease_id=lease_id,
                name="Ranch A",
                rrc_district="08",
                rrc_lease_number=str(10000 + self._api_serial),
                lease_type=lease_type,
                status="active",
            )
        )
        well_ids, apis = [], []
        for n in range(wells):
            well_id, api = uuid7(), self.next_api()
            await self.apply(
                WellRegistered(
                    tenant_id=org,
                    well_id=well_id,
                    name=f"Ranch A {n + 1}",
                    api_number=api,
                    lease_id=lease_id,
                    rrc_district="08",
                    lease_type=lease_type,
                    well_type=lease_type,
                    purpose="development",
                    status="producing",
                )
            )
            well_ids.append(well_id)
            apis.append(api)
        tank_ids = [uuid7(), uuid7()]
        await self.apply(
            BatteryConfigured(
                tenant_id=org,
                battery_id=battery_id,
                name="Ranch A battery",
                lease_id=lease_id,
                tanks=[
                    TankFacts(
                        tank_id=tank_ids[0], number="T1", product="oil", capacity_bbl=Decimal(400), strapping=STRAPPING
                    ),
                    TankFacts(
                        tank_id=tank_ids[1], number="T2", product="oil", capacity_bbl=Decimal(400), strapping=STRAPPING
                    ),
                ],
                wells=[
                    ConnectedWell(well_id=w, api_number=a, effective_from=connected_from)
                    for w, a in zip(well_ids, apis, strict=True)
                ],
            )
        )
        for well_id, api, rate in zip(well_ids, apis, test_rates or [Decimal(10)] * wells, strict=False):
            await self.apply(
                WellTestRecorded(
                    tenant_id=org,
                    test_id=uuid7(),
                    well_id=well_id,
                    api_number=api,
                    lease_id=lease_id,
                    test_date=connected_from,
                    oil_bbl_per_day=rate,
                    gas_mcf_per_day=rate * 2,
                    water_bbl_per_day=rate,
                    hours=Decimal(24),
                    recorded_by="tester",
                )
            )
        return Site(lease_id, battery_id, tank_ids, well_ids, apis)

    async def shut_in(self, site: Site, well_index: int, effective: date, org: UUID | None = None) -> None:
        await self.apply(
            WellStatusChanged(
                tenant_id=org or self.org_a,
                well_id=site.well_ids[well_index],
                api_number=site.api_numbers[well_index],
                lease_id=site.lease_id,
                from_status="producing",
                to_status="shut_in",
                effective_date=effective,
                changed_by="tester",
            )
        )

    async def reading(self, well_id: UUID, day: date, role: str = "pumper", org: UUID | None = None, **values: Any):
        body = {
            "well_id": str(well_id),
            "production_date": day.isoformat(),
            "oil_bbl": "10",
            "gas_mcf": "20",
            "water_bbl": "5",
            "hours_on": "24",
        }
        body.update({k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()})
        return await self.post("/api/v1/readings", body, role=role, org=org)

    async def owner_query(self, sql: str, **params: Any) -> list[Any]:
        """Read as the owner role (messaging tables; FORCE RLS hides tenant rows from it too)."""
        database = Database(self.owner_url, service="production", pool_size=1)
        try:
            async with database.engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await database.dispose()

    async def tenant_query(self, sql: str, org: UUID | None = None, **params: Any) -> list[Any]:
        async with self.database.unit_of_work(org or self.org_a) as uow:
            return list((await uow.connection.execute(text(sql), params)).mappings().all())

    async def outbox(self, event_type: str) -> list[dict]:
        import json

        rows = await self.owner_query("SELECT payload FROM outbox WHERE event_type = :t ORDER BY id", t=event_type)
        return [json.loads(bytes(row[0])) for row in rows]


@pytest.fixture
async def production_db(service_database):
    return await service_database("production", migrations=SERVICE_DIR)


def production_settings(production_db, infra, root, **overrides: Any) -> ProductionSettings:
    return service_settings(
        ProductionSettings,
        "production",
        production_db,
        infra,
        root,
        **({"db_pool_size": 6, "outbox_poll_interval": 30, "alert_check_interval": 0} | overrides),
    )


@pytest.fixture
async def prod(production_db, infra, root, token_mint):
    app = create_app(production_settings(production_db, infra, root), token_verifier=token_mint.verifier())
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=BASE_URL, timeout=60) as client,
    ):
        yield Prod(app, client, token_mint, production_db.owner_url, production_db.runtime_url)
