"""Reading the submission queue, retrying by hand, and the portal's state as compliance sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from ..common import Actor, not_found
from ..ports import ComplianceDatabase
from .portal import Breaker
from .queue import STATES, retry_submission, submission_view
from .worker import SubmissionWorker


@dataclass
class Submissions:
    """What the submission routes need: the database, the breaker and this process's workers (none when
    they run elsewhere)."""

    database: ComplianceDatabase
    adapter_name: str
    breaker: Breaker
    workers: list[SubmissionWorker] = field(default_factory=list)

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


async def portal_status(submissions: Submissions, actor: Actor) -> dict[str, Any]:
    """The RRC portal as compliance sees it: the breaker, and this organization's queue by state."""
    async with submissions.database.unit_of_work(actor.organization_id) as uow:
        counts = await uow.submissions.count_by_state()
    return {
        "adapter": submissions.adapter_name,
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
