"""One world for the gateway's integration tests: fake identity, two cells of fake services, a gateway."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from .harness import ORG_B, FakeService, Signer, gateway_settings, refused_url, running_gateway

ERROR_RESPONSE = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
IDENTITY_OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "identity", "version": "1"},
    "paths": {
        "/api/v1/auth/signin": {
            "post": {
                "operationId": "signin",
                "tags": ["auth"],
                "responses": {
                    "401": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                },
            }
        },
        "/api/v1/me": {"get": {"operationId": "me", "responses": {"200": {"description": "you"}}}},
    },
    "components": {"schemas": {"Error": {"type": "object", "properties": {"code": {"type": "string"}}}}},
}
WELLS_OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "wells", "version": "1"},
    "paths": {
        "/api/v1/wells/{well_id}": {
            "get": {
                "operationId": "get_well",
                "tags": ["wells"],
                "responses": {
                    "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                },
            }
        },
        "/api/v1/me": {"get": {"operationId": "me", "responses": {"200": {"description": "shadow"}}}},
    },
    "components": {"schemas": {"Error": {"type": "object", "properties": {"reason": {"type": "string"}}}}},
}


@dataclass
class World:
    signer: Signer
    identity: FakeService
    wells_a: FakeService
    wells_b: FakeService
    gateway: str
    client: httpx.AsyncClient

    def token(self, **claims: object) -> str:
        return self.signer.token(**claims)

    def auth(self, **claims: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**claims)}"}


@pytest.fixture(scope="session")
async def world() -> AsyncIterator[World]:
    signer = Signer()
    identity = FakeService("identity", openapi=IDENTITY_OPENAPI, signer=signer)
    wells_a = FakeService("wells-a", openapi=WELLS_OPENAPI)
    wells_b = FakeService("wells-b", openapi=WELLS_OPENAPI)
    for service in (identity, wells_a, wells_b):
        await service.start()
    settings = gateway_settings(
        {"identity": identity.url, "wells": wells_a.url, "production": refused_url()},
        gateway_cells=json.dumps({"cell-b": {"wells": wells_b.url}}),
        gateway_tenant_cells=json.dumps({str(ORG_B): "cell-b"}),
        gateway_read_timeout="0.5",
        gateway_max_body_bytes="100000",
        gateway_rate_limit_principal_burst="1000",
        gateway_rate_limit_ip_burst="1000",
    )
    try:
        async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
            yield World(signer, identity, wells_a, wells_b, url, client)
    finally:
        for service in (identity, wells_a, wells_b):
            await service.stop()
