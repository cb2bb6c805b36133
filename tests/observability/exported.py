"""The metric names (with histogram series) and label names the services really export, from their
instruments: servicekit's `Metrics`, the gateway's, compliance's submission metrics, notifications' delivery
metrics and every service's business gauges, registered the way bootstrap registers them."""

from __future__ import annotations

from types import SimpleNamespace

from wellflow_servicekit.metrics import Metrics


def exported_metrics() -> dict[str, set[str]]:
    from wellflow_accounting.adapters.business_metrics import register_business_gauges as accounting_gauges
    from wellflow_compliance.adapters.breaker import PortalBreaker
    from wellflow_compliance.adapters.business_metrics import register_business_gauges as compliance_gauges
    from wellflow_compliance.adapters.metrics import SubmissionMetrics
    from wellflow_gateway.metrics import GatewayMetrics
    from wellflow_notifications.adapters.business_metrics import register_business_gauges as notifications_gauges
    from wellflow_notifications.bootstrap import delivery_metrics
    from wellflow_production.adapters.business_metrics import register_business_gauges as production_gauges

    metrics = Metrics()
    metrics.watch_pool(SimpleNamespace(pool_in_use=lambda: 0, pool_capacity=lambda: 0, pool_waiting=0))
    SubmissionMetrics(metrics.registry, PortalBreaker(fail_max=5, reset_timeout=30))
    GatewayMetrics(metrics.registry)
    delivery_metrics(metrics.registry)
    runtime = SimpleNamespace(business_gauge=metrics.business_gauge, database=None)
    production_gauges(runtime)  # type: ignore[arg-type]
    compliance_gauges(runtime)  # type: ignore[arg-type]
    accounting_gauges(runtime)  # type: ignore[arg-type]
    notifications_gauges(runtime)  # type: ignore[arg-type]
    names: dict[str, set[str]] = {"up": set()}
    for family in metrics.registry.collect():
        labels: set[str] = set()
        if hasattr(family, "_labelnames"):
            labels = set(family._labelnames)
        for collector_labels in _label_names(metrics, family.name):
            labels |= collector_labels
        if family.type == "histogram":
            names[f"{family.name}_bucket"] = labels | {"le"}
            names[f"{family.name}_count"] = labels
            names[f"{family.name}_sum"] = labels
        elif family.type == "counter":
            names[f"{family.name}_total"] = labels
        else:
            names[family.name] = labels
    return names


def _label_names(metrics: Metrics, name: str) -> list[set[str]]:
    """Label names of a metric family, from the collector that registered it (a family without samples
    yet does not show them)."""
    found = []
    for collector, collector_names in metrics.registry._collector_to_names.items():
        if name in collector_names or any(n.startswith(name) for n in collector_names):
            labelnames = getattr(collector, "_labelnames", None)
            if labelnames is not None and getattr(collector, "_name", None) in (name, f"{name}_total"):
                found.append(set(labelnames))
    return found
