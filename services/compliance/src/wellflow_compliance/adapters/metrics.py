"""The submission queue's Prometheus metrics, on the service's own registry."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Gauge

from .breaker import STATE_VALUES, PortalBreaker


class SubmissionMetrics:
    """`portal_breaker_state` (0 closed, 1 half-open, 2 open), `portal_breaker_failures`,
    `submission_attempts_total{outcome}`, `submission_failed_total` and `submission_queue_depth`."""

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
