"""Prometheus instruments shared by the HTTP layer, the outbox relay, event consumers and the database.

Each `Metrics` owns its own `CollectorRegistry` instead of the process-global one, so several apps (and
several tests) in one process never clash over duplicate names. `bootstrap` builds one per service and
hands it to `create_app`, the relay and the consumers; `/metrics` serves exactly that registry.

The metric names and labels are a contract with the dashboards and alert rules under
deploy/observability (docs/observability.md lists them): do not rename them. Labels are bounded: route
templates, consumer names, repository classes and methods, states; never ids or tenants.

The hot paths (a request, a handled event, a repository call) look up their label children once and keep
them (`_children`), so each observation is a dict lookup and an add, without building label tuples again.

A service adds its own instruments (breaker state, retry-queue depth...) on `metrics.registry`, and its
business figures with `business_gauge` (refreshed in the background, see there).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# Request latencies of a CRUD service: most under 50 ms, the slow tail (reports, imports) in seconds.
# 0.2 is the API latency objective's threshold (docs/observability.md): the SLO reads that bucket.
HTTP_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
# From an event's commit to its handling: milliseconds when healthy, minutes to hours when a consumer
# was down. 5 s is the event lag objective's threshold.
EVENT_LAG_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
# Repository calls: one or a few statements, sub-millisecond to a slow report.
STATEMENT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_SIZE_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 200, 500, 1000)

BusinessValue = float | int | Mapping[str | tuple[str, ...], float | int]
BusinessRead = Callable[[], Awaitable[BusinessValue]]


class PoolState(Protocol):
    """What the database collector reads at scrape time (`database.Database` has it)."""

    def pool_in_use(self) -> int: ...

    def pool_capacity(self) -> int: ...

    @property
    def pool_waiting(self) -> int: ...


@dataclass
class ConsumerInstruments:
    """The label children of one consumer, looked up once (`Metrics.consumer`)."""

    handle: Any
    lag: Any
    last_handled: Any
    redeliveries: Any
    dead_letters: Any
    outcomes: dict[str, Any] = field(default_factory=dict)


@dataclass
class BusinessGauge:
    gauge: Gauge
    read: BusinessRead
    interval: float
    labels: tuple[str, ...]
    due: float = 0.0


class Metrics:
    """The shared instruments of one service, registered on one registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self._http_children: dict[tuple[str, str, int], Any] = {}
        self._consumers: dict[str, ConsumerInstruments] = {}
        self._repository_children: dict[tuple[str, str], Any] = {}
        self.business: dict[str, BusinessGauge] = {}
        self._http()
        self._outbox()
        self._consumer_instruments()
        self._database()

    def _http(self) -> None:
        self.http_request_duration_seconds = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status code.",
            ["method", "route", "status"],
            buckets=HTTP_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.health_ready = Gauge(
            "health_ready",
            "1 when the last /health/ready answered ready, 0 when it answered 503 (NaN before the first probe).",
            registry=self.registry,
        )
        self.health_ready.set(float("nan"))  # a process nobody probes is not reported as unready
        self.health_check_ok = Gauge(
            "health_check_ok",
            "1 when a readiness check passed at the last /health/ready, 0 when it failed, by check.",
            ["check"],
            registry=self.registry,
        )

    def _outbox(self) -> None:
        self.outbox_backlog = Gauge(
            "outbox_backlog", "Outbox rows written but not yet published to JetStream.", registry=self.registry
        )
        self.outbox_oldest_age_seconds = Gauge(
            "outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox row (0 when the outbox is empty).",
            registry=self.registry,
        )
        self.outbox_published_total = Counter(
            "outbox_published_total", "Outbox rows published and acknowledged by JetStream.", registry=self.registry
        )
        self.outbox_publish_duration_seconds = Histogram(
            "outbox_publish_duration_seconds",
            "Time for one relay round that published events: claim, publish, every PubAck, mark sent, commit.",
            buckets=HTTP_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.outbox_publish_batch_size = Histogram(
            "outbox_publish_batch_size",
            "Events claimed by one relay round that found any.",
            buckets=BATCH_SIZE_BUCKETS,
            registry=self.registry,
        )

    def _consumer_instruments(self) -> None:
        self.consumer_redeliveries_total = Counter(
            "consumer_redeliveries_total",
            "Events received again after a failed or unacknowledged delivery.",
            ["consumer"],
            registry=self.registry,
        )
        self.consumer_handled_total = Counter(
            "consumer_handled_total",
            "Events a consumer finished, by outcome (applied, duplicate, retried, dead_lettered).",
            ["consumer", "outcome"],
            registry=self.registry,
        )
        self.consumer_handle_duration_seconds = Histogram(
            "consumer_handle_duration_seconds",
            "Time to handle one event: inbox claim, handler, commit and ack (or the nak of a failure).",
            ["consumer"],
            buckets=HTTP_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.consumer_event_lag_seconds = Histogram(
            "consumer_event_lag_seconds",
            "From the event's time (its envelope's ce-time, set in the producer's transaction) to its handling.",
            ["consumer"],
            buckets=EVENT_LAG_BUCKETS,
            registry=self.registry,
        )
        self.consumer_last_handled_timestamp_seconds = Gauge(
            "consumer_last_handled_timestamp_seconds",
            "Unix time a consumer last finished an event (age: time() - this).",
            ["consumer"],
            registry=self.registry,
        )
        self.consumer_pending_messages = Gauge(
            "consumer_pending_messages",
            "Messages in the stream the durable consumer has not been handed yet (JetStream num_pending).",
            ["consumer"],
            registry=self.registry,
        )
        self.consumer_ack_pending_messages = Gauge(
            "consumer_ack_pending_messages",
            "Messages handed to the durable consumer and not yet acknowledged (JetStream num_ack_pending).",
            ["consumer"],
            registry=self.registry,
        )
        self.dead_letters_total = Counter(
            "dead_letters_total",
            "Events given up on after the last delivery attempt and recorded as dead letters.",
            ["consumer"],
            registry=self.registry,
        )
        self.dead_letters_pending = Gauge(
            "dead_letters_pending", "Dead letters recorded and not yet replayed or dismissed.", registry=self.registry
        )

    def _database(self) -> None:
        self.db_repository_duration_seconds = Histogram(
            "db_repository_duration_seconds",
            "Time in one repository method call (its SQL statements), by repository class and method.",
            ["repository", "method"],
            buckets=STATEMENT_BUCKETS,
            registry=self.registry,
        )

    # -- hot paths -----------------------------------------------------------------------------------

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        child = self._http_children.get(key)
        if child is None:
            child = self._http_children[key] = self.http_request_duration_seconds.labels(method, route, str(status))
        child.observe(seconds)

    def consumer(self, name: str) -> ConsumerInstruments:
        instruments = self._consumers.get(name)
        if instruments is None:
            instruments = self._consumers[name] = ConsumerInstruments(
                handle=self.consumer_handle_duration_seconds.labels(name),
                lag=self.consumer_event_lag_seconds.labels(name),
                last_handled=self.consumer_last_handled_timestamp_seconds.labels(name),
                redeliveries=self.consumer_redeliveries_total.labels(name),
                dead_letters=self.dead_letters_total.labels(name),
            )
        return instruments

    def consumer_outcome(self, instruments: ConsumerInstruments, name: str, outcome: str) -> None:
        child = instruments.outcomes.get(outcome)
        if child is None:
            child = instruments.outcomes[outcome] = self.consumer_handled_total.labels(name, outcome)
        child.inc()

    def observe_repository(self, key: tuple[str, str], seconds: float) -> None:
        child = self._repository_children.get(key)
        if child is None:
            child = self._repository_children[key] = self.db_repository_duration_seconds.labels(*key)
        child.observe(seconds)

    # -- scrape-time and background ------------------------------------------------------------------

    def watch_pool(self, pool: PoolState) -> None:
        """Report the connection pool at every scrape (no work between scrapes)."""
        self.registry.register(_PoolCollector(pool))

    def readiness(self, results: Mapping[str, Mapping[str, Any]] | None) -> None:
        """Record one /health/ready answer: ``None`` when the service is starting or stopping."""
        if results is None:
            self.health_ready.set(0)
            return
        ready = True
        for name, result in results.items():
            ok = result.get("status") == "ok"
            ready = ready and ok
            self.health_check_ok.labels(name).set(1 if ok else 0)
        self.health_ready.set(1 if ready else 0)

    def business_gauge(
        self,
        name: str,
        documentation: str,
        read: BusinessRead,
        *,
        labels: Sequence[str] = (),
        interval: float = 60.0,
    ) -> Gauge:
        """A business figure (readings recorded in the last hour, submissions by state...) read by ``read``
        every ``interval`` seconds in the background, never at scrape or on a request's path.

        ``read`` returns a number, or with ``labels`` a mapping from label values (a string for one label,
        a tuple for several) to numbers; label values must be few and fixed (states, kinds: never ids or
        tenants). Label sets missing from a read are dropped. Every replica reports the same figure, so
        dashboards and rules aggregate these with ``max``, not ``sum``. Register in ``bootstrap`` before
        the app starts; ``ServiceRuntime.business_gauge`` is the same call.
        """
        if name in self.business:
            raise ValueError(f"business gauge {name} is registered twice")
        gauge = Gauge(name, documentation, list(labels), registry=self.registry)
        self.business[name] = BusinessGauge(gauge, read, interval, tuple(labels))
        return gauge

    async def refresh_business(self, *, now: float | None = None, force: bool = False) -> None:
        """Read every business gauge that is due (all with ``force``); one that fails keeps its last figure
        (and is logged)."""
        now = time.monotonic() if now is None else now
        for name, entry in self.business.items():
            if entry.due > now and not force:
                continue
            entry.due = now + entry.interval
            try:
                value = await entry.read()
            except Exception as exc:
                log.warning("business gauge %s could not be read: %s", name, exc)
                continue
            _set_business(entry, value)


def _set_business(entry: BusinessGauge, value: BusinessValue) -> None:
    if not entry.labels:
        if isinstance(value, Mapping):
            raise TypeError("a business gauge without labels reads a number")
        entry.gauge.set(value)
        return
    if not isinstance(value, Mapping):
        raise TypeError("a business gauge with labels reads a mapping of label values to numbers")
    entry.gauge.clear()
    for key, number in value.items():
        entry.gauge.labels(*((key,) if isinstance(key, str) else key)).set(number)


class _PoolCollector(Collector):
    def __init__(self, pool: PoolState) -> None:
        self.pool = pool

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily(
            "db_pool_connections_in_use", "Database connections checked out of the pool.", value=self.pool.pool_in_use()
        )
        yield GaugeMetricFamily(
            "db_pool_connections_max",
            "Most connections the pool opens (its size plus overflow).",
            value=self.pool.pool_capacity(),
        )
        yield GaugeMetricFamily(
            "db_pool_waiting",
            "Units of work waiting for a connection from the pool.",
            value=self.pool.pool_waiting,
        )

    def describe(self) -> Iterable[Metric]:
        return []
