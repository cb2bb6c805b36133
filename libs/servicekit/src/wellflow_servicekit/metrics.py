"""Prometheus instruments shared by the HTTP layer, the outbox relay and event consumers.

Each `Metrics` owns its own `CollectorRegistry` instead of the process-global one, so several apps (and
several tests) in one process never clash over duplicate names. `bootstrap` builds one per service and
hands it to `create_app`, the relay and the consumers; `/metrics` serves exactly that registry.

The metric names are a contract with dashboards and alerts: do not rename them. A service adds its own
instruments (breaker state, retry-queue depth...) on `metrics.registry`.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Request latencies of a CRUD service: most under 50 ms, the slow tail (reports, imports) in seconds.
HTTP_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The shared instruments of one service, registered on one registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.http_request_duration_seconds = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status code.",
            ["method", "route", "status"],
            buckets=HTTP_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.outbox_backlog = Gauge(
            "outbox_backlog",
            "Outbox rows written but not yet published to JetStream.",
            registry=self.registry,
        )
        self.outbox_oldest_age_seconds = Gauge(
            "outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox row (0 when the outbox is empty).",
            registry=self.registry,
        )
        self.outbox_published_total = Counter(
            "outbox_published_total",
            "Outbox rows published and acknowledged by JetStream.",
            registry=self.registry,
        )
        self.consumer_redeliveries_total = Counter(
            "consumer_redeliveries_total",
            "Events received again after a failed or unacknowledged delivery.",
            ["consumer"],
            registry=self.registry,
        )
        self.consumer_handled_total = Counter(
            "consumer_handled_total",
            "Events a consumer finished, by outcome (e.g. ok, duplicate, retry, dead_letter).",
            ["consumer", "outcome"],
            registry=self.registry,
        )
        self.dead_letters_total = Counter(
            "dead_letters_total",
            "Events given up on after the last delivery attempt and recorded as dead letters.",
            ["consumer"],
            registry=self.registry,
        )
        self.dead_letters_pending = Gauge(
            "dead_letters_pending",
            "Dead letters recorded and not yet replayed or dismissed.",
            registry=self.registry,
        )
