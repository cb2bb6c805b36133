"""A freshly migrated compliance database per test, the compliance app on it (consumers and outbox relay
running on real NATS), and helpers that publish wells, production and identity events the way those
services do. Tests reach the helpers through the ``compliance`` fixture (no ``__init__.py`` here).

The submission worker and the deadline task are off: tests answer for the portal through
``record_submission_outcome`` and run the deadline pass themselves with a clock they move.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import nats
import pytest
from sqlalchemy import text

from wellflow_compliance.bootstrap import create_app
from wellflow_compliance.settings import ComplianceSettings
from wellflow_contracts import IntegrationEvent, encode, to_headers
from wellflow_contracts.events.production import GasDisposition, LeaseMonthUpdated, OilDisposition
from wellflow_contracts.events.wells import LeaseRegistered, WellRegistered
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_devstack.pytest_plugin import service_settings
from wellflow_devstack.tokens import TokenMint
from wellflow_servicekit.database import Database
from wellflow_servicekit.testing import FakeClock, until

SERVICE_DIR = Path(__file__).resolve().parents[3]
BASE_URL = "http://compliance.test"


@dataclass
class ComplianceHarness:
    app: Any
    client: httpx.AsyncClient
    mint: TokenMint
    owner_url: str
    runtime_url: str
    root: str
    nc: Any
    clock: FakeClock
    org_a: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000a"))
    org_b: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000b"))
    revisions: dict[tuple[UUID, date], int] = field(default_factory=dict)

    def headers(self, role: str = "accountant", org: UUID | None = None, subject: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint.token(org or self.org_a, role, subject)}"}

    async def get(self, path: str, role: str = "accountant", org: UUID | None = None, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.headers(role, org))

    async def post(
        self, path: str, body: Any = None, role: str = "accountant", org: UUID | None = None, **headers: str
    ) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.headers(role, org) | headers)

    async def put(self, path: str, body: Any, role: str = "accountant", org: UUID | None = None) -> httpx.Response:
        return await self.client.put(path, json=body, headers=self.headers(role, org))

    # -- events, as their producers publish them

    async def publish(self, event: IntegrationEvent, msg_id: str | None = None) -> None:
        headers = to_headers(event, source=f"/wellflow/{event.producer}")
        if msg_id is not None:
            headers["Nats-Msg-Id"] = msg_id
        await self.nc.jetstream().publish(
            event_subject(event.tenant_id, event.type, self.root),
            encode(event),
            headers=headers,
            stream=stream_name(self.root),
        )

    async def lease(
        self,
        org: UUID | None = None,
        *,
        lease_type: str = "oil",
        number: str | None = "12345",
        district: str = "08",
        name: str = "Ranch A",
        api: str | None = "42501201300000",
        gas_well_id: str | None = None,
    ) -> UUID:
        org = org or self.org_a
        lease_id = uuid7()
        await self.publish(
            LeaseRegistered(
                tenant_id=org,
                lease_id=lease_id,
                name=name,
                rrc_district=district,
                rrc_lease_number=number,
                lease_type=lease_type,
                status="active",
            )
        )
        if api:
            await self.publish(
                WellRegistered(
                    tenant_id=org,
                    well_id=uuid7(),
                    name=f"{name} 1",
                    api_number=api,
                    lease_id=lease_id,
                    rrc_district=district,
                    rrc_lease_number=number,
                    lease_type=lease_type,
                    well_type=lease_type,
                    purpose="development",
                    status="producing",
                    gas_well_id=gas_well_id,
                )
            )
        return lease_id

    def lease_month(
        self,
        lease_id: UUID,
        month: date,
        *,
        org: UUID | None = None,
        lease_type: str = "oil",
        liquid: str = "1000",
        gas: str = "2000",
        oil_dispositions: list[tuple[str, str]] | None = None,
        gas_dispositions: list[tuple[str, str, str | None]] | None = None,
        beginning: str | None = None,
        ending: str | None = None,
        revision: int | None = None,
        beginning_net: str | None = None,
        ending_net: str | None = None,
        month_end_gauged: bool = False,
    ) -> LeaseMonthUpdated:
        org = org or self.org_a
        if revision is None:
            revision = self.revisions.get((lease_id, month), 0) + 1
        self.revisions[(lease_id, month)] = max(revision, self.revisions.get((lease_id, month), 0))
        oil_d = [OilDisposition(code=c, bbl=Decimal(v)) for c, v in (oil_dispositions or [])]
        gas_d = [GasDisposition(code=c, mcf=Decimal(v), authority=a) for c, v, a in (gas_dispositions or [])]
        liquid_d, gas_v = Decimal(liquid), Decimal(gas)
        oil = lease_type == "oil"
        return LeaseMonthUpdated(
            tenant_id=org,
            lease_id=lease_id,
            month=month,
            revision=revision,
            lease_type=lease_type,
            oil_bbl=liquid_d if oil else Decimal(0),
            condensate_bbl=Decimal(0) if oil else liquid_d,
            casinghead_gas_mcf=gas_v if oil else Decimal(0),
            gas_well_gas_mcf=Decimal(0) if oil else gas_v,
            water_bbl=Decimal(0),
            liquid_bbl=liquid_d,
            gas_mcf=gas_v,
            production_days=30,
            beginning_oil_stock_bbl=Decimal(beginning) if beginning is not None else None,
            ending_oil_stock_bbl=Decimal(ending) if ending is not None else None,
            oil_dispositions=oil_d,
            oil_disposed_bbl=sum((d.bbl for d in oil_d), Decimal(0)),
            gas_dispositions=gas_d,
            gas_disposition_mismatch_mcf=gas_v - sum((g.mcf for g in gas_d), Decimal(0)),
            beginning_net_stock_bbl=Decimal(beginning_net) if beginning_net is not None else None,
            ending_net_stock_bbl=Decimal(ending_net) if ending_net is not None else None,
            month_end_gauged=month_end_gauged,
        )

    # -- reading the result

    async def report(self, period: str, org: UUID | None = None) -> dict[str, Any]:
        response = await self.get(f"/api/v1/form-pr/{period}", org=org)
        assert response.status_code == 200, response.text
        return response.json()

    async def line(self, period: str, lease_id: UUID, org: UUID | None = None) -> dict[str, Any] | None:
        response = await self.get(f"/api/v1/form-pr/{period}", org=org)
        if response.status_code != 200:
            return None
        found = [line for line in response.json()["lines"] if line["lease_id"] == str(lease_id)]
        return found[0] if found else None

    async def wait_line(self, period: str, lease_id: UUID, predicate=lambda line: True, org: UUID | None = None):  # type: ignore[no-untyped-def]
        async def check():  # type: ignore[no-untyped-def]
            line = await self.line(period, lease_id, org)
            return line if line is not None and predicate(line) else None

        return await until(check, what=f"the {period} line of lease {lease_id}")

    async def owner_query(self, sql: str, **params: Any) -> list[Any]:
        database = Database(self.owner_url, service="compliance", pool_size=1)
        try:
            async with database.engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await database.dispose()

    async def outbox(self, event_type: str) -> list[dict[str, Any]]:
        import json

        rows = await self.owner_query("SELECT payload FROM outbox WHERE event_type = :t ORDER BY id", t=event_type)
        return [json.loads(bytes(row[0])) if not isinstance(row[0], dict) else row[0] for row in rows]


@pytest.fixture
async def compliance_db(service_database):
    return await service_database("compliance", migrations=SERVICE_DIR)


def compliance_settings(db, infra, root, **overrides: Any) -> ComplianceSettings:
    return service_settings(
        ComplianceSettings,
        "compliance",
        db,
        infra,
        root,
        **(
            {
                "db_pool_size": 6,
                "consumer_backoff": [0.2, 0.5],
                "submission_worker_enabled": False,
                "deadline_task_enabled": False,
                "log_level": "WARNING",
            }
            | overrides
        ),
    )


@pytest.fixture
def start_compliance(compliance_db, infra, root, token_mint):
    """``async with start_compliance(**settings) as harness``: the app with settings of the test's choosing."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any):  # type: ignore[no-untyped-def]
        clock = FakeClock(datetime(2026, 8, 3, 15, 0, tzinfo=UTC))
        settings = compliance_settings(compliance_db, infra, root, **overrides)
        app = create_app(settings, token_verifier=token_mint.verifier(), clock=clock)
        transport = httpx.ASGITransport(app=app)
        nc = await nats.connect(infra.nats_url)
        try:
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client,
            ):
                yield ComplianceHarness(
                    app, client, token_mint, compliance_db.owner_url, compliance_db.runtime_url, root, nc, clock
                )
        finally:
            await nc.close()

    return start


@pytest.fixture
async def compliance(start_compliance):
    async with start_compliance() as harness:
        yield harness
