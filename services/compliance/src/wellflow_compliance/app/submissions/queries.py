"""Reading the submission queue, retrying by hand, and the portal's state as compliance sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import Clock, utcnow

from ..common import Actor, not_found
from ..ports import ComplianceDatabase
from .confirm import record_confirmation
from .outcomes import OutcomeHook
from .portal import Breaker
from .queue import STAND_IN, STAND_IN_NOTICE, STATES, retry_submission, submission_view
from .worker import SubmissionWorker


@dataclass
class Submissions:
    """What the submission routes need: the database, the breaker, this process's workers (none when they
    run elsewhere or nothing is sent: the manual adapter), and what a recorded confirmation tells the reports
    (``on_outcome``, as the worker's)."""

    database: ComplianceDatabase
    adapter_name: str
    breaker: Breaker
    workers: list[SubmissionWorker] = field(default_factory=list)
    on_outcome: OutcomeHook | None = None
    clock: Clock = utcnow

    def wake(self) -> None:
        for worker in self.workers:
            worker.wake()

    @property
    def worker_running(self) -> bool:
        return any(worker.running for worker in self.workers)

    @property
    def worker_error(self) -> str | None:
        return next((worker.last_error for worker in self.workers if worker.last_error), None)


async def list_submissions(
    submissions: Submissions,
    actor: Actor,
    *,
    state: str | None,
    period: date | None,
    report_id: UUID | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        page = await uow.submissions.find(state=state, period=period, report_id=report_id, limit=limit, offset=offset)
    return {
        "items": [submission_view(row) for row in page.items],
        "total": page.total,
        "limit": limit,
        "offset": offset,
    }


def _not_found() -> Exception:
    return not_found("The submission")


async def get_submission(submissions: Submissions, actor: Actor, submission_id: UUID) -> dict[str, Any]:
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        row = await uow.submissions.get(submission_id)
    if row is None:
        raise _not_found()
    return submission_view(row)


async def retry(submissions: Submissions, actor: Actor, submission_id: UUID) -> dict[str, Any]:
    """Re-queue a failed submission (idempotent for a queued one; 409 for accepted and rejected ones)."""
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        view = await retry_submission(uow, submission_id, retried_by=actor.id)
    if view is None:
        raise _not_found()
    submissions.wake()
    return view


async def confirm(
    submissions: Submissions,
    actor: Actor,
    submission_id: UUID,
    *,
    confirmation_number: str,
    confirmation_date: date | None,
    note: str | None,
) -> dict[str, Any]:
    """Record the RRC's confirmation number of a submission awaiting it (see ``confirm.py``)."""
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        return await record_confirmation(
            uow,
            submission_id,
            actor,
            confirmation_number=confirmation_number,
            confirmation_date=confirmation_date,
            note=note,
            now=submissions.clock(),
            on_outcome=submissions.on_outcome,
        )


async def package_payload(submissions: Submissions, actor: Actor, submission_id: UUID) -> dict[str, Any]:
    """The frozen version a submission files, exactly as submitted: what its filing package renders."""
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        row = await uow.submissions.get(submission_id)
    if row is None:
        raise _not_found()
    return row["payload"]  # type: ignore[no-any-return]


async def portal_status(submissions: Submissions, actor: Actor) -> dict[str, Any]:
    """The RRC portal as compliance sees it: the adapter, the breaker, and this organization's queue by state."""
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        counts = await uow.submissions.count_by_state()
    return {
        "adapter": submissions.adapter_name,
        "stand_in": submissions.adapter_name == STAND_IN,
        "notice": STAND_IN_NOTICE if submissions.adapter_name == STAND_IN else None,
        "breaker": submissions.breaker.snapshot(),
        "queue": {state: counts.get(state, 0) for state in STATES},
    }


def portal_health(submissions: Submissions) -> dict[str, Any]:
    """`ok`, or `degraded` while the breaker is not closed (an unreachable portal degrades, never unreadies)."""
    breaker = submissions.breaker.snapshot()
    return {
        "status": "ok" if breaker["state"] == "closed" else "degraded",
        "breaker": breaker,
        "worker": {"running": submissions.worker_running, "last_error": submissions.worker_error},
    }
