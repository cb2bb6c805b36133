"""The RRC portal down for 30 seconds while operators submit Form PR: every submission is filed exactly once.

Compliance and the portal stand-in (tools/rrc-portal) run as separate processes, as under ``wellflow up``.
Three operators each have two months ready to file (their leases and volumes arrive as wells' and production's
events on JetStream). The portal is switched into an outage (``POST /admin/faults {"outage": true}``), the six
reports are submitted (and one submit is retried by an impatient user), and for 30 s every filing call answers
503. When the portal comes back, compliance's submission queue files each report; the portal holds six filings,
accepted once each, and each report shows the portal's confirmation number.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import nats
import pytest
from e2e_waiting import tolerant
from faults_stack import JwksServer, Stack, publish, publish_lease_and_well

from wellflow_contracts.events.production import GasDisposition, LeaseMonthUpdated, OilDisposition
from wellflow_contracts.ids import uuid7
from wellflow_devstack.tokens import TokenMint
from wellflow_servicekit.testing import until

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 30.0
OPERATORS = 3


@pytest.fixture
async def stack(infra, event_stream, service_database, tmp_path):
    root = await event_stream()
    stack = Stack(infra.nats_url, root, JwksServer(mint := TokenMint()), mint, tmp_path)
    try:
        portal = await stack.add("rrc_portal", None, RRC_PORTAL_DATA_DIR=str(tmp_path / "portal"), RRC_PORTAL_SEED="7")
        await stack.add(
            "compliance",
            service_database,
            RRC_PORTAL_ADAPTER="stand-in",
            RRC_PORTAL_URL=portal,
            PORTAL_TIMEOUT_SECONDS="5",
            PORTAL_RETRY_ATTEMPTS="2",
            PORTAL_RETRY_MAX_SECONDS="1",
            BREAKER_FAIL_MAX="3",
            BREAKER_RESET_TIMEOUT_SECONDS="3",
            SUBMISSION_MAX_ATTEMPTS="100",
            SUBMISSION_BACKOFF_BASE_SECONDS="1",
            SUBMISSION_BACKOFF_MAX_SECONDS="4",
            SUBMISSION_POLL_INTERVAL_SECONDS="0.5",
        )
        yield stack
    finally:
        stack.stop_all()


def month_event(org: UUID, lease_id: UUID, month: date, beginning: int, ending: int) -> LeaseMonthUpdated:
    """A balanced oil lease-month: beginning + production - run tickets = ending, all gas sold."""
    oil, gas = Decimal(900), Decimal(1500)
    disposed = Decimal(beginning) + oil - Decimal(ending)
    return LeaseMonthUpdated(
        tenant_id=org,
        lease_id=lease_id,
        month=month,
        revision=1,
        lease_type="oil",
        oil_bbl=oil,
        condensate_bbl=Decimal(0),
        casinghead_gas_mcf=gas,
        gas_well_gas_mcf=Decimal(0),
        water_bbl=Decimal(40),
        liquid_bbl=oil,
        gas_mcf=gas,
        production_days=30,
        beginning_oil_stock_bbl=Decimal(beginning),
        ending_oil_stock_bbl=Decimal(ending),
        oil_dispositions=[OilDisposition(code="00", bbl=disposed)],
        oil_disposed_bbl=disposed,
        gas_dispositions=[GasDisposition(code="02", mcf=gas, authority=None)],
        gas_disposition_mismatch_mcf=Decimal(0),
    )


async def test_portal_down_30_s_during_submissions_files_every_report_once(stack: Stack):
    this_month = date.today().replace(day=1)
    earlier = (this_month - timedelta(days=1)).replace(day=1)
    months = [(earlier - timedelta(days=1)).replace(day=1), earlier]
    periods = [m.strftime("%Y-%m") for m in months]
    orgs = [uuid4() for _ in range(OPERATORS)]

    nc = await nats.connect(stack.nats_url)
    try:
        for n, org in enumerate(orgs):
            lease_id = uuid7()
            await publish_lease_and_well(
                nc,
                stack.subject_root,
                org,
                lease_id,
                name=f"Outage Ranch {n}",
                rrc_lease_number=f"{41000 + n}",
                api_number=f"4232941{n:03d}0000",
            )
            await publish(nc, stack.subject_root, month_event(org, lease_id, months[0], 120, 170))
            await publish(nc, stack.subject_root, month_event(org, lease_id, months[1], 170, 200))
    finally:
        await nc.close()

    clients = {
        org: httpx.AsyncClient(base_url=stack.url("compliance"), headers=stack.headers(org, "accountant"), timeout=30)
        for org in orgs
    }
    portal = httpx.AsyncClient(base_url=stack.url("rrc_portal"), timeout=10)
    try:
        for n, org in enumerate(orgs):
            answer = await clients[org].put(
                "/api/v1/compliance/operator", json={"rrc_operator_number": f"{654320 + n}", "name": f"Operator {n}"}
            )
            assert answer.status_code == 200, answer.text

        async def report(org: UUID, period: str) -> dict[str, Any]:
            answer = await clients[org].get(f"/api/v1/form-pr/{period}")
            assert answer.status_code == 200, answer.text
            return answer.json()

        async def all_ready() -> bool:
            for org in orgs:
                for period in periods:
                    body = await report(org, period)
                    if not (body["ready_to_submit"] and body["lines"]):
                        return False
            return True

        await until(tolerant(all_ready), 30, "every report to be ready to submit", every=0.25)

        assert (await portal.post("/admin/faults", json={"outage": True})).json()["outage"] is True
        down_since = time.monotonic()
        submitted: dict[tuple[UUID, str], dict[str, Any]] = {}
        for org in orgs:
            for period in periods:
                answer = await clients[org].post(f"/api/v1/form-pr/{period}/submit")
                assert answer.status_code == 202, answer.text
                submitted[(org, period)] = answer.json()
        # The user presses submit again while the portal is down: the same version, not a second filing.
        again = await clients[orgs[0]].post(f"/api/v1/form-pr/{periods[0]}/submit")
        assert again.status_code in (200, 202), again.text
        assert again.json()["version"] == submitted[(orgs[0], periods[0])]["version"]

        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
        calls = (await portal.get("/admin/calls")).json()
        assert calls["outcomes"].get("outage", 0) > 0, calls  # compliance kept trying through the outage
        assert (await portal.get("/admin/filings")).json()["count"] == 0
        for org, period in submitted:
            assert (await report(org, period))["state"] == "submitted", (org, period)

        await portal.post("/admin/faults", json={"outage": False})

        async def all_accepted() -> bool:
            states = [(await report(org, period))["state"] for org in orgs for period in periods]
            return all(state == "accepted" for state in states)

        await until(tolerant(all_accepted), 60, "every report to be accepted after the outage", every=0.5)

        filings = (await portal.get("/admin/filings")).json()
        calls = (await portal.get("/admin/calls")).json()
        assert filings["count"] == len(submitted), filings
        assert calls["outcomes"].get("accepted") == len(submitted), calls
        confirmations = {item["confirmation_number"] for item in filings["items"]}
        assert len(confirmations) == len(submitted)
        for org in orgs:
            for period in periods:
                body = await report(org, period)
                [version] = body["versions"]
                assert version["state"] == "accepted" and version["confirmation_number"] in confirmations
                confirmations.discard(version["confirmation_number"])
        assert confirmations == set()
        print(f"\nportal calls: {calls}")
    finally:
        for client in clients.values():
            await client.aclose()
        await portal.aclose()
