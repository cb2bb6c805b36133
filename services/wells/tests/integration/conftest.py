"""A freshly migrated wells database per test and the wells app on it, driven in-process.

Tokens are minted here with a test Ed25519 key; the app verifies them with servicekit's
``JwksTokenVerifier`` (the devstack's ``token_mint`` fixture; no identity needed).
The folder has no ``__init__.py``; tests reach the helpers through the ``wells`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text

from wellflow_devstack.pytest_plugin import service_settings
from wellflow_devstack.tokens import TokenMint
from wellflow_servicekit.database import Database
from wellflow_wells.bootstrap import create_app
from wellflow_wells.settings import WellsSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]
BASE_URL = "http://wells.test"


@dataclass
class Wells:
    app: Any
    client: httpx.AsyncClient
    mint: TokenMint
    owner_url: str
    runtime_url: str
    org_a: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000a"))
    org_b: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000b"))

    def as_role(self, role: str, organization_id: UUID | None = None) -> dict[str, str]:
        organization_id = organization_id or self.org_a
        return {"Authorization": f"Bearer {self.mint.token(organization_id, role)}"}

    async def owner_query(self, sql: str, **params: Any) -> list[Any]:
        """Read as the owner role: the messaging tables, or counts (FORCE RLS hides tenant rows from it too)."""
        database = Database(self.owner_url, service="wells", pool_size=1)
        try:
            async with database.engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await database.dispose()

    async def outbox_types(self) -> list[str]:
        return [row[0] for row in await self.owner_query("SELECT event_type FROM outbox ORDER BY id")]

    async def post(self, path: str, body: Any, role: str = "manager", org: UUID | None = None) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.as_role(role, org))

    async def get(self, path: str, role: str = "manager", org: UUID | None = None, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.as_role(role, org))

    async def lease(self, org: UUID | None = None, **overrides: Any) -> dict:
        body = {"name": "Ranch A", "rrc_district": "08", "rrc_lease_number": "12345", "lease_type": "oil"}
        body.update(overrides)
        response = await self.post("/api/v1/leases", body, org=org)
        assert response.status_code == 201, response.text
        return response.json()

    async def well(self, lease_id: str, api_number: str, org: UUID | None = None, **overrides: Any) -> dict:
        body = {
            "name": "Ranch A 1H",
            "api_number": api_number,
            "lease_id": lease_id,
            "well_type": "oil",
            "purpose": "development",
        }
        body.update(overrides)
        response = await self.post("/api/v1/wells", body, org=org)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
async def wells_db(service_database):
    return await service_database("wells", migrations=SERVICE_DIR)


def wells_settings(wells_db, infra, root, **overrides: Any) -> WellsSettings:
    return service_settings(
        WellsSettings,
        "wells",
        wells_db,
        infra,
        root,
        **overrides,
    )


@pytest.fixture
async def wells(wells_db, infra, root, token_mint):
    mint = token_mint
    # run_relay stays on (the runtime default); tests that count outbox rows read them right after the write
    app = create_app(wells_settings(wells_db, infra, root, outbox_poll_interval=30), token_verifier=mint.verifier())
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Wells(app, client, mint, wells_db.owner_url, wells_db.runtime_url)
