"""Adjustments, validation before filing, submitting, the RRC's answer, amendments and exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from pypdf import PdfReader

from wellflow_compliance.app.reports.outcome import record_submission_outcome

JULY = date(2026, 7, 1)


async def _flaring_lease(compliance, *, authority=None):
    await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "123456", "name": "Ranch Oil LLC"})
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(
            lease,
            JULY,
            liquid="900",
            gas="1500",
            beginning="120",
            ending="170",
            oil_dispositions=[("00", "850")],
            gas_dispositions=[("02", "1400", None), ("10", "100", authority)],
        )
    )
    # the lease (wells' events) and its month (production's) come by different consumers: wait for both
    await compliance.wait_line("2026-07", lease, lambda line: line.get("rrc_district") == "08")
    return lease


async def _answer(compliance, report_id, version, outcome, confirmation=None, reasons=()):
    database = compliance.app.state.runtime.database
    async with database.unit_of_work(compliance.org_a) as uow:
        await record_submission_outcome(
            uow,
            report_id=report_id,
            report_version=version,
            outcome=outcome,
            confirmation_number=confirmation,
            reasons=list(reasons),
        )


async def test_flaring_without_authority_blocks_filing_until_the_office_adds_it(compliance):
    lease = await _flaring_lease(compliance)
    response = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/form-pr-invalid")
    [error] = problem["errors"]
    assert "100 MCF flared (code 10) carries no authority" in error["message"]
    assert error["field"] == f"lines[{lease}].gas_dispositions"

    added = await compliance.post(
        "/api/v1/form-pr/2026-07/adjustments",
        {"lease_id": str(lease), "product": "gas", "code": "10", "authority": "AR", "reason": "flared under rule 32"},
        **{"Idempotency-Key": "adj-1"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["created_by"] and added.json()["reason"] == "flared under rule 32"
    again = await compliance.post(
        "/api/v1/form-pr/2026-07/adjustments",
        {"lease_id": str(lease), "product": "gas", "code": "10", "authority": "AR", "reason": "flared under rule 32"},
        **{"Idempotency-Key": "adj-1"},
    )
    assert again.status_code == 200 and again.json()["id"] == added.json()["id"]
    changed = await compliance.post(
        "/api/v1/form-pr/2026-07/adjustments",
        {"lease_id": str(lease), "product": "gas", "code": "10", "authority": "AE", "reason": "flared by exception"},
        **{"Idempotency-Key": "adj-1"},
    )  # the same key with another body: one meaning everywhere (409 naming the fields), never a silent replay
    assert changed.status_code == 409, changed.text
    assert sorted(e["field"] for e in changed.json()["errors"]) == ["body.authority", "body.reason"]
    report = await compliance.report("2026-07")
    assert report["errors"] == [] and report["ready_to_submit"]
    assert (await compliance.get("/api/v1/form-pr/2026-07/adjustments")).json()["total"] == 1


async def test_negative_production_is_fixed_by_an_office_disposition_and_voiding_brings_it_back(compliance):
    lease = await _flaring_lease(compliance, authority="AR")
    await compliance.publish(
        compliance.lease_month(
            lease,
            JULY,
            liquid="30",
            gas="1500",
            beginning_net="120",
            ending_net="60",
            month_end_gauged=True,
            oil_dispositions=[("00", "30")],
            gas_dispositions=[("02", "1400", None), ("10", "100", "AR")],
        )
    )
    line = await compliance.wait_line("2026-07", lease, lambda line: line["liquid_basis"] == "gauged")
    assert [i["code"] for i in line["issues"]] == ["negative-production"]
    assert "would have produced -30 BBL" in line["issues"][0]["message"]

    added = await compliance.post(
        "/api/v1/form-pr/2026-07/adjustments",
        {
            "lease_id": str(lease),
            "product": "liquid",
            "code": "03",
            "volume": "60",
            "remark": "60 BBL used to hot-oil well 1",
            "reason": "lease use reported by the pumper",
        },
    )
    assert added.status_code == 201
    line = await compliance.line("2026-07", lease)
    assert line["issues"] == [] and line["ending_stock"] == 60 and line["liquid_production"] == 30
    assert line["remarks"] == ["10 AR", "60 BBL used to hot-oil well 1"]  # the flare authority comes first

    voided = await compliance.post(
        f"/api/v1/form-pr/2026-07/adjustments/{added.json()['id']}/void", {"reason": "entered twice"}
    )
    assert voided.status_code == 200 and voided.json()["void_reason"] == "entered twice"
    line = await compliance.line("2026-07", lease)
    assert [i["code"] for i in line["issues"]] == ["negative-production"]
    listed = await compliance.get("/api/v1/form-pr/2026-07/adjustments", include_voided="true")
    assert listed.json()["items"][0]["voided_by"]


async def test_bad_adjustments_are_refused_with_a_reason(compliance):
    lease = await _flaring_lease(compliance, authority="AR")
    cases = [
        ({"product": "liquid", "code": "12", "volume": "5"}, "not a Form PR liquid disposition code"),
        ({"product": "gas", "code": "02", "volume": "5", "authority": "AR"}, "only to gas dispositions 10"),
        ({"product": "gas", "code": "01", "volume": "0"}, "Give a volume"),
    ]
    for body, message in cases:
        response = await compliance.post(
            "/api/v1/form-pr/2026-07/adjustments", {"lease_id": str(lease), "reason": "testing", **body}
        )
        assert response.status_code == 422, body
        assert message in response.json()["detail"]
    assert (await compliance.get("/api/v1/form-pr/2026-07/adjustments")).json()["total"] == 0


async def test_missing_operator_number_blocks_filing(compliance):
    lease = await compliance.lease()
    await compliance.publish(compliance.lease_month(lease, JULY, gas="0"))
    await compliance.wait_line("2026-07", lease)
    response = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert response.status_code == 422
    assert "operator number (Form P-5) is not set" in response.json()["errors"][0]["message"]


async def test_submit_freezes_a_version_and_a_later_change_is_an_amendment(compliance):
    """With the default settings (manual): each version waits for the RRC's confirmation number."""
    lease = await _flaring_lease(compliance, authority="AR")
    submitted = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert submitted.status_code == 202, submitted.text
    assert (submitted.json()["version"], submitted.json()["kind"], submitted.json()["state"]) == (
        1,
        "original",
        "awaiting_confirmation",
    )
    prepared = await compliance.get(submitted.json()["submission_url"])
    assert prepared.status_code == 200 and prepared.json()["state"] == "awaiting_confirmation"
    assert prepared.json()["submission_key"] == submitted.json()["submission"]["submission_key"]
    retried = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert retried.status_code == 200 and retried.json()["version"] == 1
    report = await compliance.report("2026-07")
    assert report["state"] == "awaiting_confirmation"
    [obligation] = (await compliance.get("/api/v1/filing-calendar", obligation="form_pr")).json()["items"]
    assert obligation["state"] == "awaiting_confirmation"

    confirm = f"{submitted.json()['submission_url']}/confirmation"
    assert (await compliance.post(confirm, {"confirmation_number": "PR-2026-000123"})).status_code == 200
    report = await compliance.report("2026-07")
    assert (report["state"], report["amendment_needed"]) == ("accepted", False)
    unchanged = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert unchanged.status_code == 409

    # Production corrects July after filing: the draft changes, the filed version does not.
    await compliance.publish(
        compliance.lease_month(
            lease,
            JULY,
            liquid="950",
            gas="1500",
            beginning="120",
            oil_dispositions=[("00", "850")],
            gas_dispositions=[("02", "1400", None), ("10", "100", "AR")],
        )
    )
    await compliance.wait_line("2026-07", lease, lambda line: line["liquid_production"] == 950)
    report = await compliance.report("2026-07")
    assert report["amendment_needed"] and report["state"] == "accepted"

    amended = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert amended.status_code == 202
    assert (amended.json()["version"], amended.json()["kind"], amended.json()["state"]) == (
        2,
        "amended",
        "awaiting_confirmation",
    )
    assert not (await compliance.report("2026-07"))["amendment_needed"]  # prepared for the RRC
    first = (await compliance.get("/api/v1/form-pr/2026-07/versions/1")).json()
    assert first["payload"]["lines"][0]["liquid_production"] == 900
    assert first["confirmation_number"] == "PR-2026-000123" and first["state"] == "accepted"
    second = (await compliance.get("/api/v1/form-pr/2026-07/versions/2")).json()
    assert second["payload"]["lines"][0]["liquid_production"] == 950 and second["payload"]["kind"] == "amended"
    # The month stays filed: an amendment does not reopen the obligation.
    [obligation] = (await compliance.get("/api/v1/filing-calendar", obligation="form_pr")).json()["items"]
    assert obligation["state"] == "accepted"
    submitted_events = await compliance.outbox("compliance.report_submitted.v1")
    assert [e["report_version"] for e in submitted_events] == [1, 2]
    assert {e["filed_via"] for e in submitted_events} == {"manual"}


async def test_a_rejected_report_keeps_the_reasons_and_can_be_filed_again(compliance):
    await _flaring_lease(compliance, authority="AR")
    version = (await compliance.post("/api/v1/form-pr/2026-07/submit")).json()
    report = await compliance.report("2026-07")
    await _answer(compliance, report["id"], version["version"], "rejected", reasons=["Lease 08-12345 not found"])
    report = await compliance.report("2026-07")
    assert report["state"] == "rejected"
    assert report["versions"][0]["reasons"] == ["Lease 08-12345 not found"]
    again = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert again.status_code == 202 and (again.json()["version"], again.json()["kind"]) == (2, "original")


async def test_exports_are_labelled_as_wellflows_own_format(compliance):
    lease = await _flaring_lease(compliance, authority="AR")
    as_json = await compliance.get("/api/v1/form-pr/2026-07/export.json")
    assert as_json.status_code == 200
    body = json.loads(as_json.content)
    assert body["format"] == "wellflow.form-pr.v1" and "not the RRC's EDI layout" in body["notice"]
    assert body["lines"][0]["lease_id"] == str(lease) and "issues" not in body["lines"][0]

    as_csv = (await compliance.get("/api/v1/form-pr/2026-07/export.csv")).text
    first, *rest = as_csv.splitlines()
    assert first.startswith("# wellflow.form-pr.v1")
    [row] = list(csv.DictReader(io.StringIO("\n".join(rest))))
    assert (row["operator_number"], row["identifier"], row["gas_dispositions"]) == (
        "123456",
        "12345",
        "02:1400; 10:100 AR",
    )

    pdf = await compliance.get("/api/v1/form-pr/2026-07/export.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Monthly Production Report" in text and "123456" in text and "Ranch A" in text
    assert "not the RRC's EDI layout" in text.replace("\n", " ")
    assert (await compliance.get("/api/v1/form-pr/2026-07/export.xml")).status_code == 422


HOSTILE = '<img src="/dev/zero" width="1" height="1"/> A<B & <font size="300">big</font>'


async def test_hostile_text_in_every_field_of_the_pdf_renders_as_text(compliance):
    """Issue 19: an organization named like an image tag drove the PDF renderer past 1 GB, and a lease named A<B
    answered 500. Every value a user typed (operator, lease, remark) renders as the text typed."""
    await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "123456", "name": "Op " + HOSTILE})
    lease = await compliance.lease(name="Lease " + HOSTILE)
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="10", gas="0", beginning="0", ending="10", oil_dispositions=[])
    )
    await compliance.wait_line("2026-07", lease)
    remark = await compliance.post(
        "/api/v1/form-pr/2026-07/adjustments",
        {"lease_id": str(lease), "product": "remark", "remark": "Remark " + HOSTILE, "reason": "why " + HOSTILE},
    )
    assert remark.status_code == 201, remark.text
    pdf = await compliance.get("/api/v1/form-pr/2026-07/export.pdf")
    assert pdf.status_code == 200, pdf.text
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", " ")
    for field in ("Op", "Lease", "Remark"):
        assert f"{field} <img" in text and "A<B & <font" in text, (field, text[:600])
    assert len(pdf.content) < 200_000
