"""Queuing a Form PR version for filing, and retrying a failed submission by hand."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import ReportSubmitted, SubmissionRetryScheduled
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import jsonable, utcnow

from ..ports import ComplianceWork

STATES = ("queued", "in_flight", "accepted", "rejected", "failed")


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
    return view


async def enqueue_submission(
    uow: ComplianceWork,
    *,
    tenant_id: UUID,
    report_id: UUID,
    report_version: int,
    period: date,
    payload: dict[str, Any],
    requested_by: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Queue one Form PR version for filing, in the caller's unit of work; idempotent on (report, version).

    Queuing the same version again returns the existing submission and records nothing; queuing it again
    with a different payload is a conflict (a changed report is a new version, never an edit).
    """
    now = now or utcnow()
    payload = jsonable(payload)  # exactly as it will be stored (JSONB) and sent: dates and ids become strings
    key = submission_key_for(tenant_id, report_id, report_version)
    submission_id = uuid7()
    values = {"id": submission_id, "report_id": report_id, "report_version": report_version, "period": period}
    values |= {"submission_key": key, "payload": payload, "state": "queued", "attempts": 0, "reasons": []}
    values |= {"next_attempt_at": now, "requested_by": requested_by, "created_at": now, "updated_at": now}
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
        )
    )
    row = await uow.submissions.get(submission_id)
    assert row is not None
    return submission_view(row)


class RetryRefused(Conflict):
    slug = "submission-not-retryable"


def _refusal(state: str) -> RetryRefused:
    what = "was accepted" if state == "accepted" else "was rejected by the portal; correct the report and file"
    return RetryRefused(
        f"This submission {what}{' it as a new version' if state == 'rejected' else ''}; "
        "only a failed submission can be retried.",
        state=state,
    )


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
