"""Webhooks end to end on real PostgreSQL and NATS: events published on the stream reach a registered
endpoint signed, in order per aggregate, after the endpoint was down for ten minutes; attempts are visible;
a delivery can be re-sent and an endpoint replayed; URLs on private addresses are refused; another
organization's events never reach the endpoint."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import text

from wellflow_contracts.events.wells import WellStatusChanged
from wellflow_integrations.domain.signing import verify
from wellflow_servicekit.testing import until

TYPE = "wells.well_status_changed.v1"
SERVICE_DIR = Path(__file__).resolve().parents[2]


def body_of(received):
    return json.loads(received[1])


def status_changed(org, well, number):
    return WellStatusChanged(
        tenant_id=org,
        well_id=well,
        api_number="42-123-45678",
        lease_id=well,
        from_status=f"s{number}",
        to_status=f"s{number + 1}",
        effective_date=date(2026, 3, 1),
        changed_by="test",
    )


async def register(integrations, url=None, types=(TYPE,)):
    body = {"url": url or f"http://127.0.0.1:{integrations.receiver.port}/hook", "event_types": list(types)}
    response = await integrations.client.post("/api/v1/webhooks/endpoints", json=body, headers=integrations.headers())
    return response


async def test_an_endpoint_down_for_ten_minutes_gets_every_event_afterwards_signed_and_in_order(integrations):
    created = await register(integrations)
    assert created.status_code == 201, created.text
    endpoint = created.json()
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")
    listed = await integrations.client.get("/api/v1/webhooks/endpoints", headers=integrations.headers())
    assert "secret" not in listed.json()["items"][0]  # shown once

    wells = [uuid4() for _ in range(3)]
    published = {well: [] for well in wells}
    for number in range(4):
        for well in wells:
            event = status_changed(integrations.org_a, well, number)
            published[well].append(str(event.event_id))
            await integrations.publish(event)
    await integrations.publish(status_changed(integrations.org_b, uuid4(), 0))  # another organization's

    async def all_queued():
        return (await integrations.deliveries())["total"] == 12

    await until(all_queued, 20, "twelve deliveries queued")
    await until(_now(lambda: integrations.receiver.refused >= 3), 10, "the first attempts refused")

    # ten minutes down: only the head of each well is tried (the rest wait behind it), with growing waits
    for _ in range(20):
        integrations.clock.advance(30)
        await _settle()
    assert integrations.receiver.received == []
    pending = await integrations.deliveries(status="pending")
    assert pending["total"] == 12
    heads = [item for item in pending["items"] if item["attempts"] > 0]
    assert len(heads) == 3 and all(2 <= item["attempts"] <= 6 for item in heads)

    integrations.receiver.status = 200
    integrations.clock.advance(240)  # the longest wait

    async def all_delivered():
        return (await integrations.deliveries(status="delivered"))["total"] == 12

    for _ in range(200):
        if await all_delivered():
            break
        integrations.clock.advance(1)
        await _settle()
    assert await all_delivered()

    received = integrations.receiver.received
    assert len(received) == 12
    for headers, body in received:
        verify(secret, headers, body, now=int(integrations.clock().timestamp()))
        assert headers["webhook-id"] == body_of((headers, body))["event_id"]
        assert headers["content-type"] == "application/json"
    for well in wells:
        ids = [h["webhook-id"] for h, b in received if body_of((h, b))["well_id"] == str(well)]
        assert ids == published[well]  # in order per aggregate
    assert all(body_of(r)["tenant_id"] == str(integrations.org_a) for r in received)

    # the attempts are visible: the first head failed with 503 before it was delivered
    head_id = heads[0]["id"]
    detail = await integrations.client.get(f"/api/v1/webhooks/deliveries/{head_id}", headers=integrations.headers())
    log = detail.json()["attempt_log"]
    assert [a["status_code"] for a in log][-1] == 200 and {a["status_code"] for a in log[:-1]} == {503}
    assert detail.json()["status"] == "delivered"

    # re-send one, and replay everything since a time: the same webhook-ids again
    resent = await integrations.client.post(
        f"/api/v1/webhooks/deliveries/{head_id}/resend", headers=integrations.headers()
    )
    assert resent.status_code == 201 and resent.json()["replay_of"] == head_id
    since = (integrations.clock() - timedelta(days=1)).isoformat()
    replay = await integrations.client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay", json={"since": since}, headers=integrations.headers()
    )
    assert replay.json() == {"queued": 12}
    await until(_now(lambda: len(integrations.receiver.received) == 25), 20, "the re-sent and replayed deliveries")
    assert {h["webhook-id"] for h, _ in received[12:]} == {h["webhook-id"] for h, _ in received[:12]}


async def test_an_owner_manages_endpoints_and_others_may_not(integrations):
    for role in ("manager", "accountant", "pumper", "auditor"):
        response = await integrations.client.post(
            "/api/v1/webhooks/endpoints",
            json={"url": "https://hooks.example.com/x", "event_types": [TYPE]},
            headers=integrations.headers(role),
        )
        assert response.status_code == 403, role
    created = await register(integrations)
    other = await integrations.client.get(
        f"/api/v1/webhooks/endpoints/{created.json()['id']}", headers=integrations.headers(org=integrations.org_b)
    )
    assert other.status_code == 404


@pytest.mark.parametrize(
    "url",
    ["https://10.0.0.5/hook", "https://169.254.169.254/latest", "https://[fc00::1]/x", "http://192.168.0.10/x"],
)
async def test_private_and_metadata_urls_are_refused_at_registration(integrations, url):
    response = await register(integrations, url=url)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.url"


async def test_unknown_event_types_are_refused(integrations):
    response = await register(integrations, types=("wells.no_such_event.v1",))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.event_types[0]"


async def test_tenant_tables_have_rls(integrations, service_database):
    from wellflow_servicekit.migrations import find_rls_gaps

    database = await service_database("integrations", migrations=SERVICE_DIR)
    from wellflow_servicekit.database import Database

    owner = Database(database.owner_url, service="integrations", pool_size=1)
    try:
        async with owner.engine.connect() as conn:
            assert await find_rls_gaps(conn) == []
            assert (await conn.execute(text("SELECT count(*) FROM webhook_tenants"))).scalar() == 0
    finally:
        await owner.dispose()


def _now(condition):
    async def check():
        return condition()

    return check


async def _settle():
    import asyncio

    await asyncio.sleep(0.12)  # two dispatcher rounds
