"""Filing that never pretends (issue 15), on PostgreSQL and NATS through compliance's HTTP API with its
default settings: submitting leaves the report awaiting confirmation with its filing package and the month's
Form PR obligation open (its reminders go on); recording the RRC's confirmation number closes it, once."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from wellflow_compliance.app.calendar import send_deadline_notices
from wellflow_servicekit.testing import load_test_module

filing = load_test_module(Path(__file__).with_name("test_form_pr_filing.py"), "wellflow_compliance_filing_cases")
_flaring_lease = filing._flaring_lease


async def _prepared(compliance) -> dict:
    await _flaring_lease(compliance, authority="AR")
    submitted = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert submitted.status_code == 202, submitted.text
    return (await compliance.get(submitted.json()["submission_url"])).json()


async def _form_pr(compliance) -> dict:
    [obligation] = (await compliance.get("/api/v1/filing-calendar", obligation="form_pr")).json()["items"]
    return obligation


async def test_default_settings_leave_the_report_awaiting_confirmation_until_it_is_recorded(compliance):
    assert compliance.app.state.settings.rrc_portal_adapter == "manual"
    assert compliance.app.state.submissions.workers == []  # nothing is ever sent anywhere
    submission = await _prepared(compliance)
    assert (submission["state"], submission["filed_via"], submission["stand_in"]) == (
        "awaiting_confirmation",
        "manual",
        False,
    )
    assert submission["confirmation"] is None and not submission["rrc_confirmed"]
    assert (await compliance.report("2026-07"))["state"] == "awaiting_confirmation"
    obligation = await _form_pr(compliance)
    assert obligation["state"] == "awaiting_confirmation" and obligation["done_at"] is None

    # the reminders go on while the RRC's confirmation is missing, and the missed notice too
    compliance.clock.now = datetime(2026, 8, 24, 12, tzinfo=UTC)  # 7 days before the Form PR is due
    assert await send_deadline_notices(compliance.app.state.compliance) >= 1
    reminders = await compliance.outbox("compliance.filing_deadline_approaching.v1")
    assert [(e["obligation"], e["days_before"], e["state"]) for e in reminders if e["obligation"] == "form_pr"] == [
        ("form_pr", 7, "awaiting_confirmation")
    ]

    confirm = f"/api/v1/compliance/submissions/{submission['id']}/confirmation"
    body = {"confirmation_number": " RRC 7781-22 ", "confirmation_date": "2026-08-20", "note": "filed on RRC Online"}
    assert (await compliance.post(confirm, body, role="pumper")).status_code == 403
    assert (await compliance.post(confirm, body, role="auditor")).status_code == 403
    owner = compliance.headers("owner", subject="dana@ranch.test")
    recorded = await compliance.client.post(confirm, json=body, headers=owner)
    assert recorded.status_code == 200, recorded.text
    view = recorded.json()
    assert view["state"] == "accepted" and view["rrc_confirmed"] and view["confirmation_number"] == "RRC 7781-22"
    assert view["confirmation"]["recorded_by"] == "dana@ranch.test"
    assert view["confirmation"]["confirmation_date"] == "2026-08-20" and view["confirmation"]["recorded_at"]
    report = await compliance.report("2026-07")
    assert report["state"] == "accepted" and report["versions"][0]["confirmation_number"] == "RRC 7781-22"
    obligation = await _form_pr(compliance)
    assert obligation["state"] == "accepted" and obligation["done_by"] == "dana@ranch.test"

    again = await compliance.post(confirm, {"confirmation_number": "RRC 7781-22"})  # the same: the same answer
    assert again.status_code == 200 and again.json() == view
    other = await compliance.post(confirm, {"confirmation_number": "RRC 9999"})
    assert other.status_code == 409 and [e["field"] for e in other.json()["errors"]] == ["body.confirmation_number"]
    [event] = await compliance.outbox("compliance.report_confirmed.v1")
    assert (event["confirmation_number"], event["recorded_by"], event["filed_via"]) == (
        "RRC 7781-22",
        "dana@ranch.test",
        "manual",
    )
    compliance.clock.now = datetime(2026, 9, 1, 12, tzinfo=UTC)  # past the due date: filed, so nothing missed
    await send_deadline_notices(compliance.app.state.compliance)
    missed = await compliance.outbox("compliance.filing_deadline_missed.v1")
    assert [e for e in missed if e["obligation"] == "form_pr"] == []


async def test_bad_confirmations_are_422_beside_the_field_and_change_nothing(compliance):
    submission = await _prepared(compliance)
    confirm = f"/api/v1/compliance/submissions/{submission['id']}/confirmation"
    for body, field in (
        ({}, "body.confirmation_number"),
        ({"confirmation_number": "   "}, "body.confirmation_number"),
        ({"confirmation_number": "PR#1"}, "body.confirmation_number"),
        ({"confirmation_number": "x" * 41}, "body.confirmation_number"),
        ({"confirmation_number": "PR1", "confirmation_date": "2026-13-01"}, "body.confirmation_date"),
        ({"confirmation_number": "PR1", "confirmation_date": "2026-07-30"}, "body.confirmation_date"),
        ({"confirmation_number": "PR1", "confirmation_date": "2026-08-04"}, "body.confirmation_date"),  # tomorrow
        ({"confirmation_number": "PR1", "surprise": 1}, "body.surprise"),
    ):
        refused = await compliance.post(confirm, body)
        assert refused.status_code == 422, (body, refused.text)
        assert field in [e["field"] for e in refused.json()["errors"]], (body, refused.json())
    assert (await compliance.get(f"/api/v1/compliance/submissions/{submission['id']}")).json() == submission
    assert (await _form_pr(compliance))["state"] == "awaiting_confirmation"
    missing = "/api/v1/compliance/submissions/01938a10-0000-7000-8000-000000000000/confirmation"
    assert (await compliance.post(missing, {"confirmation_number": "PR1"})).status_code == 404
    other_org = await compliance.post(confirm, {"confirmation_number": "PR1"}, org=compliance.org_b)
    assert other_org.status_code == 404


async def test_the_filing_package_is_the_frozen_version_in_wellflows_own_layout(compliance):
    submission = await _prepared(compliance)
    files = {item["name"]: item for item in submission["package"]}
    assert set(files) == {"form-pr.pdf", "form-pr.txt", "form-pr.json", "form-pr.csv"}
    pdf = await compliance.get(files["form-pr.pdf"]["url"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="form-pr-2026-07-v1.pdf"' in pdf.headers["content-disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", " ")
    assert "Version 1 (original)" in text and "not the RRC's EDI layout" in text
    electronic = await compliance.get(files["form-pr.json"]["url"])
    body = json.loads(electronic.content)
    assert electronic.headers["x-wellflow-format"] == "wellflow.form-pr.v1" == body["format"]
    assert "not the RRC's EDI layout" in body["notice"] and body["version"] == 1
    txt = await compliance.get(files["form-pr.txt"]["url"])
    assert txt.headers["x-wellflow-format"] == "wellflow.form-pr-electronic.v1"
    assert (
        txt.text.splitlines()[0] == "#|wellflow.form-pr-electronic.v1|WellFlow's own layout, not the RRC's EDI format"
    )
    assert txt.text.splitlines()[1] == "H|wellflow.form-pr-electronic.v1|202607|123456"
    csv_file = (await compliance.get(files["form-pr.csv"]["url"])).text
    assert csv_file.startswith("# wellflow.form-pr.v1")
    assert (await compliance.get(files["form-pr.pdf"]["url"], role="pumper")).status_code == 403
    assert (await compliance.get(files["form-pr.pdf"]["url"], org=compliance.org_b)).status_code == 404
    unknown = await compliance.get(f"/api/v1/compliance/submissions/{submission['id']}/package/edi.txt")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "path.name"
    foreign = f"/api/v1/compliance/submissions/{submission['id']}/package/edi.txt"
    assert (await compliance.get(foreign, org=compliance.org_b)).status_code == 404  # found before the name is read
