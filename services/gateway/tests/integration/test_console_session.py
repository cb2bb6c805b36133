"""`POST /console/session`: the console's sign-in with the pumper's route in the same answer (one round trip on
a field connection instead of two), identity's refusals relayed as they came, the route only for a route role
and only when production answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from .harness import ORG_A, FakeService, Signer, gateway_settings, problem, refused_url, running_gateway

ROUTE = {"date": "2026-12-07", "wells": [{"well_id": "w-1", "done": False}], "tanks": [], "done": 0}
REFUSED = {
    "type": "https://wellflow.dev/problems/unauthorized",
    "title": "Unauthorized",
    "status": 401,
    "detail": "Wrong email or password.",
}


@dataclass
class SessionWorld:
    signer: Signer
    identity: FakeService
    production: FakeService
    client: httpx.AsyncClient

    def session(self, role: str) -> dict:
        token = self.signer.token(role=role)
        return {"access_token": token, "refresh_token": "r", "role": role, "organization_id": str(ORG_A)}


@pytest.fixture
async def world() -> AsyncIterator[SessionWorld]:
    signer = Signer()
    identity = FakeService("identity", signer=signer)
    production = FakeService("production")
    for service in (identity, production):
        await service.start()
    settings = gateway_settings(
        {"identity": identity.url, "production": production.url, "wells": refused_url()},
        gateway_rate_limit_ip_per_second="0.001",
        gateway_rate_limit_ip_burst="6",
    )
    try:
        async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
            yield SessionWorld(signer, identity, production, client)
    finally:
        for service in (identity, production):
            await service.stop()


CREDENTIALS = {"email": "lee@example.com", "password": "correct horse battery staple"}


async def test_a_pumper_gets_the_session_and_the_days_route_in_one_answer(world: SessionWorld):
    session = world.session("pumper")
    world.identity.canned["/api/v1/auth/signin"] = (200, session)
    world.production.canned["/api/v1/production/route"] = (200, ROUTE)
    answer = await world.client.post("/console/session", params={"route": "2026-12-07"}, json=CREDENTIALS)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"session": session, "route": ROUTE}
    assert answer.headers["cache-control"] == "no-store"
    big = {**ROUTE, "wells": [{"well_id": f"w-{n}", "done": False} for n in range(200)]}
    world.production.canned["/api/v1/production/route"] = (200, big)
    packed = await world.client.post(
        "/console/session", params={"route": "2026-12-07"}, json=CREDENTIALS, headers={"Accept-Encoding": "gzip"}
    )
    assert packed.headers["content-encoding"] == "gzip" and packed.json()["route"] == big  # httpx undoes the gzip
    assert int(packed.headers["content-length"]) < len(json.dumps(big)) / 4
    signin = next(r for r in world.identity.requests if r.path_qs == "/api/v1/auth/signin")
    assert json.loads(signin.body) == CREDENTIALS and signin.headers["x-forwarded-for"] == "127.0.0.1"
    [route, _] = world.production.proxied()
    assert route.method == "GET" and route.path_qs == "/api/v1/production/route?date=2026-12-07"
    assert route.headers["authorization"] == f"Bearer {session['access_token']}"


async def test_other_roles_and_requests_without_a_day_get_no_route(world: SessionWorld):
    world.production.canned["/api/v1/production/route"] = (200, ROUTE)
    world.identity.canned["/api/v1/auth/signin"] = (200, world.session("accountant"))
    office = await world.client.post("/console/session", params={"route": "2026-12-07"}, json=CREDENTIALS)
    assert office.status_code == 200 and office.json()["route"] is None
    world.identity.canned["/api/v1/auth/signin"] = (200, world.session("pumper"))
    no_day = await world.client.post("/console/session", json=CREDENTIALS)
    assert no_day.status_code == 200 and no_day.json()["route"] is None
    assert world.production.proxied() == []


async def test_identitys_refusal_is_relayed_and_a_missing_route_leaves_the_session(world: SessionWorld):
    world.identity.canned["/api/v1/auth/signin"] = (401, REFUSED)
    refused = await world.client.post("/console/session", params={"route": "2026-12-07"}, json=CREDENTIALS)
    assert refused.status_code == 401 and refused.json() == REFUSED
    assert world.production.proxied() == []
    session = world.session("pumper")
    world.identity.canned["/api/v1/auth/signin"] = (200, session)
    world.production.canned["/api/v1/production/route"] = (503, {"status": 503})
    answer = await world.client.post("/console/session", params={"route": "2026-12-07"}, json=CREDENTIALS)
    assert answer.status_code == 200 and answer.json() == {"session": session, "route": None}


async def test_a_bad_day_is_refused_and_the_public_paths_address_limit_applies(world: SessionWorld):
    world.identity.canned["/api/v1/auth/signin"] = (401, REFUSED)
    bad = await world.client.post("/console/session", params={"route": "yesterday"}, json=CREDENTIALS)
    assert bad.status_code == 422
    statuses = [(await world.client.post("/console/session", json=CREDENTIALS)).status_code for _ in range(8)]
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429
    problem(await world.client.post("/console/session", json=CREDENTIALS), 429)
