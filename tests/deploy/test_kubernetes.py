"""deploy/ (kustomize): each kustomization renders, and every manifest is valid against the Kubernetes
schemas (strict: unknown fields are errors), offline. Rendering uses deploy_kustomize.py and, where kubectl
is installed, is compared with ``kubectl kustomize``. Then what a reviewer would check by eye: two replicas,
probes on the health endpoints, resources, a PDB and an HPA per service, a migration Job before each
release, secrets only by reference, and a 3-node NATS cluster with a 3-replica events stream."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_helpers import ServiceSpec, by_folder, service_settings_class, services
from deploy_kustomize import KustomizeError, identity, render
from deploy_schema import jsonschema_errors, kubernetes_errors, schema_for

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
KUSTOMIZATIONS = ["base", "overlays/production", "overlays/demo", "nats", "observability"]


def deployables() -> dict[str, ServiceSpec]:
    return services()


@pytest.fixture(scope="module", params=["base", "overlays/production", "overlays/demo"])
def rendered(request) -> list[dict[str, Any]]:
    return render(DEPLOY / request.param)


def by_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def pod_spec(document: dict[str, Any]) -> dict[str, Any]:
    return document["spec"]["template"]["spec"]


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(kustomization):
    documents = render(DEPLOY / kustomization)
    assert documents
    errors = [error for document in documents for error in kubernetes_errors(document)]
    assert errors == []
    for document in documents:  # a second opinion where the jsonschema package is installed
        schema, root = schema_for(document)
        other = jsonschema_errors(document, schema, root)
        assert other in (None, []), (identity(document), other)


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_rendering_matches_kubectl_kustomize(kustomization):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; deploy_kustomize.py rendered alone")
    result = subprocess.run(
        [kubectl, "kustomize", str(DEPLOY / kustomization)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    theirs = sorted((d for d in yaml.safe_load_all(result.stdout) if d), key=identity)
    assert sorted(render(DEPLOY / kustomization), key=identity) == theirs


def test_the_schema_check_and_the_renderer_catch_mistakes(tmp_path):
    deployment = next(d for d in render(DEPLOY / "base") if d["kind"] == "Deployment")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["replicas"] = "two"
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {}
    errors = kubernetes_errors(broken)
    assert any("replicas" in e for e in errors) and any("httpGett" in e for e in errors)
    (tmp_path / "kustomization.yaml").write_text("resources: []\ncommonAnnotations: {a: b}\n")
    with pytest.raises(KustomizeError, match="commonAnnotations"):
        render(tmp_path)


def test_every_service_runs_two_replicas_with_probes_resources_pdb_and_hpa(rendered):
    deployments = by_kind(rendered, "Deployment")
    pdbs, hpas = by_kind(rendered, "PodDisruptionBudget"), by_kind(rendered, "HorizontalPodAutoscaler")
    services = by_kind(rendered, "Service")
    for name, spec in deployables().items():
        deployment = deployments[name]
        assert deployment["spec"]["replicas"] >= 2
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
        (container,) = pod_spec(deployment)["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports["http"] == spec.port
        https = {"scheme": "HTTPS"} if name == "identity" else {}  # identity serves HTTPS (test_identity_tls.py)
        assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http", **https}
        assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http", **https}
        assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert pod_spec(deployment)["securityContext"]["runAsNonRoot"] is True
        assert pdbs[name]["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert hpas[name]["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert hpas[name]["spec"]["minReplicas"] >= 2
        assert services[name]["spec"]["selector"].items() <= labels.items()
        assert services[name]["spec"]["ports"][0]["port"] == spec.port


def test_migrations_run_as_a_job_and_pods_wait_for_them(rendered):
    deployments, jobs = by_kind(rendered, "Deployment"), by_kind(rendered, "Job")
    for name, spec in deployables().items():
        if not spec.database:
            assert f"{name}-migrate" not in jobs
            continue
        job = jobs[f"{name}-migrate"]
        (migrate,) = pod_spec(job)["containers"]
        (service,) = pod_spec(deployments[name])["containers"]
        (wait,) = pod_spec(deployments[name])["initContainers"]
        assert migrate["command"] == ["python", "-m", "wellflow_servicekit.deploy_cli", "migrate"]
        assert wait["command"][:4] == ["python", "-m", "wellflow_servicekit.deploy_cli", "wait-migrated"]
        assert migrate["image"] == service["image"] == wait["image"], "one release, one image"
        env = {e["name"]: e for e in migrate["env"]}
        assert env["DATABASE_OWNER_URL"]["valueFrom"]["secretKeyRef"]["name"] == f"wellflow-{name}-database"
        assert env["DATABASE_ADMIN_URL"]["valueFrom"]["secretKeyRef"]["optional"] is True
        assert pod_spec(job)["restartPolicy"] in ("OnFailure", "Never") and job["spec"]["backoffLimit"] >= 1
        service_env = {e["name"] for e in service["env"]}
        assert "DATABASE_OWNER_URL" not in service_env and "DATABASE_ADMIN_URL" not in service_env


def documented_secrets() -> set[str]:
    text = (REPO / "docs" / "deploy.md").read_text()
    return set(re.findall(r"`(wellflow-[a-z-]+)`", text))


def test_secrets_are_only_referenced_and_every_one_is_documented(rendered):
    assert not by_kind(rendered, "Secret"), "no secret values are committed"
    referenced: set[str] = set()
    for document in rendered:
        text = json.dumps(document)
        referenced |= set(re.findall(r'"secretKeyRef": \{"name": "([^"]+)"', text))
        referenced |= set(re.findall(r'"secret": \{"name": "([^"]+)"', text))
        referenced |= set(re.findall(r'"secretName": "([^"]+)"', text))
        referenced |= set(re.findall(r'"secretRef": \{"name": "([^"]+)"', text))
        for match in re.findall(r'"value": "([^"]*)"', text):
            assert not re.search(r"://[^/$]*:[^/$@]+@", match), f"a literal credential in {identity(document)}"
    assert referenced, "the services read their secrets by reference"
    assert referenced <= documented_secrets(), f"undocumented secrets: {referenced - documented_secrets()}"


def test_dependent_variables_are_defined_before_use_and_config_maps_exist(rendered):
    config_maps = by_kind(rendered, "ConfigMap")
    for document in rendered:
        if document["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        spec = pod_spec(document)
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            defined: set[str] = set()
            for variable in container.get("env", []):
                for used in re.findall(r"\$\(([A-Z_]+)\)", variable.get("value", "")):
                    assert used in defined, f"{identity(document)}: {variable['name']} uses $({used}) before it"
                defined.add(variable["name"])
            for source in container.get("envFrom", []):
                if "secretRef" in source:  # optional settings from a documented secret (identity's mail server)
                    assert source["secretRef"].get("optional") is True
                    assert source["secretRef"]["name"] in documented_secrets()
                    continue
                assert source["configMapRef"]["name"] in config_maps
        for volume in spec.get("volumes", []):
            for source in (volume.get("projected") or {}).get("sources", []):
                if "configMap" in source:
                    assert source["configMap"]["name"] in config_maps


def test_each_service_accepts_the_environment_its_deployment_gives_it(rendered, monkeypatch):
    from wellflow_servicekit.settings import load_settings

    config = by_kind(rendered, "ConfigMap")["wellflow-config"]["data"]
    deployments = by_kind(rendered, "Deployment")
    for name, spec in deployables().items():
        (container,) = pod_spec(deployments[name])["containers"]
        env = dict(config)
        for variable in container["env"]:
            if "valueFrom" in variable:  # what the documented secret holds
                key = variable["valueFrom"]["secretKeyRef"]["key"]
                env[variable["name"]] = (
                    f"postgresql+asyncpg://wellflow_{name}_app:pw@db.internal:5432/wellflow_{name}"
                    if key == "DATABASE_URL"
                    else "secret-value-of-at-least-thirty-two-characters"
                )
            else:
                env[variable["name"]] = re.sub(
                    r"\$\(([A-Z_]+)\)", lambda m, known=env: known[m.group(1)], variable["value"]
                )
        with monkeypatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            settings = load_settings(service_settings_class(name))
        assert settings.service_name == name and settings.http_port == spec.port
        if name != "gateway":
            # the client Service of the 3-node cluster; nats-py learns the other servers from it
            assert settings.nats_servers == [f"tls://{name}:secret-value-of-at-least-thirty-two-characters@nats:4222"]


def test_nats_is_a_three_node_jetstream_cluster_with_a_three_replica_stream(rendered, monkeypatch):
    statefulset = by_kind(rendered, "StatefulSet")["nats"]
    assert statefulset["spec"]["replicas"] == 3
    headless = by_kind(rendered, "Service")[statefulset["spec"]["serviceName"]]
    assert headless["spec"]["clusterIP"] == "None"
    container = next(c for c in pod_spec(statefulset)["containers"] if c["name"] == "nats")  # beside "metrics"
    config_file = container["args"][container["args"].index("-c") + 1]
    config_map = by_kind(rendered, "ConfigMap")["nats-config"]["data"]
    config = config_map[Path(config_file).name]
    assert re.search(r"(?m)^\s*sync_interval: always", config)
    assert re.search(r"(?m)^\s*store_dir: /data/jetstream", config)
    routes = re.findall(r"nats://(nats-\d)\.(\S+):6222", config)
    assert sorted(host for host, _ in routes) == ["nats-0", "nats-1", "nats-2"]
    assert {service for _, service in routes} == {headless["metadata"]["name"]}
    assert 'include "accounts.conf"' in config and "accounts.conf" in config_map
    server_keys = {
        e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
        for e in container["env"]
        if e["name"].startswith("NATS_")
    }
    needed = set(re.findall(r"\$(NATS_[A-Z_]+_PASSWORD)", config_map["accounts.conf"]))
    users = 1 + sum(1 for spec in services().values() if spec.database)  # admin and each service with events
    assert len(needed) == users and needed <= set(server_keys), "every account password reaches each server"
    for name in (n for n, spec in deployables().items() if spec.database):
        (service,) = pod_spec(by_kind(rendered, "Deployment")[name])["containers"]
        client = {e["name"]: e for e in service["env"]}
        reference = client["NATS_PASSWORD"]["valueFrom"]["secretKeyRef"]
        # the service logs in as its own user, with the secret key the servers know that user by
        assert (reference["name"], reference["key"]) == server_keys[f"NATS_{name.upper()}_PASSWORD"]
        assert client["NATS_URL"]["value"].startswith(f"tls://{name}:$(NATS_PASSWORD)@")
    assert by_kind(rendered, "PodDisruptionBudget")["nats"]["spec"]["maxUnavailable"] == 1

    (stream,) = pod_spec(by_kind(rendered, "Job")["nats-stream"])["containers"]
    assert stream["command"] == ["wellflow-ensure-stream", "--replicas", "3"]
    from wellflow_servicekit import stream_cli

    monkeypatch.delenv("NATS_URL", raising=False)
    with pytest.raises(SystemExit, match="NATS_URL is not set"):  # its arguments parsed; only NATS is missing
        stream_cli.main(stream["command"][1:])


def test_production_images_come_from_a_registry_at_a_release_tag():
    documents = render(DEPLOY / "overlays" / "production")
    for document in documents:
        if document["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        spec = pod_spec(document)
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            image = container["image"]
            assert not image.endswith((":dev", ":latest")), f"{identity(document)} runs {image}"
            assert ":" in image


def test_every_wellflow_image_is_one_the_dockerfile_builds_from_a_declaration():
    """The base and the demo overlay run wellflow/<folder>:dev images: each is what deploy/Dockerfile builds for
    that folder (the build compose runs, told the folder, the declared name and port), and every deployable has
    its image."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    built = {
        service["image"].split(":")[0]: service["build"]["args"]
        for service in compose["services"].values()
        if "build" in service
    }
    used = set()
    for document in render(DEPLOY / "overlays" / "demo"):  # the base, and the stand-in only a demo runs
        if document.get("kind") not in ("Deployment", "Job", "StatefulSet"):
            continue
        for container in [*pod_spec(document).get("initContainers", []), *pod_spec(document)["containers"]]:
            name = container["image"].split(":")[0]
            if name.startswith("wellflow/"):
                used.add(name)
    for folder, spec in by_folder().items():
        image = f"wellflow/{folder}"
        assert image in used, f"no manifest runs {image}"
        assert built[image]["SERVICE"] == spec.directory.relative_to(REPO).as_posix()
        assert (built[image]["SERVICE_NAME"], built[image]["HTTP_PORT"]) == (spec.name, str(spec.port))
    assert used <= set(built), f"images no build makes: {used - set(built)}"


def _mounted(spec: dict[str, Any], container: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The volume a container sees ``path`` through, if any."""
    for mount in container.get("volumeMounts", []):
        if path.startswith(mount["mountPath"].rstrip("/") + "/"):
            return next(v for v in spec["volumes"] if v["name"] == mount["name"])
    return None


def test_every_nats_and_postgresql_connection_is_verified_tls(rendered):
    """Services, their init containers and Jobs: NATS over tls:// against a mounted CA file, PostgreSQL with
    PGSSLMODE=verify-full against a mounted CA file; the NATS servers read their certificate from a secret."""
    checked = 0
    for document in rendered:
        if document["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        spec = pod_spec(document)
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            if "NATS_URL" in env:
                assert env["NATS_URL"].startswith("tls://"), identity(document)
                assert _mounted(spec, container, env["NATS_TLS_CA_FILE"])["secret"]["secretName"] == "wellflow-ca"
                checked += 1
            if {"DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_ADMIN_URL"} & set(env):
                assert env.get("PGSSLMODE") == "verify-full", (identity(document), container["name"])
                assert _mounted(spec, container, env["PGSSLROOTCERT"])["secret"]["secretName"] == "wellflow-ca"
                checked += 1
    assert checked >= 16
    statefulset = by_kind(rendered, "StatefulSet")["nats"]
    container = next(c for c in pod_spec(statefulset)["containers"] if c["name"] == "nats")  # beside "metrics"
    config = by_kind(rendered, "ConfigMap")["nats-config"]["data"]["nats-cluster.conf"]
    for path in re.findall(r"(?m)^\s*(?:cert|key|ca)_file: (\S+)", config):
        assert _mounted(pod_spec(statefulset), container, path)["secret"]["secretName"] == "wellflow-nats-tls"
    assert config.count("cert_file:") == 2, "clients and routes"


@pytest.mark.parametrize("kustomization", ["base", "overlays/production"])
def test_compliance_files_by_hand_in_kubernetes(kustomization):
    """No RRC_PORTAL_ADAPTER in compliance's environment or the shared config: production gets the manual
    default (prepared, awaiting the RRC's confirmation); the stand-in is for the dev stack and the demo overlay."""
    rendered = render(DEPLOY / kustomization)
    (container,) = pod_spec(by_kind(rendered, "Deployment")["compliance"])["containers"]
    assert "RRC_PORTAL_ADAPTER" not in {variable["name"] for variable in container["env"]}
    assert "RRC_PORTAL_ADAPTER" not in by_kind(rendered, "ConfigMap")["wellflow-config"]["data"]
    demo = pod_spec(by_kind(render(DEPLOY / "overlays" / "demo"), "Deployment")["compliance"])["containers"][0]
    assert {"name": "RRC_PORTAL_ADAPTER", "value": "stand-in"} in demo["env"]
