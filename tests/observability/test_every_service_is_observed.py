"""Every service declared under services/ (its pyproject's [tool.wellflow] declaration, read by
``wellflow_devstack.discovery``) is observed everywhere: scraped by compose's Prometheus and by the Prometheus
Operator's ServiceMonitors, named in the rules' job lists (ServiceDown) and given a dashboard. A new service
fails here until it is added to each."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from wellflow_devstack import dashboards

from .promtool import OBSERVABILITY, RULES

DECLARED = {spec.name: spec for spec in dashboards.declared_services()}


def _prometheus_jobs(config: dict[str, Any]) -> dict[str, list[str]]:
    return {
        job["job_name"]: [target for static in job.get("static_configs", []) for target in static["targets"]]
        for job in config["scrape_configs"]
    }


def _monitored(documents: list[dict[str, Any]]) -> set[str]:
    """The app.kubernetes.io/name values the ServiceMonitors select."""
    names: set[str] = set()
    for document in documents:
        if document.get("kind") != "ServiceMonitor":
            continue
        selector = document["spec"]["selector"]
        if "app.kubernetes.io/name" in (selector.get("matchLabels") or {}):
            names.add(selector["matchLabels"]["app.kubernetes.io/name"])
        for expression in selector.get("matchExpressions") or []:
            if expression["key"] == "app.kubernetes.io/name" and expression["operator"] == "In":
                names |= set(expression["values"])
    return names


def _job_lists(text: str) -> list[set[str]]:
    """Each ``job=~"a|b|c"`` list of services in a rule file's expressions."""
    return [set(found.split("|")) for found in re.findall(r'job=~"([a-z|_-]+)"', text)]


def test_the_services_are_the_ones_declared_and_include_the_newest() -> None:
    assert {"identity", "documents", "notifications", "gateway"} <= set(DECLARED)
    assert "rrc_portal" not in DECLARED  # a stand-in under tools/, not a WellFlow service


def test_compose_prometheus_scrapes_every_declared_service_at_its_port() -> None:
    jobs = _prometheus_jobs(yaml.safe_load((OBSERVABILITY / "prometheus" / "prometheus.yml").read_text()))
    missing = sorted(set(DECLARED) - set(jobs))
    assert missing == [], f"deploy/observability/prometheus/prometheus.yml has no job for {missing}"
    for name, spec in DECLARED.items():
        assert jobs[name] == [f"{spec.directory.name}:{spec.port}"], name


def test_a_service_monitor_selects_every_declared_service() -> None:
    documents = list(yaml.safe_load_all((OBSERVABILITY / "kubernetes" / "monitors.yaml").read_text()))
    missing = sorted(set(DECLARED) - _monitored(documents))
    assert missing == [], f"deploy/observability/kubernetes/monitors.yaml selects none of {missing}"


def test_every_job_list_in_the_rules_names_every_declared_service() -> None:
    lists = [(path, names) for path in RULES for names in _job_lists(Path(path).read_text())]
    assert lists, "the rules name no job list (ServiceDown matches up{job=~...})"
    for path, names in lists:
        missing = sorted(set(DECLARED) - names)
        assert missing == [], f"{Path(path).name}: job=~ misses {missing}"
    generated = (OBSERVABILITY / "kubernetes" / "prometheusrule.yaml").read_text()
    assert all(set(DECLARED) <= names for names in _job_lists(generated)), "run deploy/observability/prometheus_rule.py"


def test_every_declared_service_has_a_dashboard_and_is_on_the_overview() -> None:
    committed = {path.stem for path in (OBSERVABILITY / "grafana" / "dashboards").glob("*.json")}
    missing = sorted(name for name in DECLARED if f"wellflow-{name}" not in committed)
    assert missing == [], f"no dashboard for {missing}: run `make schemas`"
    overview = (OBSERVABILITY / "grafana" / "dashboards" / "wellflow-overview.json").read_text()
    lists = re.findall(r'up\{job=~\\"([a-z|_-]+)\\"\}', overview)
    assert lists and all(set(up.split("|")) == set(DECLARED) for up in lists)


def test_the_checks_catch_a_service_left_out() -> None:
    config = {"scrape_configs": [{"job_name": "wells", "static_configs": [{"targets": ["wells:8102"]}]}]}
    assert set(DECLARED) - set(_prometheus_jobs(config)) >= {"documents", "notifications"}
    monitor = {"kind": "ServiceMonitor", "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "wells"}}}}
    assert "notifications" not in _monitored([monitor])
    assert "documents" not in set().union(*_job_lists('up{job=~"identity|wells"} == 0'))
