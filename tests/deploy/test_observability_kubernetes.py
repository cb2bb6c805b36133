"""deploy/observability on Kubernetes: the Prometheus Operator's resources (valid against its CRD schemas,
vendored from prometheus-operator v0.93.0), scraping every service and NATS, the PrometheusRule identical to the
rule files compose's Prometheus loads, and the OpenTelemetry Collector the services send their spans to."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_helpers import services
from deploy_kustomize import render
from deploy_schema import kubernetes_errors

REPO = Path(__file__).resolve().parents[2]
OBSERVABILITY = REPO / "deploy" / "observability"


def _generator():
    spec = importlib.util.spec_from_file_location("prometheus_rule", OBSERVABILITY / "prometheus_rule.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def production() -> list[dict[str, Any]]:
    return render(REPO / "deploy" / "overlays" / "production")


def _kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        present = labels.get(expression["key"])
        if expression["operator"] == "In" and present not in expression["values"]:
            return False
        if expression["operator"] == "NotIn" and present in expression["values"]:
            return False
    return True


def test_the_prometheus_rule_is_the_rule_files_compose_loads():
    generator = _generator()
    committed = (OBSERVABILITY / "kubernetes" / "prometheusrule.yaml").read_text()
    assert committed == generator.render(), "run: python deploy/observability/prometheus_rule.py"
    groups = [g for path in sorted((OBSERVABILITY / "prometheus" / "rules").glob("*.yml"))
              for g in yaml.safe_load(path.read_text())["groups"]]  # fmt: skip
    assert yaml.safe_load(committed)["spec"]["groups"] == groups


def test_a_prometheus_rule_from_rule_files_is_valid_and_the_schema_catches_a_mistake(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "b.yml").write_text(
        "groups:\n  - name: b\n    rules:\n      - alert: OutboxStalled\n"
        "        expr: max by (job) (outbox_oldest_age_seconds) > 60\n        for: 5m\n"
        "        labels: {severity: page}\n        annotations: {runbook_url: docs/runbooks/OutboxStalled.md}\n"
    )
    (rules / "a.yml").write_text(
        "groups:\n  - name: a\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n"
    )
    rule = _generator().prometheus_rule(rules)
    assert [group["name"] for group in rule["spec"]["groups"]] == ["a", "b"]  # files in name order
    assert kubernetes_errors(rule) == []
    broken = json.loads(json.dumps(rule))
    broken["spec"]["groups"][1]["rules"][0]["expresion"] = broken["spec"]["groups"][1]["rules"][0].pop("expr")
    broken["spec"]["groups"][1]["rules"][0]["for"] = "five minutes"
    errors = kubernetes_errors(broken)
    assert any("expresion" in e for e in errors) and any("five minutes" in e for e in errors), errors


def test_every_service_is_scraped_as_its_own_job_and_identity_over_https(production):
    monitors = _kind(production, "ServiceMonitor")
    deployed = _kind(production, "Service")
    for name in services():
        service = deployed[name]
        labels = service["metadata"]["labels"]
        chosen = [m for m in monitors.values() if _selects(m["spec"]["selector"], labels)]
        assert len(chosen) == 1, f"{name} is scraped by {[m['metadata']['name'] for m in chosen]}"
        monitor = chosen[0]["spec"]
        assert labels[monitor["jobLabel"]] == name  # job="<service>", as the rules group by
        (endpoint,) = monitor["endpoints"]
        assert endpoint["port"] in {port["name"] for port in service["spec"]["ports"]}
        assert endpoint["path"] == "/metrics"
        assert (endpoint.get("scheme") == "https") == (name == "identity"), name
    identity = monitors["wellflow-identity"]["spec"]["endpoints"][0]["tlsConfig"]
    assert identity == {"serverName": "identity", "ca": {"secret": {"name": "wellflow-ca", "key": "identity-ca.crt"}}}


def test_nats_is_scraped_through_the_exporter_beside_each_server(production):
    (monitor,) = _kind(production, "PodMonitor").values()
    nats = _kind(production, "StatefulSet")["nats"]
    assert _selects(monitor["spec"]["selector"], nats["spec"]["template"]["metadata"]["labels"])
    containers = {c["name"]: c for c in nats["spec"]["template"]["spec"]["containers"]}
    exporter = containers["metrics"]
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    (port,) = [p for p in exporter["ports"] if p["name"] == endpoint["port"]]
    assert exporter["args"][exporter["args"].index("-port") + 1] == str(port["containerPort"])
    assert exporter["args"][-1] == "http://127.0.0.1:8222"  # the server's monitoring port, in the pod
    assert exporter["image"].rsplit(":", 1)[1] == "0.15.0"
    policy = _kind(production, "NetworkPolicy")["nats"]
    scraper = [r for r in policy["spec"]["ingress"] if "from" in r and "namespaceSelector" in r["from"][0]]
    assert {"port": port["containerPort"], "protocol": "TCP"} in scraper[0]["ports"]


def test_the_services_send_spans_to_the_collector_which_runs_the_compose_config(production):
    config = _kind(production, "ConfigMap")
    endpoint = config["wellflow-config"]["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"]
    host, port = endpoint.removeprefix("http://").split(":")
    service = _kind(production, "Service")[host]
    assert int(port) in {p["port"] for p in service["spec"]["ports"]}
    collector = _kind(production, "Deployment")["otel-collector"]
    assert _selects({"matchLabels": service["spec"]["selector"]}, collector["spec"]["template"]["metadata"]["labels"])
    assert collector["spec"]["replicas"] == 1  # tail sampling needs every span of a trace in one collector
    (container,) = collector["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    assert env["TRACES_BACKEND_ENDPOINT"].endswith(":4317")
    (volume,) = collector["spec"]["template"]["spec"]["volumes"]
    mounted = config[volume["configMap"]["name"]]["data"]["config.yaml"]
    assert mounted == (OBSERVABILITY / "otel-collector.yaml").read_text()
    assert container["args"] == ["--config=/etc/otelcol/config.yaml"]
    policies = _kind(production, "NetworkPolicy")
    ingress = policies["otel-collector"]["spec"]["ingress"][0]
    assert ingress["from"][0]["podSelector"]["matchLabels"] == {"app.kubernetes.io/component": "service"}
    assert {"port": int(port), "protocol": "TCP"} in ingress["ports"]
    egress = policies["wellflow-egress-otel-collector"]["spec"]["egress"][0]
    assert {"port": int(port), "protocol": "TCP"} in egress["ports"]
    for name in ("demo",):  # the demo runs no collector: its services are not told to send to one
        demo = render(REPO / "deploy" / "overlays" / name)
        assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in _kind(demo, "ConfigMap")["wellflow-config"]["data"]


def test_the_crd_schemas_are_vendored_with_their_source():
    document = json.loads((REPO / "deploy" / "schemas" / "prometheus-operator-v0.93.0-crds.json").read_text())
    assert document["version"] == "v0.93.0" and "prometheus-operator" in document["source"]
    assert set(document["kinds"]) == {
        "monitoring.coreos.com/v1/ServiceMonitor",
        "monitoring.coreos.com/v1/PodMonitor",
        "monitoring.coreos.com/v1/PrometheusRule",
    }
    broken = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": "x"},
        "spec": {"selector": {}, "endpoints": [{"port": "http", "intervall": "30s"}]},
    }
    assert any("intervall" in error for error in kubernetes_errors(broken))
