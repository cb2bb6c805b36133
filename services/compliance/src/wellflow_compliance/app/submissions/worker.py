"""The submission worker: claims due submissions, attempts them (``attempts``) and writes each outcome
(``outcomes``); see the package's docstring for a submission's life, docs/compliance-submission.md for the
design.

Any number of workers (replicas) may run side by side: a claim locks due ``submission_schedule`` rows with
``FOR UPDATE SKIP LOCKED`` and pushes their time forward by a lease longer than any attempt can take, so no
other worker takes them meanwhile, and a worker that dies leaves rows that come back when the lease runs out.
A worker is a ``Background`` object (``start``/``stop``) that bootstrap.py hands to the runtime.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import Clock, utcnow

from ..ports import ComplianceDatabase
from .attempts import Attempt, attempt, backoff_seconds
from .outcomes import OutcomeHook, Outcomes
from .portal import Breaker, PortalAdapter, QueuePolicy, WorkerMetrics

log = logging.getLogger(__name__)

Listen = Callable[[asyncio.Event, asyncio.Event], Coroutine[Any, Any, None]]
"""``listen(wake, stopping)``: sets ``wake`` whenever a submission is queued, until ``stopping`` is set."""


class SubmissionWorker:
    """Sends queued submissions to the portal; any number of workers (replicas) may run side by side."""

    def __init__(
        self,
        database: ComplianceDatabase,
        adapter: PortalAdapter,
        breaker: Breaker,
        settings: QueuePolicy,
        on_outcome: OutcomeHook | None = None,
        clock: Clock = utcnow,
        *,
        metrics: WorkerMetrics | None = None,
        worker_id: str | None = None,
        listen: Listen | None = None,
    ) -> None:
        self.database = database
        self.adapter = adapter
        self.breaker = breaker
        self.clock = clock
        self.metrics = metrics
        self.worker_id = worker_id or f"worker-{secrets.token_hex(4)}"
        self.listen = listen
        self._random = random.Random()  # noqa: S311 - jitter, not security
        self.outcomes = Outcomes(settings, on_outcome, metrics, self._random)
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._attempts: set[asyncio.Task[None]] = set()
        self.last_error: str | None = None
        self._release_on_cancel = True

    @property
    def settings(self) -> QueuePolicy:
        return self.outcomes.policy

    @settings.setter
    def settings(self, settings: QueuePolicy) -> None:
        self.outcomes.policy = settings

    @property
    def lease_seconds(self) -> float:
        """How long a claim is held: longer than one attempt can take (every call timing out, every wait)."""
        s = self.settings
        return s.portal_timeout_seconds * (s.portal_retry_attempts + 1) + s.portal_retry_max_seconds * (
            s.portal_retry_attempts - 1
        )

    async def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._run(), name=f"submission-worker-{self.worker_id}")
            if self.listen is not None:
                listening = self.listen(self._wake, self._stopping)
                self._listener = asyncio.create_task(listening, name=f"submission-listen-{self.worker_id}")

    async def stop(self, *, release: bool = True) -> None:
        """Stop claiming and cancel the attempts in progress.

        With `release` (a graceful shutdown) each cancelled attempt hands its submission back at once
        (queued, due now), so a restarted or other replica takes it without waiting for the lease; the call
        may have reached the portal, which the submission key makes harmless. `release=False` leaves what a
        crash leaves: in_flight rows whose leases run out before anyone takes them again.
        """
        self._release_on_cancel = release
        self._stopping.set()
        for name in ("_listener", "_task"):
            task = getattr(self, name)
            setattr(self, name, None)
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for running in list(self._attempts):
            running.cancel()
        if self._attempts:
            await asyncio.gather(*self._attempts, return_exceptions=True)

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
            claimed = await uow.schedule.claim_due(
                now=now,
                limit=self.settings.submission_batch_size,
                lease_until=now + timedelta(seconds=self.lease_seconds),
                worker=self.worker_id,
            )
        if self.metrics is not None:
            async with self.database.unit_of_work(None) as uow:
                self.metrics.queue_depth(await uow.schedule.depth())
        if not claimed:
            return 0
        tasks = [asyncio.create_task(self._process(submission_id, tenant_id)) for submission_id, tenant_id in claimed]
        self._attempts.update(tasks)
        try:
            results = await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._attempts.difference_update(tasks)
        for result in results:
            if isinstance(result, Exception):
                log.error("submission attempt failed unexpectedly", exc_info=result)
        return len(claimed)

    async def _mark_in_flight(
        self, submission_id: UUID, tenant_id: UUID, progress: dict[str, int]
    ) -> dict[str, Any] | None:
        """Count the attempt and mark the submission in flight (committed before the portal is called);
        ``progress["attempt_no"]`` is set before the commit, so a cancellation during it still hands back."""
        async with self.database.unit_of_work(tenant_id) as uow:
            row = await uow.submissions.get(submission_id, for_update=True)
            if row is None or row["state"] not in ("queued", "in_flight"):
                # already final (or gone): the schedule row is left over from a crash after the outcome
                await uow.schedule.remove(submission_id)
                return None
            now = self.clock()
            attempt_no = row["attempts"] + 1
            await uow.submissions.change(
                submission_id, state="in_flight", attempts=attempt_no, last_attempt_at=now, updated_at=now
            )
            progress["attempt_no"] = attempt_no
        return row

    async def _process(self, submission_id: UUID, tenant_id: UUID) -> None:
        progress: dict[str, int] = {}
        try:
            row = await self._mark_in_flight(submission_id, tenant_id, progress)
            if row is None:
                return
            attempt_no = progress["attempt_no"]
            result = await self.attempt(row["submission_key"], row["payload"])
            if self.metrics is not None:
                self.metrics.attempted(result.outcome)
            async with self.database.unit_of_work(tenant_id) as uow:
                await self.outcomes.record(uow, submission_id, attempt_no, result, self.clock())
        except asyncio.CancelledError:
            # Cancelled anywhere after the mark (even while its commit was closing): hand it back. The release
            # only touches a row still in flight with this attempt's number, so it never undoes an outcome.
            if "attempt_no" in progress and self._release_on_cancel:
                await self._release(submission_id, tenant_id, progress["attempt_no"])
            raise

    async def _release(self, submission_id: UUID, tenant_id: UUID, attempt_no: int) -> None:
        now = self.clock()
        try:
            async with self.database.unit_of_work(tenant_id) as uow:
                if await uow.submissions.release(submission_id, attempt_no, now):
                    await uow.schedule.reschedule(submission_id, now)
        except Exception as exc:  # the lease still brings it back, only later
            log.warning("could not hand back submission %s on shutdown (%s)", submission_id, exc)

    async def attempt(self, submission_key: str, payload: dict[str, Any]) -> Attempt:
        """One attempt: through the breaker, with tenacity's quick retries for transient failures only."""
        return await attempt(self.adapter, self.breaker, self.settings, submission_key, payload)

    def backoff_seconds(self, attempt_no: int, retry_after: float | None) -> float:
        """Wait before the next queued attempt (see ``attempts.backoff_seconds``)."""
        return backoff_seconds(self.settings, attempt_no, retry_after, self._random)
