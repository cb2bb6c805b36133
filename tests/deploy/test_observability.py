"""docker-compose.yml's "observability" profile and its files in deploy/observability: the OpenTelemetry Collector,
Jaeger, Prometheus (with NATS's exporter) and Grafana, wired to each other and to every service, and out of the
way of a plain `docker compose up` (docs/deploy.md, "Traces, metrics and dashboards")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_helpers import service_settings_class, services
from test_compose import COMPOSE, ENV_EXAMPLE, OBSERVABILITY_IMAGES, example_env, interpolate

REPO = Path(__file__).resolve().parents[2]
OBSERVABILITY = REPO / "deploy" / "observability"
PROFILED = {"otel-collector", "jaeger", "nats-exporter", "prometheus", "grafana"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return interpolate(yaml.safe_load(COMPOSE.read_text()), example_env())


@pytest.fixture(scope="module")
def collector() -> dict[str, Any]:
    return yaml.safe_load((OBSERVABILITY / "otel-collector.yaml").read_text())


@pytest.fixture(scope="module")
def prometheus() -> dict[str, Any]:
    return yaml.safe_load((OBSERVABILITY / "prometheus" / "prometheus.yml").read_text())


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Host path -> container path of a service's bind mounts."""
    return {volume.split(":")[0]: volume.split(":")[1] for volume in service.get("volumes", [])}


def test_the_observability_services_run_only_in_their_profile_pinned_and_on_this_machine_only(compose):
    services_ = compose["services"]
    profiled = {name for name, service in services_.items() if service.get("profiles")}
    assert profiled == PROFILED
    for name in PROFILED:
        service = services_[name]
        assert service["profiles"] == ["observability"], name
        repository, _, tag = service["image"].partition(":")
        assert repository in OBSERVABILITY_IMAGES and re.match(r"^v?\d+\.\d+\.\d+$", tag), service["image"]
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond this machine"
    for name, service in services_.items():  # `docker compose up` without the profile must still start
        if name not in PROFILED:
            assert not set(service.get("depends_on") or {}) & PROFILED, f"{name} waits for an optional service"


def test_every_service_sends_spans_to_the_collector_once_the_profile_is_switched_on(compose, collector, monkeypatch):
    from wellflow_servicekit.settings import load_settings

    raw = yaml.safe_load(COMPOSE.read_text())
    for name in services():
        assert raw["services"][name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == (
            "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"
        ), name
    example = ENV_EXAMPLE.read_text()
    assert "# COMPOSE_PROFILES=observability\n" in example
    endpoint = re.search(r"(?m)^# OTEL_EXPORTER_OTLP_ENDPOINT=(\S+)$", example).group(1)
    port = collector["receivers"]["otlp"]["protocols"]["http"]["endpoint"].rsplit(":", 1)[1]
    assert endpoint == f"http://otel-collector:{port}"

    switched_on = interpolate(raw, {**example_env(), "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint})
    for name in services():
        env = {key: str(value) for key, value in switched_on["services"][name]["environment"].items()}
        with monkeypatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            assert load_settings(service_settings_class(name)).otel_exporter_otlp_endpoint == endpoint
    off = {key: str(value) for key, value in compose["services"]["production"]["environment"].items()}
    with monkeypatch.context() as patch:
        for key, value in off.items():
            patch.setenv(key, value)
        assert load_settings(service_settings_class("production")).otel_exporter_otlp_endpoint is None


def test_the_collector_pipeline_is_complete_and_tail_samples_whole_traces(compose, collector):
    defined = {kind: set(collector.get(kind) or {}) for kind in ("receivers", "processors", "exporters")}
    assert set(collector["service"]["extensions"]) <= set(collector["extensions"])
    for name, pipeline in collector["service"]["pipelines"].items():
        for kind in ("receivers", "processors", "exporters"):
            assert pipeline[kind] and set(pipeline[kind]) <= defined[kind], f"{name}: undefined {kind}"
    traces = collector["service"]["pipelines"]["traces"]
    assert traces["processors"][0] == "memory_limiter" and traces["processors"][-1] == "batch"
    policies = {p["type"]: p for p in collector["processors"]["tail_sampling"]["policies"]}
    assert policies["status_code"]["status_code"]["status_codes"] == ["ERROR"]
    assert policies["latency"]["latency"]["threshold_ms"] == 500
    assert collector["exporters"]["otlp/traces"]["endpoint"] == "${env:TRACES_BACKEND_ENDPOINT}"
    service = compose["services"]["otel-collector"]
    assert _mounts(service)["./deploy/observability/otel-collector.yaml"] == "/etc/otelcol/config.yaml"
    assert service["command"] == ["--config=/etc/otelcol/config.yaml"]
    backend_host, backend_port = service["environment"]["TRACES_BACKEND_ENDPOINT"].split(":")
    assert backend_host in compose["services"] and backend_port == "4317"  # Jaeger's OTLP/gRPC port
    assert compose["services"][backend_host]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"


def test_prometheus_scrapes_every_service_as_its_own_job_nats_and_the_collector(compose, prometheus, collector):
    jobs = {job["job_name"]: job for job in prometheus["scrape_configs"]}
    for name, spec in services().items():
        job = jobs[name]  # the rules group by job="<service>"
        assert job["static_configs"] == [{"targets": [f"{spec.directory.name}:{spec.port}"]}], name
        assert compose["services"][spec.directory.name]["healthcheck"]  # a service compose runs
    assert jobs["identity"]["scheme"] == "https" and jobs["identity"]["tls_config"]["server_name"] == "identity"
    service = compose["services"]["prometheus"]
    mounts = _mounts(service)
    assert mounts["./deploy/tls/ca.crt"] == str(Path(jobs["identity"]["tls_config"]["ca_file"]))
    assert mounts["./deploy/observability/prometheus/prometheus.yml"] == "/etc/prometheus/prometheus.yml"
    rules_dir = mounts["./deploy/observability/prometheus/rules"]
    assert prometheus["rule_files"] == [f"{rules_dir}/*.yml"]

    exporter = compose["services"]["nats-exporter"]
    assert exporter["network_mode"] == "service:nats"  # reaches the monitoring port on nats's loopback
    assert exporter["command"][-1] == "http://127.0.0.1:8222"
    port = exporter["command"][exporter["command"].index("-port") + 1]
    assert jobs["nats"]["static_configs"] == [{"targets": [f"nats:{port}"]}]
    collector_port = collector["service"]["telemetry"]["metrics"]["readers"][0]["pull"]["exporter"]["prometheus"]
    assert jobs["otel-collector"]["static_configs"] == [{"targets": [f"otel-collector:{collector_port['port']}"]}]


def test_grafana_is_provisioned_with_its_data_sources_and_the_dashboards_folder(compose):
    service = compose["services"]["grafana"]
    mounts = _mounts(service)
    provisioning = OBSERVABILITY / "grafana" / "provisioning"
    assert mounts["./deploy/observability/grafana/provisioning"] == "/etc/grafana/provisioning"
    sources = yaml.safe_load((provisioning / "datasources" / "wellflow.yml").read_text())["datasources"]
    by_type = {source["type"]: source for source in sources}
    assert by_type["prometheus"]["url"] == "http://prometheus:9090" and by_type["prometheus"]["isDefault"]
    assert by_type["jaeger"]["url"] == "http://jaeger:16686"
    assert "127.0.0.1:16686:16686" in compose["services"]["jaeger"]["ports"]
    providers = yaml.safe_load((provisioning / "dashboards" / "wellflow.yml").read_text())["providers"]
    assert mounts["./deploy/observability/grafana/dashboards"] == providers[0]["options"]["path"]
    assert service["environment"]["GF_SECURITY_ADMIN_PASSWORD"]  # from .env, required (test_compose.py)
    assert {source["uid"] for source in sources} == {"prometheus", "jaeger"}  # the uids dashboards may name
    for dashboard in sorted((OBSERVABILITY / "grafana" / "dashboards").glob("*.json")):
        assert isinstance(json.loads(dashboard.read_text()), dict), dashboard.name  # what Grafana loads
