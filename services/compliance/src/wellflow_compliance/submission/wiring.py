"""Plugging the submission machinery into the compliance app: the router, the worker in the app's lifespan,
breaker state and queue depth in /metrics, and the portal's state in `/health/portal`.

`ServiceRuntime` has no hook for a service's own background tasks or readiness details, so the worker is
started by wrapping the app's lifespan (inside the runtime's: the database is open before the worker starts
and still open while it stops), and the breaker is reported on its own probe instead of `/health/ready`:
an open breaker means filings wait in the queue (degraded), not that compliance cannot serve (unready).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import Counter, Gauge

from wellflow_servicekit.database import Database
from wellflow_servicekit.runtime import ServiceRuntime

from .adapter import PortalAdapter, RrcPortalAdapter, StandInPortalAdapter
from .breaker import STATE_VALUES, PortalBreaker
from .http import health_router, router
from .settings import PortalSettings
from .worker import OutcomeHook, SubmissionWorker, utcnow


@dataclass
class Submissions:
    """What the routes need: the database, the breaker, the worker (None when it runs elsewhere)."""

    database: Database
    settings: PortalSettings
    adapter: PortalAdapter
    breaker: PortalBreaker
    worker: SubmissionWorker | None

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    @property
    def worker_running(self) -> bool:
        return self.worker is not None and self.worker.running

    @property
    def worker_error(self) -> str | None:
        return self.worker.last_error if self.worker is not None else None


class SubmissionMetrics:
    """`portal_breaker_state` (0 closed, 1 half-open, 2 open), `portal_breaker_failures`,
    `submission_attempts_total{outcome}`, `submission_failed_total` and `submission_queue_depth`, on the
    service's own registry."""

    def __init__(self, registry: Any, breaker: PortalBreaker) -> None:
        self.breaker_state = Gauge(
            "portal_breaker_state", "RRC portal circuit breaker: 0 closed, 1 half-open, 2 open.", registry=registry
        )
        self.breaker_state.set_function(lambda: STATE_VALUES[breaker.state])
        self.breaker_failures = Gauge(
            "portal_breaker_failures", "Consecutive portal failures counted by the breaker.", registry=registry
        )
        self.breaker_failures.set_function(lambda: breaker.fail_counter)
        self.attempts = Counter(
            "submission_attempts_total",
            "Submission attempts by outcome: accepted, rejected, transient, refused (breaker open, no call).",
            ["outcome"],
            registry=registry,
        )
        self.failed = Counter(
            "submission_failed_total",
            "Submissions given up on after SUBMISSION_MAX_ATTEMPTS transient failures (alert on any increase).",
            registry=registry,
        )
        self.depth = Gauge(
            "submission_queue_depth", "Submissions waiting for an attempt or in flight, all tenants.", registry=registry
        )

    def attempted(self, outcome: str) -> None:
        self.attempts.labels(outcome=outcome).inc()

    def gave_up(self) -> None:
        self.failed.inc()

    def queue_depth(self, depth: int) -> None:
        self.depth.set(depth)


def build_adapter(settings: PortalSettings) -> PortalAdapter:
    if settings.rrc_portal_adapter == "rrc":
        return RrcPortalAdapter()
    return StandInPortalAdapter(settings.rrc_portal_url, timeout_seconds=settings.portal_timeout_seconds)


def _record_outcome() -> OutcomeHook:
    from ..app.reports import record_submission_outcome  # the report use cases own the version's state

    return record_submission_outcome


def install_submissions(
    app: FastAPI,
    runtime: ServiceRuntime,
    settings: PortalSettings,
    *,
    adapter: PortalAdapter | None = None,
    on_outcome: OutcomeHook | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Submissions:
    """Add the submission routes and run the worker for the app's lifetime (unless disabled by settings)."""
    adapter = adapter or build_adapter(settings)
    breaker = PortalBreaker(fail_max=settings.breaker_fail_max, reset_timeout=settings.breaker_reset_timeout_seconds)
    metrics = SubmissionMetrics(runtime.metrics.registry, breaker)
    worker = None
    if settings.submission_worker_enabled:
        worker = SubmissionWorker(
            runtime.database,
            adapter,
            breaker,
            settings,
            on_outcome=on_outcome or _record_outcome(),
            clock=clock,
            metrics=metrics,
        )
    machinery = Submissions(runtime.database, settings, adapter, breaker, worker)
    app.state.submissions = machinery
    app.include_router(router)
    app.include_router(health_router)

    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            if worker is not None:
                await worker.start()
            try:
                yield state
            finally:
                if worker is not None:
                    await worker.stop()
                await adapter.aclose()

    app.router.lifespan_context = lifespan
    return machinery
