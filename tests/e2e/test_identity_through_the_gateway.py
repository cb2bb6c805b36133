"""Identity and the gateway together, over real sockets, on real PostgreSQL and NATS: what a client sees.

Both run under uvicorn in this process on free ports; the gateway verifies tokens against identity's
JWKS over HTTP and routes by its real table, as under `wellflow up`.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
import uvicorn

from wellflow_devstack.servers import free_port
from wellflow_gateway.bootstrap import create_app as create_gateway
from wellflow_gateway.settings import GatewaySettings
from wellflow_identity.bootstrap import create_app as create_identity
from wellflow_identity.settings import IdentitySettings
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.migrations import upgrade
from wellflow_servicekit.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
ISSUER, AUDIENCE = "wellflow-identity", "wellflow"
PASSWORD = "correct horse battery staple"


async def _serve(app, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    for _ in range(400):
        if server.started:
            return server, task
        if task.done():
            task.result()
        await asyncio.sleep(0.025)
    raise TimeoutError(f"server on port {port} did not start")


@pytest.fixture
async def gateway(service_database, infra):
    database = await service_database("identity")
    await asyncio.to_thread(upgrade, ROOT / "services" / "identity", database.owner_url)
    root = f"{infra.subject_root}e{uuid4().hex[:6]}"
    await ensure_stream(infra.nats_url, root)
    identity_port, gateway_port = free_port(), free_port()
    identity_url = f"http://127.0.0.1:{identity_port}"
    identity_settings = load_settings(
        IdentitySettings,
        service_name="identity",
        database_url=database.runtime_url,
        nats_url=infra.nats_url,
        event_subject_root=root,
        jwks_url=f"{identity_url}/.well-known/jwks.json",
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        key_encryption_key="e2e-" + uuid4().hex + uuid4().hex,
        http_port=identity_port,
        log_level="WARNING",
    )
    gateway_settings = GatewaySettings(
        wellflow_service_urls={"identity": identity_url},
        jwks_url=f"{identity_url}/.well-known/jwks.json",
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        http_port=gateway_port,
        gateway_rate_limit_ip_per_second=1000,
        gateway_rate_limit_ip_burst=1000,
        log_level="WARNING",
    )
    servers = [await _serve(create_identity(identity_settings), identity_port)]
    servers.append(await _serve(create_gateway(gateway_settings), gateway_port))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=30) as client:
        yield client
    for server, task in reversed(servers):
        server.should_exit = True
        await task


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def _sign_up(client: httpx.AsyncClient, company: str) -> dict:
    response = await client.post(
        "/api/v1/auth/signup",
        json={
            "organization": {"name": company, "rrc_operator_number": "123456"},
            "user": {
                "email": f"owner@{company.lower().replace(' ', '')}.com",
                "password": PASSWORD,
                "full_name": "Dana Ruiz",
            },
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_operator_signs_up_invites_a_pumper_and_roles_hold_through_the_gateway(gateway):
    owner = await _sign_up(gateway, "Permian Pumping")
    me = await gateway.get("/api/v1/me", headers=_bearer(owner["access_token"]))
    assert me.status_code == 200, me.text
    assert me.headers["x-request-id"]

    invite = await gateway.post(
        "/api/v1/invitations",
        headers=_bearer(owner["access_token"]),
        json={"email": "pumper@permianpumping.com", "role": "pumper"},
    )
    assert invite.status_code == 201, invite.text
    accepted = await gateway.post(
        "/api/v1/invitations/accept",
        json={"token": invite.json()["token"], "password": PASSWORD, "full_name": "Lee Pumper"},
    )
    assert accepted.status_code in (200, 201), accepted.text
    pumper = await gateway.post(
        "/api/v1/auth/signin", json={"email": "pumper@permianpumping.com", "password": PASSWORD}
    )
    assert pumper.status_code == 200
    assert pumper.json()["role"] == "pumper"
    forbidden = await gateway.post(
        "/api/v1/invitations",
        headers=_bearer(pumper.json()["access_token"]),
        json={"email": "someone@permianpumping.com", "role": "owner"},
    )
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")


async def test_one_operator_cannot_see_another_operators_member_by_id(gateway):
    first = await _sign_up(gateway, "Alpha Oil")
    second = await _sign_up(gateway, "Bravo Gas")
    second_me = (await gateway.get("/api/v1/me", headers=_bearer(second["access_token"]))).json()
    second_user_id = second_me.get("user_id") or second_me["user"]["id"]
    response = await gateway.get(f"/api/v1/members/{second_user_id}", headers=_bearer(first["access_token"]))
    assert response.status_code == 404
    assert second_me != (await gateway.get("/api/v1/me", headers=_bearer(first["access_token"]))).json()


async def test_a_tampered_token_is_refused_at_the_gateway(gateway):
    owner = await _sign_up(gateway, "Charlie Energy")
    header, payload, signature = owner["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "owner"
    claims["org"] = str(uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = await gateway.get("/api/v1/me", headers=_bearer(f"{header}.{forged}.{signature}"))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_bad_sign_up_input_names_the_field_and_writes_nothing(gateway):
    response = await gateway.post(
        "/api/v1/auth/signup",
        json={
            "organization": {"name": "Delta Wells"},
            "user": {"email": "owner@deltawells.com", "password": "short", "full_name": "D"},
        },
    )
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert "body.user.password" in fields
    signin = await gateway.post("/api/v1/auth/signin", json={"email": "owner@deltawells.com", "password": "short"})
    assert signin.status_code == 401


async def test_an_api_key_works_as_a_bearer_credential_through_the_gateway(gateway):
    owner = await _sign_up(gateway, "Echo Resources")
    created = await gateway.post(
        "/api/v1/api-keys", headers=_bearer(owner["access_token"]), json={"name": "scada feed", "role": "pumper"}
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    me = await gateway.get("/api/v1/me", headers=_bearer(key))
    assert me.status_code == 200, me.text
    assert "api_key" in me.text
