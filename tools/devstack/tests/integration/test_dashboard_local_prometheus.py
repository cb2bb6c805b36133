"""`wellflow dashboard`'s local Prometheus: the real `prometheus` binary scrapes a service's metrics registry
(wellflow_servicekit.Metrics, exposed as /metrics exposes it) with the project's rules loaded, and the overview's
panels are evaluated against it. Skipped when no `prometheus` binary is installed, under CI too: Debian's
prometheus package arrives only as a side effect of tools/install-promtool."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from prometheus_client import start_http_server

from wellflow_devstack import dashboard_cli
from wellflow_devstack.dashboard_cli import RULES, LocalPrometheus, _free_port, prometheus_binary
from wellflow_devstack.dashboard_text import dashboard_file, http_fetch, load, render
from wellflow_devstack.discovery import find_repo_root
from wellflow_devstack.stack import StackConfig
from wellflow_servicekit.metrics import Metrics

ROOT = find_repo_root(Path(__file__))
BINARY = prometheus_binary()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no prometheus binary (apt-get install prometheus, or set WELLFLOW_PROMETHEUS)"
)


def test_the_overview_from_a_local_prometheus_scraping_a_service(tmp_path: Path) -> None:
    metrics = Metrics()
    latency = metrics.http_request_duration_seconds
    for _ in range(20):
        latency.labels("GET", "/api/v1/wells", "200").observe(0.012)
    metrics.health_ready.set(1)
    port = _free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=metrics.registry)
    try:
        rules = sorted((ROOT / RULES).glob("*.yml"))
        assert rules, "the project's rule files"
        targets = {"wells": f"127.0.0.1:{port}", "compliance": f"127.0.0.1:{_free_port()}"}  # nothing listens there
        assert BINARY is not None
        with LocalPrometheus(BINARY, tmp_path, targets, rules, 1.0) as local:
            local.wait(scrapes=3, timeout=25)
            board = load(dashboard_file(ROOT, "overview"))
            text = render("WellFlow overview", http_fetch(local.url), board, 1.0)
            # the command against a server that runs: the same tables, through --prometheus
            out = io.StringIO()
            config = StackConfig.from_env({"WELLFLOW_HOME": str(tmp_path.parent / "home")}, root=ROOT)
            args = argparse.Namespace(name="wells", prometheus=local.url, scrape_interval=1.0, scrapes=3)
            assert dashboard_cli.run(config, args, out) == 0
        assert not list(tmp_path.iterdir()), "the temporary data folder is removed"
    finally:
        server.shutdown()
        thread.join(timeout=5)
    service = out.getvalue()
    assert f"from {local.url}" in service
    assert "Requests per second by route [reqps]\n  /api/v1/wells  0 req/s\n" in service
    up = text.split("Up\n", 1)[1].split("\n\n", 1)[0]
    assert "compliance  0" in up and "wells       1" in up
    assert "Ready instances\n  wells  1\n" in text
    # 20 requests, all before the first scrape: no request in the window, so 0/0 (Grafana draws no point)
    assert "Requests per second [reqps]\n  wells  0 req/s\n" in text
    assert "p95 latency [s]\n  wells  NaN\n" in text
    # the rules were loaded: compliance cannot be scraped, so its alert is pending or firing
    alerts = text.split("Alerts:", 1)[1]
    assert "ServiceDown [page]" in alerts and "job=compliance" in alerts
