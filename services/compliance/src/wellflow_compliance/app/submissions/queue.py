"""Queuing a Form PR version for filing, and retrying a failed submission by hand."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import FiledVia, ReportSubmitted, SubmissionRetryScheduled
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import jsonable, utcnow

from ..ports import ComplianceWork

STATES = ("queued", "in_flight", "awaiting_confirmation", "accepted", "rejected", "failed")
MANUAL = "manual"
STAND_IN = "stand-in"
STAND_IN_NOTICE = "RRC stand-in: nothing was sent to the RRC"
PACKAGE_FILES = (
    ("form-pr.pdf", "application/pdf", "Form PR laid out like the paper form (WellFlow's review copy)"),
    (
        "form-pr.txt",
        "text/plain; charset=utf-8",
        "the electronic file in WellFlow's own layout wellflow.form-pr-electronic.v1 (not the RRC's EDI format)",
    ),
    ("form-pr.json", "application/json", "the report as data in WellFlow's own layout wellflow.form-pr.v1"),
    ("form-pr.csv", "text/csv; charset=utf-8", "one row per lease in WellFlow's own layout wellflow.form-pr.v1"),
)
"""The filing package of a submission: what a person needs to file the version on RRC Online or on paper,
rendered from the frozen version. The electronic files are WellFlow's own layout, not the RRC's EDI format."""


def submission_key_for(tenant_id: UUID, report_id: UUID, report_version: int) -> str:
    """Stable per report version: every attempt at filing one version sends the same key."""
    digest = hashlib.sha256(f"wellflow:form-pr:{tenant_id}:{report_id}:{report_version}".encode()).hexdigest()
    return f"wf-{digest}"


def submission_view(row: dict[str, Any]) -> dict[str, Any]:
    """What the API shows of a submission (the payload is left out: it is the report version itself)."""
    keys = (
        "id",
        "report_id",
        "report_version",
        "period",
        "submission_key",
        "state",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_error",
        "confirmation_number",
        "accepted_at",
    )
    view = {key: row[key] for key in keys}
    view["reasons"] = list(row["reasons"] or [])
    for key in ("requested_by", "retried_by", "created_at", "updated_at"):
        view[key] = row[key]
    return view | _filing_view(row)


def _filing_view(row: dict[str, Any]) -> dict[str, Any]:
    """How it is filed, what a stand-in answer means, the RRC's confirmation as recorded, and the package."""
    filed_via = row.get("filed_via") or STAND_IN
    base = f"/api/v1/compliance/submissions/{row['id']}/package"
    confirmed = row["state"] == "accepted" and filed_via != STAND_IN
    return {
        "filed_via": filed_via,
        "stand_in": filed_via == STAND_IN,
        "notice": STAND_IN_NOTICE if filed_via == STAND_IN else None,
        "rrc_confirmed": confirmed,
        "confirmation": {
            "confirmation_number": row["confirmation_number"],
            "confirmation_date": row.get("confirmation_date"),
            "note": row.get("confirmation_note"),
            "recorded_by": row.get("confirmed_by"),
            "recorded_at": row.get("confirmed_at"),
        }
        if confirmed
        else None,
        "package": [
            {"name": name, "media_type": media, "description": what, "url": f"{base}/{name}"}
            for name, media, what in PACKAGE_FILES
        ],
    }


async def enqueue_submission(
    uow: ComplianceWork,
    *,
    tenant_id: UUID,
    report_id: UUID,
    report_version: int,
    period: date,
    payload: dict[str, Any],
    requested_by: str,
    filed_via: FiledVia = "manual",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Queue one Form PR version for filing, in the caller's unit of work; idempotent on (report, version).

    ``filed_via`` is the adapter in effect: ``manual`` sends nothing (the submission waits, prepared, for a
    person to record the RRC's confirmation: ``awaiting_confirmation``, no schedule row); any other is queued
    for the worker. Queuing the same version again returns the existing submission and records nothing;
    queuing it again with a different payload is a conflict (a changed report is a new version, never an edit).
    """
    now = now or utcnow()
    payload = jsonable(payload)  # exactly as it will be stored (JSONB) and sent: dates and ids become strings
    key = submission_key_for(tenant_id, report_id, report_version)
    submission_id = uuid7()
    values = {"id": submission_id, "report_id": report_id, "report_version": report_version, "period": period}
    manual = filed_via == MANUAL
    state = "awaiting_confirmation" if manual else "queued"
    values |= {"submission_key": key, "payload": payload, "state": state, "attempts": 0, "reasons": []}
    values |= {"next_attempt_at": None if manual else now, "requested_by": requested_by, "filed_via": filed_via}
    values |= {"created_at": now, "updated_at": now}
    if not await uow.submissions.add(values):
        existing = await uow.submissions.of_report_version(report_id, report_version)
        if existing["payload"] != payload:
            raise Conflict(
                f"Version {report_version} of this report was already submitted with different content; "
                "file the change as an amended report.",
                slug="submission-conflict",
                submission_id=str(existing["id"]),
            )
        return submission_view(existing)
    if not manual:
        await uow.schedule.add(submission_id, tenant_id, now)
    uow.record(
        ReportSubmitted(
            tenant_id=tenant_id,
            occurred_at=now,
            report_id=report_id,
            report_version=report_version,
            period=period,
            submission_id=submission_id,
            submission_key=key,
            requested_by=requested_by,
            filed_via=filed_via,
        )
    )
    row = await uow.submissions.get(submission_id)
    assert row is not None
    return submission_view(row)


class RetryRefused(Conflict):
    slug = "submission-not-retryable"


def _refusal(state: str) -> RetryRefused:
    what = {
        "accepted": "was accepted",
        "rejected": "was rejected by the portal; correct the report and file it as a new version",
        "awaiting_confirmation": "is prepared for filing by hand; file it on RRC Online and record the RRC's "
        "confirmation number",
    }.get(state, f"is {state}")
    return RetryRefused(f"This submission {what}; only a failed submission can be retried.", state=state)


async def retry_submission(
    uow: ComplianceWork, submission_id: UUID, *, retried_by: str, now: datetime | None = None
) -> dict[str, Any] | None:
    """Put a failed submission back in the queue (attempts start again); None when it does not exist.

    Only a failed submission (the queue gave up on transient errors) is retried: a queued or in-flight one
    is already being tried (returned unchanged, so a repeated click is harmless), an accepted one is filed,
    and a rejected one would be rejected again: its report must be corrected and filed as a new version.
    """
    now = now or utcnow()
    row = await uow.submissions.get(submission_id, for_update=True)
    if row is None:
        return None
    if row["state"] in ("queued", "in_flight"):
        return submission_view(row)
    if row["state"] != "failed":
        raise _refusal(row["state"])
    await uow.submissions.change(
        submission_id, state="queued", attempts=0, next_attempt_at=now, retried_by=retried_by, updated_at=now
    )
    tenant_id = uow.tenant_id
    assert tenant_id is not None
    await uow.schedule.put(submission_id, tenant_id, now)
    uow.record(
        SubmissionRetryScheduled(
            tenant_id=tenant_id,
            occurred_at=now,
            report_id=row["report_id"],
            report_version=row["report_version"],
            period=row["period"],
            submission_id=row["id"],
            attempts=0,
            next_attempt_at=now,
            last_error=f"retried by hand by {retried_by} after: {row['last_error']}",
        )
    )
    updated = await uow.submissions.get(submission_id)
    assert updated is not None
    return submission_view(updated)
