"""The submission worker: claims due submissions, attempts them through the breaker and tenacity, and
writes each outcome (see queue.py for a submission's life, docs/compliance-submission.md for the design).

Any number of workers (replicas) may run side by side: a claim locks due `submission_schedule` rows with
`FOR UPDATE SKIP LOCKED` and pushes their time forward by a lease longer than any attempt can take, so no
other worker takes them meanwhile, and a worker that dies leaves rows that come back when the lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

import asyncpg
from sqlalchemy import delete, func, select, text, update
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from wellflow_contracts.events.compliance import ReportAccepted, ReportRejected, SubmissionRetryScheduled
from wellflow_servicekit.database import Database, UnitOfWork

from .adapter import PortalAdapter, PortalRejected, PortalUnavailable
from .breaker import BreakerOpen, PortalBreaker
from .settings import PortalSettings
from .tables import submission_schedule, submissions

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "wellflow_submissions"  # sent by a trigger on submission_schedule inserts (migration 0002)

OutcomeHook = Callable[..., Awaitable[None]]
"""`on_outcome(uow, *, report_id, report_version, outcome, confirmation_number, reasons)`, run in the same
unit of work that records a final outcome (accepted or rejected), so the report version follows it."""

_CLAIM = text(
    """
    WITH due AS (
        SELECT submission_id FROM submission_schedule
         WHERE next_attempt_at <= :now
         ORDER BY next_attempt_at
         LIMIT :limit
           FOR UPDATE SKIP LOCKED
    )
    UPDATE submission_schedule AS s
       SET next_attempt_at = :lease_until, claimed_by = :worker
      FROM due
     WHERE s.submission_id = due.submission_id
 RETURNING s.submission_id, s.tenant_id
    """
)


RETRY_AFTER_CAP_SECONDS = 86400.0


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to."""

    outcome: str  # accepted, rejected, transient, refused (the breaker did not let any call through)
    calls: int
    confirmation_number: str | None = None
    accepted_at: datetime | None = None
    reasons: tuple[str, ...] = ()
    error: str | None = None
    retry_after: float | None = None


class WorkerMetrics(Protocol):
    def attempted(self, outcome: str) -> None: ...

    def gave_up(self) -> None: ...

    def queue_depth(self, depth: int) -> None: ...


class SubmissionWorker:
    """Sends queued submissions to the portal; any number of workers (replicas) may run side by side."""

    def __init__(
        self,
        database: Database,
        adapter: PortalAdapter,
        breaker: PortalBreaker,
        settings: PortalSettings,
        on_outcome: OutcomeHook | None = None,
        clock: Callable[[], datetime] = utcnow,
        *,
        metrics: WorkerMetrics | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.database = database
        self.adapter = adapter
        self.breaker = breaker
        self.settings = settings
        self.on_outcome = on_outcome
        self.clock = clock
        self.metrics = metrics
        self.worker_id = worker_id or f"worker-{secrets.token_hex(4)}"
        self._random = random.Random()  # noqa: S311 - jitter, not security
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._attempts: set[asyncio.Task[None]] = set()
        self.last_error: str | None = None
        self._release_on_cancel = True

    @property
    def lease_seconds(self) -> float:
        """How long a claim is held: longer than one attempt can take (every call timing out, every wait)."""
        s = self.settings
        return s.portal_timeout_seconds * (s.portal_retry_attempts + 1) + s.portal_retry_max_seconds * (
            s.portal_retry_attempts - 1
        )

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"submission-worker-{self.worker_id}")
            self._listener = asyncio.create_task(self._listen(), name=f"submission-listen-{self.worker_id}")

    async def stop(self, *, release: bool = True) -> None:
        """Stop claiming and cancel the attempts in progress.

        With `release` (a graceful shutdown) each cancelled attempt hands its submission back at once
        (queued, due now), so a restarted or other replica takes it without waiting for the lease; the call
        may have reached the portal, which the submission key makes harmless. `release=False` leaves what a
        crash leaves: in_flight rows whose leases run out before anyone takes them again.
        """
        self._release_on_cancel = release
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for attempt in list(self._attempts):
            attempt.cancel()
        if self._attempts:
            await asyncio.gather(*self._attempts, return_exceptions=True)

    async def _listen(self) -> None:
        """LISTEN for newly queued submissions (any process); polling covers the time it is not connected."""
        dsn = self.database.url.replace("postgresql+asyncpg://", "postgresql://", 1)
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _c, lost=lost: lost.set())
                await connection.add_listener(NOTIFY_CHANNEL, lambda *_args: self._wake.set())
                await lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.info("submission LISTEN connection unavailable (%s); polling meanwhile", exc)
            finally:
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close()
            await asyncio.sleep(1.0)

    def wake(self) -> None:
        """Look for due submissions now (a submission was queued or retried in this process)."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                handled = await self.run_once()
                failures = 0
                self.last_error = None
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is down, say: keep trying, never die
                failures += 1
                handled = 0
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("submission worker round failed (%s)", self.last_error)
            if handled:
                continue
            delay = self.settings.submission_poll_interval_seconds * (min(failures, 5) + 1 if failures else 1)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()
            self._wake.clear()

    async def run_once(self) -> int:
        """Claim one batch of due submissions and attempt them concurrently; the number claimed."""
        now = self.clock()
        async with self.database.unit_of_work(None) as uow:
            claimed = (
                await uow.connection.execute(
                    _CLAIM,
                    {
                        "now": now,
                        "limit": self.settings.submission_batch_size,
                        "lease_until": now + timedelta(seconds=self.lease_seconds),
                        "worker": self.worker_id,
                    },
                )
            ).all()
        if self.metrics is not None:
            await self._report_depth()
        if not claimed:
            return 0
        tasks = [asyncio.create_task(self._process(row.submission_id, row.tenant_id)) for row in claimed]
        self._attempts.update(tasks)
        try:
            results = await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._attempts.difference_update(tasks)
        for result in results:
            if isinstance(result, Exception):
                log.error("submission attempt failed unexpectedly", exc_info=result)
        return len(claimed)

    async def _report_depth(self) -> None:
        async with self.database.unit_of_work(None) as uow:
            depth = (await uow.connection.execute(select(func.count()).select_from(submission_schedule))).scalar_one()
        assert self.metrics is not None
        self.metrics.queue_depth(int(depth))

    async def _process(self, submission_id: UUID, tenant_id: UUID) -> None:
        attempt_no: int | None = None
        try:
            async with self.database.unit_of_work(tenant_id) as uow:
                row = (
                    await uow.connection.execute(
                        select(submissions).where(submissions.c.id == submission_id).with_for_update()
                    )
                ).one_or_none()
                if row is None or row.state not in ("queued", "in_flight"):
                    # already final (or gone): the schedule row is left over from a crash after the outcome
                    await uow.connection.execute(
                        delete(submission_schedule).where(submission_schedule.c.submission_id == submission_id)
                    )
                    return
                now = self.clock()
                attempt_no = row.attempts + 1
                await uow.connection.execute(
                    update(submissions)
                    .where(submissions.c.id == submission_id)
                    .values(state="in_flight", attempts=attempt_no, last_attempt_at=now, updated_at=now)
                )
            attempt = await self.attempt(row.submission_key, row.payload)
            if self.metrics is not None:
                self.metrics.attempted(attempt.outcome)
            async with self.database.unit_of_work(tenant_id) as uow:
                await self._record(uow, submission_id, attempt_no, attempt)
        except asyncio.CancelledError:
            # Cancelled anywhere after the mark (even while its commit was closing): hand it back. The release
            # only touches a row still in flight with this attempt's number, so it never undoes an outcome.
            if attempt_no is not None and self._release_on_cancel:
                await self._release(submission_id, tenant_id, attempt_no)
            raise

    async def _release(self, submission_id: UUID, tenant_id: UUID, attempt_no: int) -> None:
        now = self.clock()
        try:
            async with self.database.unit_of_work(tenant_id) as uow:
                released = await uow.connection.execute(
                    update(submissions)
                    .where(
                        submissions.c.id == submission_id,
                        submissions.c.state == "in_flight",
                        submissions.c.attempts == attempt_no,
                    )
                    .values(state="queued", next_attempt_at=now, updated_at=now)
                )
                if released.rowcount:
                    await uow.connection.execute(
                        update(submission_schedule)
                        .where(submission_schedule.c.submission_id == submission_id)
                        .values(next_attempt_at=now, claimed_by=None)
                    )
        except Exception as exc:  # the lease still brings it back, only later
            log.warning("could not hand back submission %s on shutdown (%s)", submission_id, exc)

    async def attempt(self, submission_key: str, payload: dict[str, Any]) -> Attempt:
        """One attempt: through the breaker, with tenacity's quick retries for transient failures only."""
        s = self.settings
        calls = 0
        last_unavailable: PortalUnavailable | None = None

        async def call() -> Any:
            nonlocal calls
            calls += 1
            return await self.adapter.submit(submission_key, payload)

        exponential = wait_exponential_jitter(
            multiplier=s.portal_retry_initial_seconds,
            max=s.portal_retry_max_seconds,
            jitter=s.portal_retry_initial_seconds,
        )

        def wait(retry_state: Any) -> float:
            error = retry_state.outcome.exception() if retry_state.outcome else None
            if isinstance(error, PortalUnavailable) and error.retry_after is not None:
                return min(error.retry_after, s.portal_retry_max_seconds)
            return exponential(retry_state)

        def advice_too_long(retry_state: Any) -> bool:
            error = retry_state.outcome.exception() if retry_state.outcome else None
            return (
                isinstance(error, PortalUnavailable)
                and error.retry_after is not None
                and error.retry_after > s.portal_retry_max_seconds
            )

        try:
            async for try_ in AsyncRetrying(
                retry=retry_if_exception_type(PortalUnavailable),  # never CancelledError, BreakerOpen, rejections
                stop=stop_after_attempt(s.portal_retry_attempts) | advice_too_long,
                wait=wait,
                reraise=True,
            ):
                with try_:
                    try:
                        receipt = await self.breaker.call(call)
                    except PortalUnavailable as exc:
                        last_unavailable = exc
                        raise
        except PortalRejected as exc:
            return Attempt("rejected", calls, reasons=tuple(exc.reasons))
        except BreakerOpen as exc:
            if calls == 0:
                return Attempt("refused", 0, error=str(exc), retry_after=exc.retry_after)
            error = f"{last_unavailable}; then {exc}" if last_unavailable else str(exc)
            return Attempt("transient", calls, error=error, retry_after=exc.retry_after)
        except PortalUnavailable as exc:
            return Attempt("transient", calls, error=exc.reason, retry_after=exc.retry_after)
        except NotImplementedError as exc:
            return Attempt("transient", calls, error=str(exc))
        except Exception as exc:  # a bug or an unreadable answer: keep the submission, show the error
            log.exception("unexpected error while filing submission %s", submission_key)
            return Attempt("transient", calls, error=f"{type(exc).__name__}: {exc}")
        return Attempt(
            "accepted", calls, confirmation_number=receipt.confirmation_number, accepted_at=receipt.accepted_at
        )

    def backoff_seconds(self, attempt_no: int, retry_after: float | None) -> float:
        """Wait before the next queued attempt: the portal's advice if it gave one, else exponential backoff
        (base x 2^(n-1), capped at SUBMISSION_BACKOFF_MAX_SECONDS) with "equal jitter" (between half and all
        of it), so replicas spread out."""
        s = self.settings
        if retry_after is not None:  # the portal's advice wins over our own cap, within a day
            return min(max(retry_after, 0.0), RETRY_AFTER_CAP_SECONDS)
        ceiling = min(s.submission_backoff_max_seconds, s.submission_backoff_base_seconds * 2 ** (attempt_no - 1))
        return ceiling / 2 + self._random.uniform(0, ceiling / 2)

    async def _record(self, uow: UnitOfWork, submission_id: UUID, attempt_no: int, attempt: Attempt) -> None:
        now = self.clock()
        row = (
            await uow.connection.execute(select(submissions).where(submissions.c.id == submission_id).with_for_update())
        ).one_or_none()
        if row is None or row.state != "in_flight" or row.attempts != attempt_no:
            log.info("submission %s was taken over while this attempt ran; its outcome is not recorded", submission_id)
            return
        where = submissions.c.id == submission_id
        schedule = submission_schedule.c.submission_id == submission_id
        facts = {"report_id": row.report_id, "report_version": row.report_version, "period": row.period}

        if attempt.outcome == "accepted":
            await uow.connection.execute(
                update(submissions)
                .where(where)
                .values(
                    state="accepted",
                    confirmation_number=attempt.confirmation_number,
                    accepted_at=attempt.accepted_at,
                    next_attempt_at=None,
                    last_error=None,
                    updated_at=now,
                )
            )
            await uow.connection.execute(delete(submission_schedule).where(schedule))
            await self._notify(uow, row, "accepted", attempt.confirmation_number, [])
            assert attempt.confirmation_number is not None and attempt.accepted_at is not None
            uow.record(
                ReportAccepted(
                    tenant_id=row.organization_id,
                    occurred_at=now,
                    submission_id=row.id,
                    confirmation_number=attempt.confirmation_number,
                    accepted_at=attempt.accepted_at,
                    **facts,
                )
            )
            return

        if attempt.outcome == "rejected":
            reasons = list(attempt.reasons)
            await uow.connection.execute(
                update(submissions)
                .where(where)
                .values(state="rejected", reasons=reasons, next_attempt_at=None, last_error=None, updated_at=now)
            )
            await uow.connection.execute(delete(submission_schedule).where(schedule))
            await self._notify(uow, row, "rejected", None, reasons)
            uow.record(
                ReportRejected(
                    tenant_id=row.organization_id, occurred_at=now, submission_id=row.id, reasons=reasons, **facts
                )
            )
            return

        if attempt.outcome == "refused":  # no call reached the portal: not an attempt
            jitter = self._random.uniform(0.05, 0.5)
            next_at = now + timedelta(seconds=(attempt.retry_after or 0.0) + jitter)
            await uow.connection.execute(
                update(submissions)
                .where(where)
                .values(state="queued", attempts=attempt_no - 1, next_attempt_at=next_at, updated_at=now)
            )
            await uow.connection.execute(
                update(submission_schedule).where(schedule).values(next_attempt_at=next_at, claimed_by=None)
            )
            return

        error = (attempt.error or "unknown error")[:2000]
        if attempt_no >= self.settings.submission_max_attempts:
            await uow.connection.execute(
                update(submissions)
                .where(where)
                .values(state="failed", last_error=error, next_attempt_at=None, updated_at=now)
            )
            await uow.connection.execute(delete(submission_schedule).where(schedule))
            if self.metrics is not None:
                self.metrics.gave_up()
            log.error(
                "ALERT: Form PR submission %s (report %s v%s) failed after %s attempts: %s",
                row.id,
                row.report_id,
                row.report_version,
                attempt_no,
                error,
            )
            uow.record(
                SubmissionRetryScheduled(
                    tenant_id=row.organization_id,
                    occurred_at=now,
                    submission_id=row.id,
                    attempts=attempt_no,
                    next_attempt_at=None,
                    last_error=error,
                    gave_up=True,
                    **facts,
                )
            )
            return
        next_at = now + timedelta(seconds=self.backoff_seconds(attempt_no, attempt.retry_after))
        await uow.connection.execute(
            update(submissions)
            .where(where)
            .values(state="queued", last_error=error, next_attempt_at=next_at, updated_at=now)
        )
        await uow.connection.execute(
            update(submission_schedule).where(schedule).values(next_attempt_at=next_at, claimed_by=None)
        )
        uow.record(
            SubmissionRetryScheduled(
                tenant_id=row.organization_id,
                occurred_at=now,
                submission_id=row.id,
                attempts=attempt_no,
                next_attempt_at=next_at,
                last_error=error,
                **facts,
            )
        )

    async def _notify(
        self, uow: UnitOfWork, row: Any, outcome: str, confirmation_number: str | None, reasons: list[str]
    ) -> None:
        if self.on_outcome is None:
            return
        await self.on_outcome(
            uow,
            report_id=row.report_id,
            report_version=row.report_version,
            outcome=outcome,
            confirmation_number=confirmation_number,
            reasons=reasons,
        )
