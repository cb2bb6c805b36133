"""`wellflow dashboard`'s query rewriting and rendering, against answers shaped like Prometheus's HTTP API."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from wellflow_devstack import dashboard_cli
from wellflow_devstack.dashboard_cli import scrape_config
from wellflow_devstack.dashboard_text import (
    Panel,
    PanelQuery,
    legend,
    load,
    render,
    render_alerts,
    rewrite,
    shorten_ranges,
    with_unit,
)
from wellflow_devstack.discovery import find_repo_root
from wellflow_devstack.stack import StackConfig

ROOT = find_repo_root(Path(__file__))


def test_grafana_variables_become_what_grafana_would_send() -> None:
    expr = 'sum(rate(x_total{job="$job", ds="${datasource}"}[$__rate_interval])) / $__interval_ms + [[inst]]'
    assert rewrite(expr, 2) == 'sum(rate(x_total{job=~".+", ds=~".+"}[8s])) / 2000 + .+'
    assert rewrite('x{job=~"$job|gateway", i = "[[inst]]", a="$__interval"}', 15) == (
        'x{job=~".+|gateway", i=~".+", a="15s"}'
    )
    assert rewrite("rate(x[$__interval]) * $__range_s [${__range}]", 15, range_s=600) == "rate(x[15s]) * 600 [600s]"
    # a label value with a dollar but no variable name is left alone
    assert rewrite('x{a="$"}', 15) == 'x{a="$"}'


def test_legend_fills_labels_or_shows_the_series() -> None:
    assert legend("{{consumer}} pending", {"consumer": "ledger"}) == "ledger pending"
    assert legend("{{ job }}", {"job": "wells"}) == "wells"
    assert legend("", {"__name__": "up", "job": "wells"}) == 'up{job="wells"}'
    assert legend("{{missing}}", {}) == "(value)"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.0123, "s", "12.3 ms"),
        (4.5, "s", "4.5 s"),
        (600, "s", "10 min"),
        (0.0042, "percentunit", "0.42 %"),
        (1.5, "reqps", "1.5 req/s"),
        (12345.6, "", "12,346"),
        (None, "s", "-"),
        (float("nan"), "s", "NaN"),
        (0, "ops", "0 ops/s"),
    ],
)
def test_units(value: float | None, unit: str, shown: str) -> None:
    assert with_unit(value, unit) == shown


def test_the_overview_panels_come_from_the_committed_json() -> None:
    board = load(ROOT / "deploy/observability/grafana/dashboards/wellflow-overview.json")
    titles = [panel.title for panel in board]
    assert titles[:3] == ["Up", "Ready instances", "Requests per second"]
    assert next(p for p in board if p.title == "p95 latency").unit == "s"
    assert next(p for p in board if p.title == "Up").unit == ""
    assert len(next(p for p in board if p.title.startswith("Error budget burn")).queries) == 3


class FakePrometheus:
    """Answers like /api/v1/query and /api/v1/alerts; records the queries it was asked."""

    def __init__(self, results: Mapping[str, Any], alerts: list[dict[str, Any]]) -> None:
        self.results, self.alerts = results, alerts
        self.asked: list[str] = []

    def __call__(self, path: str, params: Mapping[str, str]) -> Any:
        if path == "/api/v1/alerts":
            return {"status": "success", "data": {"alerts": self.alerts}}
        self.asked.append(params["query"])
        if params["query"] not in self.results:
            return {"status": "error", "errorType": "bad_data", "error": "parse error"}
        return json.loads(json.dumps(self.results[params["query"]]))


def vector(*series: tuple[dict[str, str], str]) -> dict[str, Any]:
    result = [{"metric": labels, "value": [1765000000.0, value]} for labels, value in series]
    return {"status": "success", "data": {"resultType": "vector", "result": result}}


def test_render_a_table_per_panel_and_the_alerts() -> None:
    latency = Panel("p95 latency", "s", (PanelQuery("histogram_quantile(0.95, x[$__rate_interval])", "{{job}}"),))
    empty = Panel("Dead letters pending", "", (PanelQuery("max by (job) (dead_letters_pending)", "{{job}}"),))
    broken = Panel("Broken", "", (PanelQuery("nonsense(", "x"),))
    fake = FakePrometheus(
        {
            "histogram_quantile(0.95, x[8s])": vector(({"job": "wells"}, "0.0125"), ({"job": "identity"}, "NaN")),
            "max by (job) (dead_letters_pending)": vector(),
        },
        [
            {
                "state": "firing",
                "labels": {"alertname": "ServiceDown", "severity": "page", "job": "compliance"},
                "annotations": {"summary": "compliance cannot be scraped"},
            },
            {"state": "pending", "labels": {"alertname": "OutboxStuck", "job": "wells"}, "annotations": {}},
        ],
    )
    text = render("WellFlow overview", fake, [latency, empty, broken], 2)
    assert fake.asked == ["histogram_quantile(0.95, x[8s])", "max by (job) (dead_letters_pending)", "nonsense("]
    assert "p95 latency [s]\n  identity  NaN\n  wells     12.5 ms\n" in text
    assert "Dead letters pending\n  (no data)\n" in text
    assert "Broken\n  x  error: bad_data: parse error\n" in text
    assert "Alerts: 1 firing, 1 pending\n  firing   ServiceDown [page] job=compliance\n" in text
    assert "compliance cannot be scraped" in text


def test_no_alerts() -> None:
    assert render_alerts([{"state": "inactive", "labels": {"alertname": "X"}}]) == "Alerts: 0 firing, 0 pending\n"


def test_the_scrape_config_names_jobs_after_services_and_loads_the_rules(tmp_path: Path) -> None:
    text = scrape_config({"wells": "127.0.0.1:8102", "gateway": "127.0.0.1:18190"}, [tmp_path / "a.yml"], 2)
    config = json.loads(text)
    assert config["global"]["scrape_interval"] == "2s"
    assert config["rule_files"] == [str(tmp_path / "a.yml")]
    assert [(c["job_name"], c["static_configs"][0]["targets"]) for c in config["scrape_configs"]] == [
        ("gateway", ["127.0.0.1:18190"]),
        ("wells", ["127.0.0.1:8102"]),
    ]


def test_ranges_longer_than_what_was_scraped_are_cut() -> None:
    expr = "rate(a[5m]) + rate(b[10s]) + rate(c[1h]) + max_over_time(d[5m:1m])"
    assert shorten_ranges(expr, 30.7) == "rate(a[30s]) + rate(b[10s]) + rate(c[30s]) + max_over_time(d[5m:1m])"


def test_render_says_when_ranges_were_cut() -> None:
    panel = Panel("Requests per second", "reqps", (PanelQuery("sum by (job) (rate(x[5m]))", "{{job}}"),))
    fake = FakePrometheus({"sum by (job) (rate(x[24s]))": vector(({"job": "wells"}, "1.5"))}, [])
    text = render("WellFlow overview", fake, [panel], 2, max_range_s=24.9)
    assert text.startswith("WellFlow overview\n(panels' ranges over 24 s cut to the 24 s scraped)\n")
    assert "Requests per second [reqps]\n  wells  1.5 req/s\n" in text


def test_without_a_server_or_a_binary_it_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("WELLFLOW_PROMETHEUS", raising=False)
    config = StackConfig.from_env({"WELLFLOW_HOME": str(tmp_path / "home")}, root=ROOT)
    args = argparse.Namespace(name="overview", prometheus=None, scrape_interval=15.0, scrapes=3)
    assert dashboard_cli.run(config, args) == 2
    assert "no Prometheus to ask: give --prometheus" in capsys.readouterr().err
