"""Identity, wells and the gateway together (see conftest.py): roles and tenancy hold for wells."""

from __future__ import annotations

import httpx

PASSWORD = "correct horse battery staple"


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def _pumper(client: httpx.AsyncClient, owner: str, email: str) -> str:
    invite = await client.post("/api/v1/invitations", headers=_bearer(owner), json={"email": email, "role": "pumper"})
    assert invite.status_code == 201, invite.text
    accepted = await client.post(
        "/api/v1/invitations/accept", json={"token": invite.json()["token"], "password": PASSWORD, "full_name": "Lee"}
    )
    assert accepted.status_code in (200, 201), accepted.text
    return accepted.json()["access_token"]


async def test_a_pumper_reads_but_cannot_create_wells_and_another_tenant_gets_404(gateway, sign_up):
    owner = (await sign_up("Permian Pumping"))["access_token"]
    lease = await gateway.post(
        "/api/v1/leases",
        headers=_bearer(owner),
        json={"name": "Ranch A", "rrc_district": "08", "rrc_lease_number": "12345", "lease_type": "oil"},
    )
    assert lease.status_code == 201, lease.text
    body = {
        "name": "Ranch A 1H",
        "api_number": "42-329-12345",
        "lease_id": lease.json()["id"],
        "well_type": "oil",
        "purpose": "development",
    }
    well = await gateway.post("/api/v1/wells", headers=_bearer(owner), json=body)
    assert well.status_code == 201, well.text
    assert well.json()["api_number"] == "42-329-12345-00-00"

    pumper = await _pumper(gateway, owner, "pumper@permianpumping.com")
    assert (await gateway.get(f"/api/v1/wells/{well.json()['id']}", headers=_bearer(pumper))).status_code == 200
    refused = await gateway.post("/api/v1/wells", headers=_bearer(pumper), json={**body, "api_number": "42-329-12347"})
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")

    other = (await sign_up("Bravo Gas"))["access_token"]
    hidden = await gateway.get(f"/api/v1/wells/{well.json()['id']}", headers=_bearer(other))
    assert hidden.status_code == 404
    assert (await gateway.get("/api/v1/wells", headers=_bearer(other))).json()["total"] == 0
