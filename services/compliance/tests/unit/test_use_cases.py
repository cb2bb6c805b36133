"""The rule-bearing use cases on the in-memory unit of work (no PostgreSQL): what may be filed, what is
queued once, what a retry means, and what the portal's answers do to a submission and its report version.
The integration tests prove the same paths on the SQL repositories."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from wellflow_compliance.app import adjustments, calendar, intake, scope
from wellflow_compliance.app.common import Actor, Compliance
from wellflow_compliance.app.reports.outcome import record_submission_outcome
from wellflow_compliance.app.reports.submit import submit
from wellflow_compliance.app.submissions.portal import PortalReceipt, PortalUnavailable
from wellflow_compliance.app.submissions.queue import RetryRefused, enqueue_submission, retry_submission
from wellflow_compliance.app.submissions.worker import SubmissionWorker
from wellflow_compliance.settings import PortalSettings
from wellflow_compliance_unit_fakes import FakeComplianceWork
from wellflow_contracts.events.identity import OrganizationCreated
from wellflow_contracts.events.production import GasDisposition, LeaseMonthUpdated, OilDisposition
from wellflow_contracts.events.wells import LeaseRegistered
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, Forbidden, UnprocessableContent
from wellflow_servicekit.settings import load_settings
from wellflow_servicekit.testing import FakeDatabase

ORG = UUID("01938a10-0000-7000-8000-0000000000f1")
CLERK = Actor(id="clerk@example.com", organization_id=ORG, role="accountant")
JULY = date(2026, 7, 1)
NOW = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)
REPORT = {"period": "2026-07", "operator": {"rrc_operator_number": "123456"}, "lines": []}


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase(FakeComplianceWork)


@pytest.fixture
def compliance(database: FakeDatabase) -> Compliance:
    """Compliance as the dev stack runs it: filing through the RRC portal stand-in."""
    return Compliance(database, clock=lambda: NOW, filed_via="stand-in")  # type: ignore[arg-type]


def _month(lease_id: UUID, flared_authority: str | None = "AR") -> LeaseMonthUpdated:
    return LeaseMonthUpdated(
        tenant_id=ORG,
        lease_id=lease_id,
        month=JULY,
        revision=1,
        lease_type="oil",
        oil_bbl=Decimal("900"),
        condensate_bbl=Decimal(0),
        casinghead_gas_mcf=Decimal("1500"),
        gas_well_gas_mcf=Decimal(0),
        water_bbl=Decimal(0),
        liquid_bbl=Decimal("900"),
        gas_mcf=Decimal("1500"),
        production_days=31,
        beginning_oil_stock_bbl=Decimal("120"),
        ending_oil_stock_bbl=Decimal("170"),
        oil_dispositions=[OilDisposition(code="00", bbl=Decimal("850"))],
        oil_disposed_bbl=Decimal("850"),
        gas_dispositions=[
            GasDisposition(code="02", mcf=Decimal("1400")),
            GasDisposition(code="10", mcf=Decimal("100"), authority=flared_authority),
        ],
        gas_disposition_mismatch_mcf=Decimal(0),
    )


async def _month_of_a_lease(
    compliance: Compliance, database: FakeDatabase, *, operator: str | None = "123456", authority: str | None = "AR"
) -> UUID:
    """What the consumers do when the registry, identity and production announce a lease and its July."""
    lease_id = uuid7()
    registered = LeaseRegistered(
        tenant_id=ORG,
        lease_id=lease_id,
        name="Ranch A",
        rrc_district="08",
        rrc_lease_number="12345",
        lease_type="oil",
        status="active",
    )
    organization = OrganizationCreated(
        tenant_id=ORG,
        organization_id=ORG,
        name="Ranch Oil LLC",
        created_by_user_id=uuid7(),
        rrc_operator_number=operator,
    )
    async with database.unit_of_work(ORG) as uow:
        await intake.apply_organization(uow, compliance, organization)  # type: ignore[arg-type]
        await intake.apply_lease(uow, compliance, registered)  # type: ignore[arg-type]
        await intake.apply_lease_month(uow, compliance, _month(lease_id, authority))  # type: ignore[arg-type]
    return lease_id


def _stores(database: FakeDatabase, name: str) -> list[dict[str, Any]]:
    return list(database.stores.get(name, {}).values())


def _event_types(database: FakeDatabase) -> list[str]:
    return [event.type for event in database.committed]


async def test_a_draft_with_blocking_errors_cannot_be_submitted(compliance: Compliance, database: FakeDatabase) -> None:
    await _month_of_a_lease(compliance, database, operator=None, authority=None)
    with pytest.raises(UnprocessableContent) as refused:
        await submit(compliance, CLERK, JULY)
    assert refused.value.slug == "form-pr-invalid"
    fields = {error["field"] for error in refused.value.errors}
    assert "report.operator_number" in fields and any(field.endswith("gas_dispositions") for field in fields)
    assert _stores(database, "InMemoryVersions") == [] and _stores(database, "InMemorySubmissions") == []
    assert "compliance.report_submitted.v1" not in _event_types(database)


async def test_a_clean_draft_is_frozen_and_queued_once_however_often_it_is_submitted(
    compliance: Compliance, database: FakeDatabase
) -> None:
    await _month_of_a_lease(compliance, database)
    version, created = await submit(compliance, CLERK, JULY)
    assert created and version["version"] == 1 and version["kind"] == "original" and version["state"] == "submitted"
    again, created_again = await submit(compliance, CLERK, JULY)  # a client retry
    assert not created_again and again == version
    [submission] = _stores(database, "InMemorySubmissions")
    assert str(submission["id"]) == version["submission"]["id"] and submission["state"] == "queued"
    assert _event_types(database).count("compliance.report_submitted.v1") == 1
    [form_pr] = [row for row in _stores(database, "InMemoryObligations") if row["obligation"] == "form_pr"]
    assert form_pr["state"] == "submitted"


async def test_a_submission_is_never_queued_twice_for_one_key(database: FakeDatabase) -> None:
    report_id = uuid7()

    async def queue(report: dict[str, Any]) -> dict[str, Any]:
        async with database.unit_of_work(ORG) as uow:
            return await enqueue_submission(
                uow,  # type: ignore[arg-type]
                tenant_id=ORG,
                report_id=report_id,
                report_version=1,
                period=JULY,
                payload=report,
                requested_by="clerk",
                filed_via="stand-in",
            )

    first, second = await queue(REPORT), await queue(copy.deepcopy(REPORT))
    assert first["id"] == second["id"] and first["submission_key"] == second["submission_key"]
    assert (
        len(_stores(database, "InMemorySubmissions")) == 1 and len(_stores(database, "InMemorySubmissionSchedule")) == 1
    )
    assert _event_types(database) == ["compliance.report_submitted.v1"]
    with pytest.raises(Conflict, match="already submitted with different content"):
        await queue(REPORT | {"period": "2026-06"})


async def test_only_a_failed_submission_is_retried_by_hand(database: FakeDatabase) -> None:
    async with database.unit_of_work(ORG) as uow:
        queued = await enqueue_submission(
            uow,
            tenant_id=ORG,
            report_id=uuid7(),
            report_version=1,
            period=JULY,
            payload=REPORT,
            requested_by="c",  # type: ignore[arg-type]
            filed_via="stand-in",
        )
    submission_id = queued["id"]
    async with database.unit_of_work(ORG) as uow:
        assert (await retry_submission(uow, submission_id, retried_by="c"))["state"] == "queued"  # type: ignore[arg-type, index]
        await uow.submissions.change(submission_id, state="failed", attempts=10, last_error="portal answered 500")
        await uow.schedule.remove(submission_id)
    async with database.unit_of_work(ORG) as uow:
        retried = await retry_submission(uow, submission_id, retried_by="clerk")  # type: ignore[arg-type]
    assert retried is not None and retried["state"] == "queued" and retried["attempts"] == 0
    assert retried["retried_by"] == "clerk" and len(_stores(database, "InMemorySubmissionSchedule")) == 1
    async with database.unit_of_work(ORG) as uow:
        await uow.submissions.change(submission_id, state="accepted")
        with pytest.raises(RetryRefused):
            await retry_submission(uow, submission_id, retried_by="clerk")  # type: ignore[arg-type]
    async with database.unit_of_work(uuid7()) as uow:  # another organization sees no such submission
        assert await retry_submission(uow, submission_id, retried_by="clerk") is None  # type: ignore[arg-type]


async def test_an_idempotency_key_repeated_with_another_body_is_a_conflict(
    compliance: Compliance, database: FakeDatabase
) -> None:
    lease_id = await _month_of_a_lease(compliance, database, authority=None)
    body = {"lease_id": lease_id, "product": "gas", "code": "10", "authority": "AR", "reason": "flared under rule 32"}
    added, created = await adjustments.add_adjustment(compliance, CLERK, JULY, dict(body), "adj-1")
    again, created_again = await adjustments.add_adjustment(compliance, CLERK, JULY, dict(body), "adj-1")
    assert created and not created_again and again == added
    with pytest.raises(Conflict) as conflict:
        await adjustments.add_adjustment(compliance, CLERK, JULY, body | {"reason": "another reason"}, "adj-1")
    assert conflict.value.slug == "id-in-use" and [e["field"] for e in conflict.value.errors] == ["body.reason"]
    assert len(_stores(database, "InMemoryAdjustments")) == 1


async def test_a_form_pr_is_never_marked_paid(compliance: Compliance, database: FakeDatabase) -> None:
    await _month_of_a_lease(compliance, database)
    rows = {row["obligation"]: row for row in _stores(database, "InMemoryObligations")}
    with pytest.raises(UnprocessableContent):
        await calendar.mark_paid(compliance, CLERK, rows["form_pr"]["id"], None)
    paid = await calendar.mark_paid(compliance, CLERK, rows["oil_tax"]["id"], "paid by ACH")
    assert paid["state"] == "paid" and paid["done_by"] == CLERK.id


async def test_a_month_filed_outside_wellflow_stays_closed_when_wellflow_files_it_later(
    compliance: Compliance, database: FakeDatabase
) -> None:
    await _month_of_a_lease(compliance, database)
    rows = {row["obligation"]: row for row in _stores(database, "InMemoryObligations")}
    form_pr = rows["form_pr"]["id"]
    closed = await scope.mark_filed_outside(
        compliance, CLERK, form_pr, confirmation_number="PR-77", filed_on=date(2026, 8, 1), note=None
    )
    assert (closed["state"], closed["filed_outside"]["confirmation_number"]) == ("filed_outside", "PR-77")
    async with database.unit_of_work(ORG) as uow:
        await calendar.set_state(uow, "form_pr", date(2026, 7, 1), "awaiting_confirmation", "clerk", NOW)
    [after] = [row for row in _stores(database, "InMemoryObligations") if row["id"] == form_pr]
    assert after["state"] == "filed_outside"
    with pytest.raises(Forbidden):
        await scope.undo_filed_outside(compliance, CLERK, form_pr, "a typo")
    owner = Actor(id="owner@example.com", organization_id=ORG, role="owner")
    reopened = await scope.undo_filed_outside(compliance, owner, form_pr, "a typo")
    assert reopened["state"] == "open" and reopened["filed_outside"] is None


class Portal:
    """The portal as the worker sees it: answers queued in order, then files."""

    def __init__(self, *answers: Exception) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    async def submit(self, submission_key: str, payload: dict[str, Any]) -> PortalReceipt:
        self.calls.append(submission_key)
        if self.answers:
            raise self.answers.pop(0)
        return PortalReceipt("PR202607-123456-0001", NOW)

    async def aclose(self) -> None:
        return None


class Breaker:
    state, fail_counter = "closed", 0

    async def call(self, fn: Any) -> Any:
        return await fn()

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.state}


def _policy(**overrides: Any) -> PortalSettings:
    values = {
        "service_name": "compliance",
        "jwks_url": "http://identity.test/jwks.json",
        "jwt_issuer": "wellflow",
        "jwt_audience": "wellflow",
        "database_url": "postgresql+asyncpg://app@127.0.0.1/compliance",
        "nats_url": "nats://127.0.0.1:4222",
        "portal_retry_attempts": 1,
        "submission_max_attempts": 2,
    }
    return load_settings(PortalSettings, **(values | overrides))


@pytest.mark.parametrize("adapter", ["stand-in", "rrc"])
async def test_an_accepted_submission_files_the_report_version_and_only_the_rrc_closes_the_month(
    compliance: Compliance, database: FakeDatabase, adapter: str
) -> None:
    compliance.filed_via = adapter  # type: ignore[assignment]
    await _month_of_a_lease(compliance, database)
    version, _ = await submit(compliance, CLERK, JULY)
    portal = Portal(PortalUnavailable("portal answered 503"))
    policy = _policy(rrc_portal_adapter=adapter)
    worker = SubmissionWorker(database, portal, Breaker(), policy, on_outcome=record_submission_outcome)  # type: ignore[arg-type]
    worker.clock = lambda: datetime.now(UTC)
    assert await worker.run_once() == 1  # a transient failure: queued again, with backoff
    [submission] = _stores(database, "InMemorySubmissions")
    assert submission["state"] == "queued" and submission["attempts"] == 1 and "503" in submission["last_error"]
    worker.clock = lambda: datetime.now(UTC).replace(year=2100)  # past the backoff
    assert await worker.run_once() == 1
    [submission] = _stores(database, "InMemorySubmissions")
    assert submission["state"] == "accepted" and submission["confirmation_number"] == "PR202607-123456-0001"
    assert submission["filed_via"] == adapter
    assert len(set(portal.calls)) == 1 and _stores(database, "InMemorySubmissionSchedule") == []
    [stored] = _stores(database, "InMemoryVersions")
    assert stored["version"] == version["version"] and stored["state"] == "accepted"
    [form_pr] = [row for row in _stores(database, "InMemoryObligations") if row["obligation"] == "form_pr"]
    events = _event_types(database)
    assert events.count("compliance.submission_retry_scheduled.v1") == 1
    if adapter == "rrc":  # a real RRC adapter's acceptance is the RRC's confirmation
        assert form_pr["state"] == "accepted" and form_pr["done_by"] == "rrc"
        assert events[-2:] == ["compliance.report_accepted.v1", "compliance.report_confirmed.v1"]
    else:  # the stand-in's is not: nothing reached the RRC, the month stays open and its reminders go on
        assert form_pr["state"] == "awaiting_confirmation" and form_pr["done_at"] is None
        assert events[-1] == "compliance.report_accepted.v1"


async def test_after_max_attempts_a_submission_fails_with_the_alert_event(database: FakeDatabase) -> None:
    async with database.unit_of_work(ORG) as uow:
        await enqueue_submission(
            uow,
            tenant_id=ORG,
            report_id=uuid7(),
            report_version=1,
            period=JULY,
            payload=REPORT,
            requested_by="c",  # type: ignore[arg-type]
            filed_via="stand-in",
        )
    portal = Portal(*(PortalUnavailable("portal answered 500") for _ in range(5)))
    worker = SubmissionWorker(database, portal, Breaker(), _policy())  # type: ignore[arg-type]
    for year in (2100, 2200):
        worker.clock = lambda year=year: datetime.now(UTC).replace(year=year)
        assert await worker.run_once() == 1
    [submission] = _stores(database, "InMemorySubmissions")
    assert submission["state"] == "failed" and submission["attempts"] == 2 and submission["next_attempt_at"] is None
    assert _stores(database, "InMemorySubmissionSchedule") == []
    gave_up = [getattr(e, "gave_up", None) for e in database.committed if e.type.endswith("retry_scheduled.v1")]
    assert gave_up == [False, True]
    worker.clock = lambda: datetime.now(UTC).replace(year=2300)
    assert await worker.run_once() == 0  # a failed submission waits for a person
