"""The gateway's own endpoints: the merged OpenAPI document, the docs page, health, metrics; and the
harness's own checks."""

from __future__ import annotations

import re

import httpx
import jwt

from .conftest import World
from .harness import (
    FakeService,
    Signer,
    gateway_settings,
    running_gateway,
)

# ------------------------------------------------------------------------------------ own endpoints


async def test_merged_openapi_has_both_services_paths_without_collisions(world: World):
    response = await world.client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert "/api/v1/auth/signin" in document["paths"]
    assert "/api/v1/wells/{well_id}" in document["paths"]
    # wells advertised /api/v1/me, which identity owns: dropped, identity's kept
    assert document["paths"]["/api/v1/me"]["get"]["x-wellflow-service"] == "identity"
    assert {"service": "wells", "path": "/api/v1/me", "routed_to": "identity"} in document["x-wellflow-merge"][
        "dropped_paths"
    ]
    schemas = document["components"]["schemas"]
    # both services define Error differently: each one's is renamed, neither keeps the bare name
    assert "Error" not in schemas
    assert "code" in schemas["IdentityError"]["properties"]
    assert "reason" in schemas["WellsError"]["properties"]
    ref = document["paths"]["/api/v1/wells/{well_id}"]["get"]["responses"]["404"]["content"]["application/json"]
    assert ref["schema"]["$ref"] == "#/components/schemas/WellsError"
    assert "production" in document["x-wellflow-merge"]["unavailable"]


async def test_docs_page_uses_no_external_assets(world: World):
    response = await world.client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text
    assert not re.search(r"(src|href)=\"(https?:)?//", response.text)
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_health_reports_each_upstream(world: World):
    assert (await world.client.get("/health/live")).json() == {"status": "ok"}
    assert (await world.client.get("/health/ready")).status_code == 200
    assert "\nhealth_ready 1.0\n" in (await world.client.get("/metrics")).text  # what ServiceNotReady reads
    report = (await world.client.get("/health")).json()
    assert report["status"] == "degraded"
    assert report["cells"]["default"]["identity"]["status"] == "ok"
    assert report["cells"]["default"]["wells"]["status"] == "ok"
    assert report["cells"]["default"]["production"]["status"] == "failed"
    assert report["cells"]["cell-b"]["wells"]["status"] == "ok"
    assert "gateway" not in report["cells"]["default"]


async def test_metrics_count_upstream_requests(world: World):
    await world.client.get("/api/v1/wells", headers=world.auth())
    text = (await world.client.get("/metrics")).text
    assert 'gateway_upstream_requests_total{cell="default",service="wells",status="200"}' in text
    assert 'route="/api/v1/wells/..."' in text


async def test_a_fresh_upstream_is_reused_over_keep_alive(world: World):
    service = FakeService("keepalive")
    await service.start()
    try:
        settings = gateway_settings({"identity": world.identity.url, "wells": service.url})
        async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
            for _ in range(5):
                assert (await client.get("/api/v1/wells", headers=world.auth())).status_code == 200
        assert len(service.proxied()) == 5
    finally:
        await service.stop()


def test_signer_helper_produces_verifiable_tokens():
    signer = Signer()
    token = signer.token()
    assert jwt.get_unverified_header(token)["kid"] == signer.kid
