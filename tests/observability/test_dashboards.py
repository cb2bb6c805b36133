"""The Grafana dashboards: the committed JSON is what the generator writes, and every query reads a metric the
services export (or a recording rule of ours)."""

from __future__ import annotations

import json
import re

import yaml

from wellflow_devstack import dashboards

from .exported import exported_metrics
from .promtool import OBSERVABILITY, RULES
from .test_prometheus_rules import metric_names

COMMITTED = OBSERVABILITY / "grafana" / "dashboards"


def _recorded() -> set[str]:
    return {
        rule["record"]
        for path in RULES
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
        if "record" in rule
    }


def unknown_metrics(data: dict, known: set[str]) -> list[str]:
    recorded = _recorded()
    names = []
    for expr in dashboards.expressions(data):
        names += [name for name in metric_names(expr) if name not in known]
        names += [name for name in _rule_names(expr) if name not in recorded]
    return names


def _rule_names(expr: str) -> list[str]:
    return re.findall(r"\bjob:[a-z_]+:[a-z_0-9]+", expr)


def test_the_committed_dashboards_are_the_generators_output(tmp_path):
    written = dashboards.write(tmp_path)
    assert sorted(path.name for path in written) == sorted(path.name for path in COMMITTED.glob("*.json"))
    for path in written:
        assert (COMMITTED / path.name).read_text() == path.read_text(), (
            f"{path.name} is stale: run `python -m wellflow_devstack.dashboards` (or `make schemas`)"
        )


def test_there_is_an_overview_and_one_dashboard_per_service_each_with_panels_and_queries():
    boards = {board.uid: dashboards.render(board) for board in dashboards.boards()}
    assert set(boards) == {"wellflow-overview", *(f"wellflow-{job}" for job in dashboards.SERVICES)}
    for uid, data in boards.items():
        ids = [panel["id"] for panel in data["panels"]]
        assert len(ids) == len(set(ids)) and ids, uid
        assert all(panel["targets"] for panel in data["panels"]), uid
        assert data["templating"]["list"][0]["name"] == "datasource"
    overview = json.dumps(boards["wellflow-overview"])
    for needle in ("http_request_duration_seconds", "consumer_event_lag_seconds", "job:slo_api_errors:ratio_rate1h"):
        assert needle in overview


def test_every_query_names_a_metric_the_services_export():
    known = set(exported_metrics())
    for board in dashboards.boards():
        assert unknown_metrics(dashboards.render(board), known) == [], board.uid


def test_the_check_catches_a_query_of_a_metric_nobody_exports():
    data = {
        "panels": [
            {"targets": [{"expr": 'sum(rate(http_requests_total{job="wells"}[5m])) / job:slo_nope:ratio_rate1h'}]}
        ]
    }
    assert unknown_metrics(data, set(exported_metrics())) == ["http_requests_total", "job:slo_nope:ratio_rate1h"]
