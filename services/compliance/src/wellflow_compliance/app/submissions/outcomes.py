"""Writing what an attempt came to, in one unit of work of the submission's tenant: a final answer
(accepted, rejected), a refusal by the breaker (not an attempt), a retry scheduled, or giving up."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import (
    FiledVia,
    ReportAccepted,
    ReportConfirmed,
    ReportRejected,
    SubmissionRetryScheduled,
)

from ..ports import ComplianceWork
from .attempts import Attempt, backoff_seconds
from .portal import QueuePolicy, WorkerMetrics

log = logging.getLogger(__name__)

OutcomeHook = Callable[..., Awaitable[None]]
"""`on_outcome(uow, *, report_id, report_version, outcome, confirmation_number, reasons, filed_via,
confirmed_by)`, run in the same unit of work that records a final outcome (accepted or rejected) or a recorded
confirmation, so the report version and the month's obligation follow it."""


@dataclass
class Outcomes:
    """Records attempts' outcomes for one worker (its policy, metrics, jitter and outcome hook)."""

    policy: QueuePolicy
    on_outcome: OutcomeHook | None = None
    metrics: WorkerMetrics | None = None
    jitter: random.Random | None = None

    def __post_init__(self) -> None:
        self.jitter = self.jitter or random.Random()  # noqa: S311 - jitter, not security

    async def record(
        self, uow: ComplianceWork, submission_id: UUID, attempt_no: int, attempt: Attempt, now: datetime
    ) -> None:
        row = await uow.submissions.get(submission_id, for_update=True)
        if row is None or row["state"] != "in_flight" or row["attempts"] != attempt_no:
            log.info("submission %s was taken over while this attempt ran; its outcome is not recorded", submission_id)
            return
        if attempt.outcome == "accepted":
            await self._accepted(uow, row, attempt, now)
        elif attempt.outcome == "rejected":
            await self._rejected(uow, row, attempt, now)
        elif attempt.outcome == "refused":  # no call reached the portal: not an attempt
            await self._refused(uow, row, attempt_no, attempt, now)
        elif attempt_no >= self.policy.submission_max_attempts:
            await self._given_up(uow, row, attempt_no, attempt, now)
        else:
            await self._retry_later(uow, row, attempt_no, attempt, now)

    @staticmethod
    def _facts(uow: ComplianceWork, row: dict[str, Any], now: datetime) -> dict[str, Any]:
        return {
            "tenant_id": uow.tenant_id,
            "occurred_at": now,
            "submission_id": row["id"],
            "report_id": row["report_id"],
            "report_version": row["report_version"],
            "period": row["period"],
        }

    async def _accepted(self, uow: ComplianceWork, row: dict[str, Any], attempt: Attempt, now: datetime) -> None:
        """The adapter's acceptance. The stand-in's is recorded as what it is (``filed_via`` stand-in: nothing
        reached the RRC, the obligation stays open); a real RRC adapter's is the RRC's confirmation too."""
        filed_via = answered_by(self.policy.rrc_portal_adapter)
        await uow.submissions.change(
            row["id"],
            state="accepted",
            filed_via=filed_via,
            confirmation_number=attempt.confirmation_number,
            accepted_at=attempt.accepted_at,
            next_attempt_at=None,
            last_error=None,
            updated_at=now,
        )
        await uow.schedule.remove(row["id"])
        await self._notify(uow, row, "accepted", attempt.confirmation_number, [], filed_via)
        assert attempt.confirmation_number is not None and attempt.accepted_at is not None
        facts = self._facts(uow, row, now)
        uow.record(
            ReportAccepted(
                **facts,
                confirmation_number=attempt.confirmation_number,
                accepted_at=attempt.accepted_at,
                filed_via=filed_via,
            )
        )
        if filed_via == "rrc":
            uow.record(ReportConfirmed(**facts, confirmation_number=attempt.confirmation_number, filed_via="rrc"))

    async def _rejected(self, uow: ComplianceWork, row: dict[str, Any], attempt: Attempt, now: datetime) -> None:
        reasons = list(attempt.reasons)
        await uow.submissions.change(
            row["id"], state="rejected", reasons=reasons, next_attempt_at=None, last_error=None, updated_at=now
        )
        await uow.schedule.remove(row["id"])
        await self._notify(uow, row, "rejected", None, reasons, answered_by(self.policy.rrc_portal_adapter))
        uow.record(ReportRejected(**self._facts(uow, row, now), reasons=reasons))

    async def _refused(
        self, uow: ComplianceWork, row: dict[str, Any], attempt_no: int, attempt: Attempt, now: datetime
    ) -> None:
        assert self.jitter is not None
        next_at = now + timedelta(seconds=(attempt.retry_after or 0.0) + self.jitter.uniform(0.05, 0.5))
        await uow.submissions.change(
            row["id"], state="queued", attempts=attempt_no - 1, next_attempt_at=next_at, updated_at=now
        )
        await uow.schedule.reschedule(row["id"], next_at)

    async def _given_up(
        self, uow: ComplianceWork, row: dict[str, Any], attempt_no: int, attempt: Attempt, now: datetime
    ) -> None:
        error = (attempt.error or "unknown error")[:2000]
        await uow.submissions.change(row["id"], state="failed", last_error=error, next_attempt_at=None, updated_at=now)
        await uow.schedule.remove(row["id"])
        if self.metrics is not None:
            self.metrics.gave_up()
        log.error(
            "ALERT: Form PR submission %s (report %s v%s) failed after %s attempts: %s",
            row["id"],
            row["report_id"],
            row["report_version"],
            attempt_no,
            error,
        )
        uow.record(
            SubmissionRetryScheduled(
                **self._facts(uow, row, now),
                attempts=attempt_no,
                next_attempt_at=None,
                last_error=error,
                gave_up=True,
            )
        )

    async def _retry_later(
        self, uow: ComplianceWork, row: dict[str, Any], attempt_no: int, attempt: Attempt, now: datetime
    ) -> None:
        assert self.jitter is not None
        error = (attempt.error or "unknown error")[:2000]
        next_at = now + timedelta(seconds=backoff_seconds(self.policy, attempt_no, attempt.retry_after, self.jitter))
        await uow.submissions.change(
            row["id"], state="queued", last_error=error, next_attempt_at=next_at, updated_at=now
        )
        await uow.schedule.reschedule(row["id"], next_at)
        uow.record(
            SubmissionRetryScheduled(
                **self._facts(uow, row, now), attempts=attempt_no, next_attempt_at=next_at, last_error=error
            )
        )

    async def _notify(
        self,
        uow: ComplianceWork,
        row: dict[str, Any],
        outcome: str,
        confirmation_number: str | None,
        reasons: list[str],
        filed_via: FiledVia,
    ) -> None:
        if self.on_outcome is None:
            return
        await self.on_outcome(
            uow,
            report_id=row["report_id"],
            report_version=row["report_version"],
            outcome=outcome,
            confirmation_number=confirmation_number,
            reasons=reasons,
            filed_via=filed_via,
            confirmed_by=None,
        )


def answered_by(adapter: str) -> FiledVia:
    """The adapter that answered, as a submission records it: only a real RRC adapter is the RRC; any other
    answering adapter (the stand-in, a test's) is recorded as the stand-in, so it never closes an obligation."""
    return "rrc" if adapter == "rrc" else "stand-in"
