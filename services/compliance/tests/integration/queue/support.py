"""The submission queue's test environment: real PostgreSQL (a migrated compliance database), the stand-in
portal served by uvicorn on a real port, workers built as bootstrap.py builds them, and ways to look at what
happened. conftest.py loads this module as ``wellflow_compliance_queue_support`` (the suite runs with
``--import-mode=importlib``, so a test directory is not on ``sys.path``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import text

from wellflow_compliance.adapters.breaker import PortalBreaker
from wellflow_compliance.adapters.portal import StandInPortalAdapter
from wellflow_compliance.adapters.repositories.submissions import submission_listener
from wellflow_compliance.app.submissions.queue import enqueue_submission
from wellflow_compliance.app.submissions.worker import SubmissionWorker
from wellflow_compliance.settings import PortalSettings
from wellflow_contracts.ids import uuid7
from wellflow_rrc_portal.server import PortalServer
from wellflow_servicekit.database import Database
from wellflow_servicekit.settings import load_settings

SERVICE_DIR = Path(__file__).resolve().parents[3]
TENANT_A = UUID("01938a10-0000-7000-8000-0000000000a1")
TENANT_B = UUID("01938a10-0000-7000-8000-0000000000b2")
PERIOD = date(2026, 7, 1)

# A frozen Form PR version as compliance stores it: WellFlow's line shape, translated by the adapter.
REPORT: dict[str, Any] = {
    "format": "wellflow.form_pr.v1",
    "period": "2026-07",
    "operator": {"name": "Ranch Oil LLC", "rrc_operator_number": "123456"},
    "version": 1,
    "kind": "original",
    "lines": [
        {
            "lease_id": "0193aaaa-0000-7000-8000-000000000001",
            "lease_name": "Ranch A",
            "lease_type": "oil",
            "rrc_district": "08",
            "identifier_kind": "lease_number",
            "identifier": "12345",
            "liquid_product": "oil",
            "gas_product": "casinghead_gas",
            "beginning_stock": 120,
            "liquid_production": 900,
            "liquid_dispositions": [{"code": "00", "volume": 850, "authority": None, "description": "pipeline"}],
            "ending_stock": 170,
            "gas_production": 1500,
            "gas_dispositions": [
                {"code": "02", "volume": 1400, "authority": None, "description": ""},
                {"code": "10", "volume": 100, "authority": "AR", "description": "flared"},
            ],
            "remarks": [],
        },
        {
            "lease_id": "0193aaaa-0000-7000-8000-000000000002",
            "lease_name": "Mesa 2",
            "lease_type": "gas",
            "rrc_district": "7C",
            "identifier_kind": "api_number",
            "identifier": "42-383-12345",
            "liquid_product": "condensate",
            "gas_product": "gas_well_gas",
            "beginning_stock": 0,
            "liquid_production": 40,
            "liquid_dispositions": [],
            "ending_stock": 40,
            "gas_production": 3000,
            "gas_dispositions": [{"code": "03", "volume": 3000, "authority": None, "description": ""}],
            "remarks": [],
        },
    ],
}


class Env:
    """The database, the portal and helpers to build workers and look at what happened."""

    def __init__(self, database: Database, owner_url: str, portal: PortalServer) -> None:
        self.database = database
        self.owner_url = owner_url
        self.portal = portal
        self.outcomes: list[dict[str, Any]] = []
        self._adapters: list[StandInPortalAdapter] = []
        self._workers: list[SubmissionWorker] = []

    def settings(self, **overrides: Any) -> PortalSettings:
        values: dict[str, Any] = {
            "service_name": "compliance",
            "jwks_url": "http://127.0.0.1:9/jwks.json",
            "jwt_issuer": "wellflow-test",
            "jwt_audience": "wellflow-test",
            "database_url": "postgresql+asyncpg://unused@127.0.0.1/unused",
            "nats_url": "nats://127.0.0.1:4222",
            "rrc_portal_adapter": "stand-in",
            "rrc_portal_url": self.portal.url,
            "portal_timeout_seconds": 1.0,
            "breaker_fail_max": 3,
            "breaker_reset_timeout_seconds": 1.0,
            "portal_retry_attempts": 2,
            "portal_retry_initial_seconds": 0.01,
            "portal_retry_max_seconds": 0.05,
            "submission_max_attempts": 50,
            "submission_backoff_base_seconds": 0.05,
            "submission_backoff_max_seconds": 0.3,
            "submission_poll_interval_seconds": 0.05,
            "submission_batch_size": 20,
        }
        values.update(overrides)
        return load_settings(PortalSettings, **values)

    def worker(
        self, settings: PortalSettings | None = None, breaker: PortalBreaker | None = None, **kwargs: Any
    ) -> SubmissionWorker:
        settings = settings or self.settings()
        adapter = StandInPortalAdapter(settings.rrc_portal_url, timeout_seconds=settings.portal_timeout_seconds)
        self._adapters.append(adapter)
        breaker = breaker or PortalBreaker(
            fail_max=settings.breaker_fail_max, reset_timeout=settings.breaker_reset_timeout_seconds
        )
        listen = submission_listener(self.database.url)
        worker = SubmissionWorker(
            self.database, adapter, breaker, settings, on_outcome=self.record_outcome, listen=listen, **kwargs
        )
        self._workers.append(worker)
        return worker

    async def record_outcome(self, uow: Any, **facts: Any) -> None:
        assert uow.connection.in_transaction()
        self.outcomes.append(facts)

    async def enqueue(
        self,
        tenant: UUID = TENANT_A,
        report: dict[str, Any] | None = None,
        version: int = 1,
        report_id: UUID | None = None,
    ) -> dict[str, Any]:
        async with self.database.unit_of_work(tenant) as uow:
            return await enqueue_submission(
                uow,
                tenant_id=tenant,
                report_id=report_id or uuid7(),
                report_version=version,
                period=PERIOD,
                payload=report or REPORT,
                requested_by="clerk@example.com",
                filed_via="stand-in",
            )

    async def submissions(self, tenant: UUID = TENANT_A) -> list[Any]:
        async with self.database.unit_of_work(tenant) as uow:
            return list((await uow.connection.execute(text("SELECT * FROM submissions ORDER BY created_at"))).all())

    async def owner(self, sql: str) -> list[Any]:
        database = Database(self.owner_url, service="compliance", pool_size=1)
        try:
            async with database.engine.connect() as conn:
                return list((await conn.execute(text(sql))).all())
        finally:
            await database.dispose()

    async def event_types(self) -> list[str]:
        return [row[0] for row in await self.owner("SELECT event_type FROM outbox ORDER BY id")]

    async def admin(self, method: str, path: str, body: Any = None) -> Any:
        async with httpx.AsyncClient(base_url=self.portal.url) as client:
            response = await client.request(method, path, json=body)
            response.raise_for_status()
            return response.json()

    async def calls(self) -> dict[str, Any]:
        return await self.admin("GET", "/admin/calls")

    async def filings(self) -> list[dict[str, Any]]:
        return (await self.admin("GET", "/admin/filings"))["items"]

    async def close(self) -> None:
        for worker in self._workers:
            await worker.stop()
        for adapter in self._adapters:
            await adapter.aclose()


async def all_in_state(env: Env, state: str, count: int, tenant: UUID = TENANT_A) -> bool:
    rows = await env.submissions(tenant)
    return len(rows) == count and all(row.state == state for row in rows)


async def run_and_check(worker: SubmissionWorker, env: Env, count: int) -> bool:
    await worker.run_once()
    return await all_in_state(env, "accepted", count)


async def any_in_flight(env: Env) -> bool:
    return any(row.state == "in_flight" for row in await env.submissions())
