"""The durable submission queue: a Form PR version is recorded before it is sent, and sent until the portal
gives a final answer, however often compliance restarts or the portal fails.

Life of a submission (docs/compliance-submission.md has the picture):

1. `enqueue_submission` writes the `submissions` row (state queued), its `submission_schedule` row and a
   `compliance.report_submitted.v1` event in the caller's unit of work: all or nothing.
2. A `SubmissionWorker` (worker.py) claims due schedule rows with `FOR UPDATE SKIP LOCKED` and pushes their time
   forward by a lease, so no other worker (or replica) takes them while this one works; it marks the
   submission in_flight and counts the attempt, and commits before calling the portal (no transaction stays
   open across the network).
3. The attempt goes through the circuit breaker and tenacity (a few quick retries for transient failures,
   honouring Retry-After). The submission key goes with every call: the portal files a key once and answers
   a repeat with the same confirmation, so a retry after a lost answer never files twice.
4. The outcome is written in one unit of work of the submission's tenant: accepted (confirmation number,
   `report_accepted`) or rejected (reasons, `report_rejected`), both final; or a transient failure, which
   schedules the next attempt with exponential backoff and jitter or the portal's Retry-After
   (`submission_retry_scheduled`), until `SUBMISSION_MAX_ATTEMPTS`, when the submission is failed and the
   same event carries `gave_up=true` (the alert). A person may then retry it by hand (`retry_submission`).
   A call the breaker refused never reached the portal: it does not count as an attempt and is rescheduled
   for when the breaker lets a trial through.

A worker that dies mid-attempt leaves its rows in_flight with a lease that runs out; another worker (or the
restarted one) then takes them again, with the same key, so nothing is lost and nothing is filed twice.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.events.compliance import ReportSubmitted, SubmissionRetryScheduled
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict

from .tables import submission_schedule, submissions
from .worker import OutcomeHook, SubmissionWorker, utcnow

__all__ = [
    "OutcomeHook",
    "RetryRefused",
    "SubmissionWorker",
    "enqueue_submission",
    "retry_submission",
    "submission_key_for",
    "submission_view",
    "utcnow",
]


def submission_key_for(tenant_id: UUID, report_id: UUID, report_version: int) -> str:
    """Stable per report version: every attempt at filing one version sends the same key."""
    digest = hashlib.sha256(f"wellflow:form-pr:{tenant_id}:{report_id}:{report_version}".encode()).hexdigest()
    return f"wf-{digest}"


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload exactly as it will be stored (JSONB) and sent: dates and ids become strings."""
    return json.loads(json.dumps(payload, default=str))


def submission_view(row: Any) -> dict[str, Any]:
    """What the API shows of a submission (the payload is left out: it is the report version itself)."""
    return {
        "id": row.id,
        "report_id": row.report_id,
        "report_version": row.report_version,
        "period": row.period,
        "submission_key": row.submission_key,
        "state": row.state,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "last_attempt_at": row.last_attempt_at,
        "last_error": row.last_error,
        "confirmation_number": row.confirmation_number,
        "accepted_at": row.accepted_at,
        "reasons": list(row.reasons or []),
        "requested_by": row.requested_by,
        "retried_by": row.retried_by,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


async def enqueue_submission(
    uow: UnitOfWork,
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
    payload = _jsonable(payload)
    key = submission_key_for(tenant_id, report_id, report_version)
    submission_id = uuid7()
    inserted = await uow.connection.execute(
        pg_insert(submissions)
        .values(
            organization_id=tenant_id,
            id=submission_id,
            report_id=report_id,
            report_version=report_version,
            submission_key=key,
            period=period,
            payload=payload,
            state="queued",
            attempts=0,
            next_attempt_at=now,
            reasons=[],
            requested_by=requested_by,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()
        .returning(submissions.c.id)
    )
    if inserted.scalar_one_or_none() is None:
        existing = (
            await uow.connection.execute(
                select(submissions).where(
                    submissions.c.organization_id == tenant_id,
                    submissions.c.report_id == report_id,
                    submissions.c.report_version == report_version,
                )
            )
        ).one()
        if existing.payload != payload:
            raise Conflict(
                f"Version {report_version} of this report was already submitted with different content; "
                "file the change as an amended report.",
                slug="submission-conflict",
                submission_id=str(existing.id),
            )
        return submission_view(existing)
    await uow.connection.execute(
        pg_insert(submission_schedule).values(submission_id=submission_id, tenant_id=tenant_id, next_attempt_at=now)
    )
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
    row = (await uow.connection.execute(select(submissions).where(submissions.c.id == submission_id))).one()
    return submission_view(row)


class RetryRefused(Conflict):
    slug = "submission-not-retryable"


async def retry_submission(
    uow: UnitOfWork, submission_id: UUID, *, retried_by: str, now: datetime | None = None
) -> dict[str, Any] | None:
    """Put a failed submission back in the queue (attempts start again); None when it does not exist.

    Only a failed submission (the queue gave up on transient errors) is retried: a queued or in-flight one
    is already being tried (returned unchanged, so a repeated click is harmless), an accepted one is filed,
    and a rejected one would be rejected again: its report must be corrected and filed as a new version.
    """
    now = now or utcnow()
    row = (
        await uow.connection.execute(select(submissions).where(submissions.c.id == submission_id).with_for_update())
    ).one_or_none()
    if row is None:
        return None
    if row.state in ("queued", "in_flight"):
        return submission_view(row)
    if row.state != "failed":
        what = "was accepted" if row.state == "accepted" else "was rejected by the portal; correct the report and file"
        raise RetryRefused(
            f"This submission {what}{' it as a new version' if row.state == 'rejected' else ''}; "
            "only a failed submission can be retried.",
            state=row.state,
        )
    await uow.connection.execute(
        update(submissions)
        .where(submissions.c.id == submission_id)
        .values(state="queued", attempts=0, next_attempt_at=now, retried_by=retried_by, updated_at=now)
    )
    await uow.connection.execute(
        pg_insert(submission_schedule)
        .values(submission_id=submission_id, tenant_id=row.organization_id, next_attempt_at=now)
        .on_conflict_do_update(
            index_elements=[submission_schedule.c.submission_id], set_={"next_attempt_at": now, "claimed_by": None}
        )
    )
    uow.record(
        SubmissionRetryScheduled(
            tenant_id=row.organization_id,
            occurred_at=now,
            report_id=row.report_id,
            report_version=row.report_version,
            period=row.period,
            submission_id=row.id,
            attempts=0,
            next_attempt_at=now,
            last_error=f"retried by hand by {retried_by} after: {row.last_error}",
        )
    )
    updated = (await uow.connection.execute(select(submissions).where(submissions.c.id == submission_id))).one()
    return submission_view(updated)
