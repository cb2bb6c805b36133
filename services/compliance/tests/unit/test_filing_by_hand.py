"""Filing that never pretends, on the in-memory unit of work: with the default (manual) adapter submitting
prepares the version and its package and waits for the RRC's confirmation number; only a recorded
confirmation closes the month; recording is idempotent, validated and kept with who recorded it; a stand-in's
answer cannot be confirmed. The integration tests prove the same on PostgreSQL and through HTTP."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from wellflow_compliance.app.common import Compliance
from wellflow_compliance.app.reports.outcome import record_submission_outcome
from wellflow_compliance.app.reports.submit import submit
from wellflow_compliance.app.submissions.confirm import ConfirmationConflict, record_confirmation
from wellflow_compliance.settings import PortalSettings
from wellflow_compliance_unit_fakes import FakeComplianceWork
from wellflow_servicekit.errors import Conflict, UnprocessableContent
from wellflow_servicekit.testing import FakeDatabase, load_test_module

cases = load_test_module(Path(__file__).with_name("test_use_cases.py"), "wellflow_compliance_unit_use_cases")
CLERK, JULY, NOW, ORG = cases.CLERK, cases.JULY, cases.NOW, cases.ORG


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase(FakeComplianceWork)


@pytest.fixture
def compliance(database: FakeDatabase) -> Compliance:
    return Compliance(database, clock=lambda: NOW)  # type: ignore[arg-type]  # the default: manual


def _form_pr(database: FakeDatabase) -> dict[str, Any]:
    [row] = [r for r in cases._stores(database, "InMemoryObligations") if r["obligation"] == "form_pr"]
    return row


async def _record(database: FakeDatabase, submission_id: Any, number: str, **extra: Any) -> dict[str, Any]:
    async with database.unit_of_work(ORG) as uow:
        return await record_confirmation(
            uow,  # type: ignore[arg-type]
            submission_id,
            CLERK,
            confirmation_number=number,
            confirmation_date=extra.get("confirmation_date"),
            note=extra.get("note"),
            now=NOW,
            on_outcome=record_submission_outcome,
        )


def test_the_default_adapter_is_manual() -> None:
    assert PortalSettings.model_fields["rrc_portal_adapter"].default == "manual"
    assert Compliance(None).filed_via == "manual"  # type: ignore[arg-type]


async def test_submitting_prepares_the_version_and_waits_for_the_rrc(compliance: Compliance, database: FakeDatabase):
    await cases._month_of_a_lease(compliance, database)
    version, created = await submit(compliance, CLERK, JULY)
    assert created and version["state"] == "awaiting_confirmation" and version["filed_via"] == "manual"
    assert version["notice"] is None
    [submission] = cases._stores(database, "InMemorySubmissions")
    assert submission["state"] == "awaiting_confirmation" and submission["filed_via"] == "manual"
    assert cases._stores(database, "InMemorySubmissionSchedule") == []  # nothing is ever sent
    assert _form_pr(database)["state"] == "awaiting_confirmation" and _form_pr(database)["done_at"] is None
    again, created_again = await submit(compliance, CLERK, JULY)  # a client retry: the same version
    assert not created_again and again == version
    assert cases._event_types(database).count("compliance.report_submitted.v1") == 1
    [event] = [e for e in database.committed if e.type == "compliance.report_submitted.v1"]
    assert event.filed_via == "manual"


async def test_recording_the_confirmation_closes_the_month_once(compliance: Compliance, database: FakeDatabase):
    await cases._month_of_a_lease(compliance, database)
    await submit(compliance, CLERK, JULY)
    submission_id = cases._stores(database, "InMemorySubmissions")[0]["id"]
    filed_on = date(2026, 8, 3)
    view = await _record(database, submission_id, "RRC-778812", confirmation_date=filed_on, note="filed online")
    assert view["state"] == "accepted" and view["rrc_confirmed"] and not view["stand_in"]
    assert view["confirmation"] == {
        "confirmation_number": "RRC-778812",
        "confirmation_date": filed_on,
        "note": "filed online",
        "recorded_by": CLERK.id,
        "recorded_at": NOW,
    }
    [stored] = cases._stores(database, "InMemoryVersions")
    assert stored["state"] == "accepted" and stored["confirmation_number"] == "RRC-778812"
    assert _form_pr(database)["state"] == "accepted" and _form_pr(database)["done_by"] == CLERK.id
    [confirmed] = [e for e in database.committed if e.type == "compliance.report_confirmed.v1"]
    assert confirmed.recorded_by == CLERK.id and confirmed.confirmation_number == "RRC-778812"
    assert confirmed.filed_via == "manual" and confirmed.confirmation_date == filed_on

    assert await _record(database, submission_id, "RRC-778812") == view  # the same number: the same answer
    assert cases._event_types(database).count("compliance.report_confirmed.v1") == 1
    with pytest.raises(ConfirmationConflict) as conflict:  # a different number never replaces it
        await _record(database, submission_id, "RRC-000001")
    assert conflict.value.status == 409
    assert [e["field"] for e in conflict.value.errors] == ["body.confirmation_number"]
    with pytest.raises(Conflict, match="nothing has changed"):  # filed: nothing to amend
        await submit(compliance, CLERK, JULY)


@pytest.mark.parametrize(
    ("filed_on", "message"),
    [(NOW.date() + timedelta(days=1), "future"), (date(2026, 7, 31), "only be filed from 2026-08-01")],
)
async def test_an_impossible_confirmation_date_is_a_422_and_nothing_changes(
    compliance: Compliance, database: FakeDatabase, filed_on: date, message: str
):
    await cases._month_of_a_lease(compliance, database)
    await submit(compliance, CLERK, JULY)
    submission_id = cases._stores(database, "InMemorySubmissions")[0]["id"]
    with pytest.raises(UnprocessableContent, match=message) as refused:
        await _record(database, submission_id, "RRC-1", confirmation_date=filed_on)
    assert [e["field"] for e in refused.value.errors] == ["body.confirmation_date"]
    assert cases._stores(database, "InMemorySubmissions")[0]["state"] == "awaiting_confirmation"
    assert _form_pr(database)["state"] == "awaiting_confirmation"


async def test_a_stand_in_answer_cannot_be_confirmed(database: FakeDatabase):
    compliance = Compliance(database, clock=lambda: NOW, filed_via="stand-in")  # type: ignore[arg-type]
    await cases._month_of_a_lease(compliance, database)
    await submit(compliance, CLERK, JULY)
    [submission] = cases._stores(database, "InMemorySubmissions")
    assert submission["state"] == "queued"
    with pytest.raises(ConfirmationConflict, match="only a submission awaiting confirmation"):
        await _record(database, submission["id"], "RRC-1")  # still queued for the stand-in
    async with database.unit_of_work(ORG) as uow:
        await uow.submissions.change(submission["id"], state="accepted", confirmation_number="STANDIN-PR1")
    with pytest.raises(ConfirmationConflict, match="RRC stand-in: nothing was sent to the RRC"):
        await _record(database, submission["id"], "RRC-1")
