"""The submission API, worker and probes inside the real compliance app (real PostgreSQL, NATS and the
stand-in portal on a real port): a queued version is filed and the report version follows it; failures are
visible and retried by hand; an open breaker degrades `/health/portal` but never `/health/ready`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text

from wellflow_compliance.adapters.tables import form_pr_versions
from wellflow_compliance.app.submissions.queue import enqueue_submission
from wellflow_compliance.bootstrap import create_app
from wellflow_compliance.settings import ComplianceSettings
from wellflow_contracts.ids import uuid7
from wellflow_devstack.tokens import AUDIENCE, ISSUER, JWKS_URL, TokenMint
from wellflow_rrc_portal.app import create_app as create_portal
from wellflow_rrc_portal.faults import Faults
from wellflow_rrc_portal.server import PortalServer
from wellflow_servicekit.settings import load_settings
from wellflow_servicekit.testing import until

SERVICE_DIR = Path(__file__).resolve().parents[2]
ORG_A = UUID("01938a10-0000-7000-8000-00000000c0a1")
ORG_B = UUID("01938a10-0000-7000-8000-00000000c0b2")
PERIOD = date(2026, 7, 1)
REPORT: dict[str, Any] = {
    "format": "wellflow.form_pr.v1",
    "period": "2026-07",
    "operator": {"name": "Ranch Oil LLC", "rrc_operator_number": "123456"},
    "lines": [
        {
            "lease_name": "Ranch A",
            "lease_type": "oil",
            "rrc_district": "08",
            "identifier_kind": "lease_number",
            "identifier": "12345",
            "liquid_product": "oil",
            "gas_product": "casinghead_gas",
            "beginning_stock": 0,
            "liquid_production": 500,
            "liquid_dispositions": [{"code": "00", "volume": 450}],
            "ending_stock": 50,
            "gas_production": 800,
            "gas_dispositions": [{"code": "02", "volume": 800}],
        }
    ],
    "version": 1,
    "kind": "original",
}


class Api:
    def __init__(self, app: Any, client: httpx.AsyncClient, mint: TokenMint, portal: PortalServer) -> None:
        self.app, self.client, self.mint, self.portal = app, client, mint, portal

    def headers(self, role: str, org: UUID = ORG_A) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint.token(org, role, subject=f'{role}@example.com')}"}

    async def get(self, path: str, role: str = "accountant", org: UUID = ORG_A, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.headers(role, org))

    async def post(self, path: str, body: Any = None, role: str = "accountant", org: UUID = ORG_A) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.headers(role, org))

    async def queue_version(self, org: UUID = ORG_A, report: dict[str, Any] | None = None) -> tuple[UUID, str]:
        """What the report use case does on submit: freeze a version and queue it, in one transaction."""
        database = self.app.state.runtime.database
        report_id = uuid7()
        payload = report or REPORT
        async with database.unit_of_work(org) as uow:
            view = await enqueue_submission(
                uow,
                tenant_id=org,
                report_id=report_id,
                report_version=1,
                period=PERIOD,
                payload=payload,
                requested_by="accountant@example.com",
                filed_via="stand-in",
            )
            await uow.connection.execute(
                form_pr_versions.insert().values(
                    organization_id=org,
                    report_id=report_id,
                    version=1,
                    period=PERIOD,
                    kind="original",
                    state="submitted",
                    payload=payload,
                    content_hash="test",
                    submitted_by="accountant@example.com",
                    submitted_at=datetime.now(UTC),
                    reasons=[],
                )
            )
        return report_id, str(view["id"])

    async def version(self, report_id: UUID, org: UUID = ORG_A) -> Any:
        async with self.app.state.runtime.database.unit_of_work(org) as uow:
            return (
                await uow.connection.execute(
                    text("SELECT state, confirmation_number, reasons FROM form_pr_versions WHERE report_id = :r"),
                    {"r": report_id},
                )
            ).one()

    async def faults(self, **switches: Any) -> None:
        async with httpx.AsyncClient(base_url=self.portal.url) as client:
            (await client.post("/admin/faults", json=switches)).raise_for_status()


@pytest.fixture
def overrides() -> dict[str, Any]:
    """Settings a test changes (by parametrizing `overrides`)."""
    return {}


@pytest.fixture
async def api(
    service_database: Any, infra: Any, event_stream: Any, token_mint: TokenMint, overrides: dict[str, Any]
) -> AsyncIterator[Api]:
    provisioned = await service_database("compliance", migrations=SERVICE_DIR)
    portal = PortalServer(create_portal(data_dir=None, faults=Faults(), seed=3))
    await portal.start()
    values: dict[str, Any] = {
        "service_name": "compliance",
        "database_url": provisioned.runtime_url,
        "nats_url": infra.nats_url,
        "event_subject_root": await event_stream(),
        "jwks_url": JWKS_URL,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "db_pool_size": 5,
        "deadline_task_enabled": False,
        "rrc_portal_adapter": "stand-in",
        "rrc_portal_url": portal.url,
        "portal_timeout_seconds": 0.5,
        "breaker_fail_max": 2,
        "breaker_reset_timeout_seconds": 1.0,
        "portal_retry_attempts": 1,
        "submission_max_attempts": 2,
        "submission_backoff_base_seconds": 0.05,
        "submission_backoff_max_seconds": 0.1,
        "submission_poll_interval_seconds": 0.05,
    }
    settings = load_settings(ComplianceSettings, **(values | overrides))
    app = create_app(settings, token_verifier=token_mint.verifier())
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://compliance.test") as client,
        ):
            yield Api(app, client, token_mint, portal)
    finally:
        await portal.stop()


async def _state_is(api: Api, submission_id: str, state: str) -> bool:
    response = await api.get(f"/api/v1/compliance/submissions/{submission_id}")
    return response.status_code == 200 and response.json()["state"] == state


async def test_a_queued_version_is_filed_and_the_report_version_follows(api: Api) -> None:
    report_id, submission_id = await api.queue_version()
    await until(lambda: _state_is(api, submission_id, "accepted"), 10, "the submission to be accepted")
    body = (await api.get(f"/api/v1/compliance/submissions/{submission_id}", role="auditor")).json()
    assert body["attempts"] == 1 and body["confirmation_number"].startswith("STANDIN-PR202607-123456-")
    assert body["next_attempt_at"] is None and body["last_error"] is None and body["reasons"] == []
    # the stand-in's answer, labelled as such everywhere: nothing reached the RRC, and it cannot be "confirmed"
    assert (body["filed_via"], body["stand_in"], body["rrc_confirmed"]) == ("stand-in", True, False)
    assert body["notice"] == "RRC stand-in: nothing was sent to the RRC" and body["confirmation"] is None
    portal = (await api.get("/api/v1/compliance/portal")).json()
    assert portal["adapter"] == "stand-in" and portal["stand_in"] and "nothing was sent" in portal["notice"]
    confirmation = f"/api/v1/compliance/submissions/{submission_id}/confirmation"
    confirm = await api.post(confirmation, {"confirmation_number": "1"})
    assert confirm.status_code == 409 and "RRC stand-in" in confirm.json()["detail"]
    version = await api.version(report_id)
    assert version.state == "accepted" and version.confirmation_number == body["confirmation_number"]

    listed = await api.get("/api/v1/compliance/submissions", state="accepted", period="2026-07")
    assert listed.status_code == 200
    assert listed.json()["total"] == 1 and listed.json()["items"][0]["id"] == submission_id
    assert (await api.get("/api/v1/compliance/submissions", state="queued")).json()["total"] == 0
    assert (await api.get("/api/v1/compliance/submissions", period="2026-06")).json()["items"] == []
    retry = await api.post(f"/api/v1/compliance/submissions/{submission_id}/retry")
    assert retry.status_code == 409 and retry.json()["state"] == "accepted"


async def test_lists_are_paginated_and_filters_are_checked(api: Api) -> None:
    ids = [(await api.queue_version())[1] for _ in range(3)]
    page = (await api.get("/api/v1/compliance/submissions", limit=2, offset=0)).json()
    rest = (await api.get("/api/v1/compliance/submissions", limit=2, offset=2)).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and len(rest["items"]) == 1
    assert {item["id"] for item in page["items"] + rest["items"]} == set(ids)
    bad = await api.get("/api/v1/compliance/submissions", period="July")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.period"
    assert (await api.get("/api/v1/compliance/submissions", state="lost")).status_code == 422
    assert (await api.get("/api/v1/compliance/submissions", limit=500)).status_code == 422


async def test_another_organization_sees_none_of_it(api: Api) -> None:
    _, submission_id = await api.queue_version()
    assert (await api.get(f"/api/v1/compliance/submissions/{submission_id}", org=ORG_B)).status_code == 404
    assert (await api.post(f"/api/v1/compliance/submissions/{submission_id}/retry", org=ORG_B)).status_code == 404
    assert (await api.get("/api/v1/compliance/submissions", org=ORG_B)).json()["total"] == 0


async def test_roles_without_compliance_rights_are_refused(api: Api) -> None:
    _, submission_id = await api.queue_version()
    assert (await api.get("/api/v1/compliance/submissions", role="pumper")).status_code == 403
    assert (await api.post(f"/api/v1/compliance/submissions/{submission_id}/retry", role="auditor")).status_code == 403
    assert (await api.client.get("/api/v1/compliance/submissions")).status_code == 401


async def test_a_failed_submission_shows_its_error_and_is_retried_by_hand(api: Api) -> None:
    await api.faults(error_rate=1)
    report_id, submission_id = await api.queue_version()
    await until(lambda: _state_is(api, submission_id, "failed"), 10, "the submission to fail")
    body = (await api.get(f"/api/v1/compliance/submissions/{submission_id}")).json()
    assert body["attempts"] == 2 and "portal answered 500" in body["last_error"]
    assert "submission_failed_total 1.0" in (await api.client.get("/metrics")).text
    assert (await api.version(report_id)).state == "submitted"  # still waiting for the RRC's answer

    await api.faults(error_rate=0)
    await asyncio.sleep(1.1)  # the breaker (2 failures) half-opens
    retried = await api.post(f"/api/v1/compliance/submissions/{submission_id}/retry")
    assert retried.status_code == 200 and retried.json()["state"] in ("queued", "in_flight", "accepted")
    assert retried.json()["retried_by"] == "accountant@example.com"
    await until(lambda: _state_is(api, submission_id, "accepted"), 10, "the retried submission to be accepted")
    assert (await api.version(report_id)).state == "accepted"


async def test_a_rejection_reaches_the_report_version_with_its_reasons(api: Api) -> None:
    bad = {**REPORT, "operator": {"name": "Ranch Oil LLC", "rrc_operator_number": "12"}}
    report_id, submission_id = await api.queue_version(report=bad)
    await until(lambda: _state_is(api, submission_id, "rejected"), 10, "the rejection")
    body = (await api.get(f"/api/v1/compliance/submissions/{submission_id}")).json()
    assert body["reasons"] == ["Operator number must be the 6 digits of the operator's Form P-5 (e.g. 123456)."]
    version = await api.version(report_id)
    assert version.state == "rejected" and version.reasons == body["reasons"]
    retry = await api.post(f"/api/v1/compliance/submissions/{submission_id}/retry")
    assert retry.status_code == 409 and "new version" in retry.json()["detail"]


@pytest.mark.parametrize("overrides", [{"submission_max_attempts": 100}])
async def test_an_open_breaker_degrades_the_portal_probe_but_not_readiness(api: Api) -> None:
    assert (await api.client.get("/health/portal")).json()["status"] == "ok"
    await api.portal.stop()
    _, submission_id = await api.queue_version()

    async def degraded() -> bool:
        return (await api.client.get("/health/portal")).json()["status"] == "degraded"

    await until(degraded, 10, "the breaker to open")
    probe = (await api.client.get("/health/portal")).json()
    assert probe["breaker"]["state"] in ("open", "half-open") and probe["worker"]["running"] is True
    assert (await api.client.get("/health/ready")).status_code == 200
    metrics = (await api.client.get("/metrics")).text
    assert "portal_breaker_state 2.0" in metrics or "portal_breaker_state 1.0" in metrics
    assert 'submission_attempts_total{outcome="transient"}' in metrics
    status = (await api.get("/api/v1/compliance/portal")).json()
    assert (
        status["breaker"]["state"] in ("open", "half-open")
        and status["queue"]["queued"] + status["queue"]["in_flight"] + status["queue"]["failed"] == 1
    )

    await api.portal.start()
    await until(lambda: _state_is(api, submission_id, "accepted"), 15, "the submission to be filed after the outage")
    assert (await api.client.get("/health/portal")).json()["status"] == "ok"
