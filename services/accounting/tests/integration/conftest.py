"""A freshly migrated accounting database per test and the accounting app on it, driven in-process.

Tokens come from the devstack's ``token_mint``. Leases, wells and volumes normally arrive as events; tests
apply them through the same handlers the consumers call (``Books.apply``), or publish them on real NATS
where the consumer itself is under test. The folder has no ``__init__.py``; tests reach the helpers through
the ``books`` fixture.
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

from wellflow_accounting.app import inbound, operator
from wellflow_accounting.bootstrap import create_app
from wellflow_accounting.settings import AccountingSettings
from wellflow_contracts.events.compliance import SeveranceTaxComputed, SeveranceTaxLine
from wellflow_contracts.events.production import GasDisposition, LeaseMonthUpdated
from wellflow_contracts.events.wells import LeaseRegistered
from wellflow_contracts.ids import uuid7
from wellflow_devstack.pytest_plugin import service_settings
from wellflow_devstack.tokens import TokenMint
from wellflow_servicekit.database import Database
from wellflow_servicekit.testing import until
from wellflow_texas.severance import oil_tax, value_paid

SERVICE_DIR = Path(__file__).resolve().parents[2]
BASE_URL = "http://accounting.test"

HANDLERS = {
    "wells.lease_registered.v1": inbound.on_lease,
    "wells.lease_updated.v1": inbound.on_lease,
    "wells.well_registered.v1": inbound.on_well,
    "wells.well_updated.v1": inbound.on_well,
    "wells.well_status_changed.v1": inbound.on_well_status,
    "production.lease_month_updated.v1": inbound.on_lease_month,
    "production.run_ticket_recorded.v1": inbound.on_run_ticket,
    "production.run_ticket_rejected.v1": inbound.on_run_ticket_rejected,
    "production.run_ticket_rejection_resolved.v1": inbound.on_run_ticket_rejection_resolved,
    "compliance.severance_tax_computed.v1": inbound.on_severance_tax,
    "identity.organization_updated.v1": operator.on_organization_updated,
}


@dataclass
class Books:
    app: Any
    client: httpx.AsyncClient
    mint: TokenMint
    owner_url: str
    org_a: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000a"))
    org_b: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000b"))

    def as_role(self, role: str, organization_id: UUID | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint.token(organization_id or self.org_a, role)}"}

    async def owner_query(self, sql: str, **params: Any) -> list[Any]:
        database = Database(self.owner_url, service="accounting", pool_size=1)
        try:
            async with database.engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await database.dispose()

    async def apply(self, event: Any) -> None:
        """Apply an event as its consumer would (same handler, a unit of work of the event's tenant)."""
        async with self.app.state.accounting.database.unit_of_work(event.tenant_id) as uow:
            await HANDLERS[event.type](uow, event)

    async def request(
        self, method: str, path: str, body: Any = None, role: str = "accountant", org=None, params=None
    ) -> httpx.Response:
        return await self.client.request(method, path, json=body, params=params, headers=self.as_role(role, org))

    async def post(self, path: str, body: Any = None, role: str = "accountant", org: UUID | None = None):
        return await self.request("POST", path, body, role, org)

    async def put(self, path: str, body: Any, role: str = "accountant", org: UUID | None = None):
        return await self.request("PUT", path, body, role, org)

    async def get(self, path: str, role: str = "accountant", org: UUID | None = None, params=None):
        return await self.request("GET", path, None, role, org, params)

    async def ok(self, method: str, path: str, body: Any = None, status: int = 200, **kw: Any) -> Any:
        """The JSON answer, asserting the status; ``kw``: role, org, params."""
        response = await self.request(method, path, body, **kw)
        assert response.status_code == status, response.text
        return response.json()

    async def lease(self, org: UUID | None = None, name: str = "Ranch A", lease_type: str = "oil", **extra) -> UUID:
        lease_id = uuid7()
        await self.apply(
            LeaseRegistered(
                tenant_id=org or self.org_a,
                lease_id=lease_id,
                name=name,
                rrc_district="08",
                rrc_lease_number=extra.get("number", "12345"),
                lease_type=lease_type,
                county="Midland",
                status="active",
            )
        )
        return lease_id

    async def partner(self, name: str, *roles: str, org: UUID | None = None, **extra: Any) -> str:
        body = {"name": name, "kind": "individual", "roles": list(roles or ["royalty_owner"]), **extra}
        return (await self.ok("POST", "/api/v1/partners", body, status=201, org=org))["id"]

    async def deck(self, lease_id: UUID, lines: list[tuple[str, str, str]], kind: str = "revenue", start="2026-01-01"):
        body = {
            "lease_id": str(lease_id),
            "kind": kind,
            "effective_from": start,
            "lines": [{"partner_id": p, "interest_type": t, "decimal": d} for p, t, d in lines],
        }
        return await self.ok("POST", "/api/v1/ownership-decks", body, status=201)

    async def volumes(
        self,
        lease_id: UUID,
        month: date,
        revision: int,
        oil: str,
        gas: str = "0",
        org=None,
        taxed_at: str | None = "70.00",
    ) -> None:
        """Production's lease-month; with ``taxed_at`` (a $/BBL price) also compliance's tax of the oil sold, as
        compliance computes it (``wellflow_texas.severance``), at the same revision."""
        if taxed_at is not None and Decimal(oil):
            await self.tax(lease_id, month, revision, oil=oil, price=taxed_at, org=org)
        await self.apply(
            LeaseMonthUpdated(
                tenant_id=org or self.org_a,
                lease_id=lease_id,
                month=month,
                revision=revision,
                lease_type="oil",
                oil_bbl=Decimal(oil),
                condensate_bbl=Decimal(0),
                casinghead_gas_mcf=Decimal(gas),
                gas_well_gas_mcf=Decimal(0),
                water_bbl=Decimal(0),
                liquid_bbl=Decimal(oil),
                gas_mcf=Decimal(gas),
                production_days=30,
                oil_disposed_bbl=Decimal(oil),
                gas_dispositions=[GasDisposition(code="02", mcf=Decimal(gas))] if Decimal(gas) else [],
                gas_disposition_mismatch_mcf=Decimal(0),
            )
        )

    async def tax(
        self, lease_id: UUID, month: date, revision: int, *, oil: str, price: str, gas_tax: str | None = None, org=None
    ) -> Decimal:
        """Compliance's ``SeveranceTaxComputed`` for an oil lease-month (and a gas line when ``gas_tax``)."""
        barrels = Decimal(oil)
        crude = oil_tax(barrels, value_paid([(barrels, Decimal(price))]))
        lines = [
            SeveranceTaxLine(
                product="oil",
                volume=crude.volume,
                gross_value=crude.market_value,
                market_value=crude.market_value,
                rate=crude.rate,
                tax=crude.tax,
                regulatory_fee=crude.regulatory_fee,
                commodity="crude",
                report="10-158",
                value_source="run_tickets",
            )
        ]
        if gas_tax is not None:
            lines.append(
                SeveranceTaxLine(
                    product="gas",
                    volume=Decimal(0),
                    gross_value=Decimal(0),
                    market_value=Decimal(0),
                    rate=Decimal("0.075"),
                    tax=Decimal(gas_tax),
                    regulatory_fee=Decimal(0),
                    commodity="gas",
                )
            )
        total = sum((line.tax for line in lines), Decimal(0))
        await self.apply(
            SeveranceTaxComputed(
                tenant_id=org or self.org_a,
                lease_id=lease_id,
                month=month,
                revision=revision,
                lease_type="oil",
                lines=lines,
                total_tax=total,
                total_regulatory_fees=crude.regulatory_fee,
            )
        )
        return total


@pytest.fixture
async def accounting_db(service_database):
    return await service_database("accounting", migrations=SERVICE_DIR)


def accounting_settings(db, infra, root, **overrides: Any) -> AccountingSettings:
    return service_settings(
        AccountingSettings,
        "accounting",
        db,
        infra,
        root,
        **({"consumer_backoff": "0.2,0.4"} | overrides),
    )


@pytest.fixture
async def books(accounting_db, infra, root, token_mint):
    app = create_app(
        accounting_settings(accounting_db, infra, root, outbox_poll_interval=30), token_verifier=token_mint.verifier()
    )
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Books(app, client, token_mint, accounting_db.owner_url)


@pytest.fixture(name="until")
def until_fixture():
    return until
