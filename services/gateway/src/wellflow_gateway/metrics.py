"""The gateway's own Prometheus series: upstream requests and latency, and the requests it answered itself."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from wellflow_servicekit.metrics import HTTP_LATENCY_BUCKETS


class GatewayMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.upstream_requests = Counter(
            "gateway_upstream_requests_total",
            "Requests forwarded to an upstream, by service, cell and upstream status (or error kind).",
            ["service", "cell", "status"],
            registry=registry,
        )
        self.upstream_duration = Histogram(
            "gateway_upstream_duration_seconds",
            "Time from forwarding a request to receiving the upstream's response headers.",
            ["service", "cell"],
            buckets=HTTP_LATENCY_BUCKETS,
            registry=registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.rejections = Counter(
            "gateway_rejections_total",
            "Requests the gateway answered itself, by reason.",
            ["reason"],
            registry=registry,
        )

    def observe_upstream(self, service: str, cell: str, status: int, seconds: float) -> None:
        """Count one upstream answer (label children cached: `labels()` costs more than the increment)."""
        key = (service, cell, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.upstream_requests.labels(service, cell, str(status)),
                self.upstream_duration.labels(service, cell),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def upstream_failed(self, service: str, cell: str, kind: str) -> None:
        """Count a forward that got no (complete) answer: `kind` says why."""
        self.upstream_requests.labels(service, cell, kind).inc()
