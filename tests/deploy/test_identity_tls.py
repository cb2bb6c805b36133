"""Identity's signing keys (JWKS) never travel in plain text in a deployment: in docker-compose.yml and every
Kubernetes kustomization, identity serves HTTPS with a certificate from a secret, every WellFlow process (the
gateway too) fetches the JWKS from an https:// URL trusting a CA file that is really mounted, with
JWKS_REQUIRE_TLS on, and the gateway forwards to identity over https with that CA. The serving side itself
(the image's `serve` handing the certificate to uvicorn) is tested in test_dockerfiles.py; the verifying side in
servicekit's test_jwks_tls.py and the gateway's test_identity_tls.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_helpers import services
from deploy_kustomize import identity, render
from test_compose import COMPOSE, example_env, interpolate

REPO = Path(__file__).resolve().parents[2]
JWKS_URL = "https://identity:8101/.well-known/jwks.json"
WELLFLOW_PROCESSES = set(services())  # the six services and the gateway


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return interpolate(yaml.safe_load(COMPOSE.read_text()), example_env())


def _compose_mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> host path of a compose service's bind mounts."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *_ = volume.split(":")
        mounts[target] = source
    return mounts


def test_compose_every_process_fetches_the_jwks_over_verified_tls(compose):
    checked = set()
    for name, service in compose["services"].items():
        env = service.get("environment") or {}
        if "JWKS_URL" not in env:
            continue
        checked.add(name)
        assert env["JWKS_URL"] == JWKS_URL, name
        assert str(env["JWKS_REQUIRE_TLS"]).lower() == "true", name
        assert _compose_mounts(service)[env["JWKS_CA_FILE"]] == "./deploy/tls/ca.crt", f"{name}: the CA is not mounted"
    assert checked == WELLFLOW_PROCESSES


def test_compose_identity_serves_https_and_the_gateway_reaches_it_so(compose):
    identity_env = compose["services"]["identity"]["environment"]
    mounts = _compose_mounts(compose["services"]["identity"])
    assert mounts[identity_env["HTTP_TLS_CERT_FILE"]] == "./deploy/tls/identity.crt"
    assert mounts[identity_env["HTTP_TLS_KEY_FILE"]] == "./deploy/tls/identity.key"
    probe = " ".join(compose["services"]["identity"]["healthcheck"]["test"])
    assert "https://identity:8101/health/ready" in probe and "cafile='/etc/wellflow/tls/ca.crt'" in probe

    gateway = compose["services"]["gateway"]
    urls = json.loads(gateway["environment"]["WELLFLOW_SERVICE_URLS"])
    assert urls["identity"] == "https://identity:8101"
    ca_file = gateway["environment"]["GATEWAY_UPSTREAM_CA_FILE"]
    assert _compose_mounts(gateway)[ca_file] == "./deploy/tls/ca.crt"
    # only identity's own container holds its key
    holders = [
        name for name, s in compose["services"].items() if "./deploy/tls/identity.key" in _compose_mounts(s).values()
    ]
    assert holders == ["identity"]


def test_the_tls_folder_documents_identitys_files():
    readme = (REPO / "deploy" / "tls" / "README.md").read_text()
    assert "identity.crt" in readme and "identity.key" in readme


@pytest.fixture(scope="module", params=["base", "overlays/production", "overlays/demo"])
def rendered(request) -> list[dict[str, Any]]:
    return render(REPO / "deploy" / request.param)


def _by_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def _secret_item(spec: dict[str, Any], container: dict[str, Any], path: str) -> tuple[str, str]:
    """(secret name, key) that a container reads at ``path``; fails when nothing is mounted there."""
    for mount in container.get("volumeMounts", []):
        prefix = mount["mountPath"].rstrip("/") + "/"
        if path.startswith(prefix):
            volume = next(v for v in spec["volumes"] if v["name"] == mount["name"])
            secret = volume["secret"]
            relative = path.removeprefix(prefix)
            items = {item["path"]: item["key"] for item in secret.get("items", [])}
            return secret["secretName"], items.get(relative, relative if not items else "")
    raise AssertionError(f"{container['name']}: nothing is mounted at {path}")


def test_kubernetes_every_process_fetches_the_jwks_over_verified_tls(rendered):
    config = _by_kind(rendered, "ConfigMap")["wellflow-config"]["data"]
    assert config["JWKS_URL"] == JWKS_URL
    assert config["JWKS_REQUIRE_TLS"] == "true"
    checked = set()
    for name, deployment in _by_kind(rendered, "Deployment").items():
        spec = deployment["spec"]["template"]["spec"]
        for container in spec["containers"]:
            if {"configMapRef": {"name": "wellflow-config"}} not in container.get("envFrom", []):
                continue
            env = {**config, **{e["name"]: e.get("value") for e in container.get("env", [])}}
            assert env["JWKS_URL"].startswith("https://"), identity(deployment)
            assert _secret_item(spec, container, env["JWKS_CA_FILE"]) == ("wellflow-ca", "identity-ca.crt")
            checked.add(name)
    assert checked >= WELLFLOW_PROCESSES


def test_kubernetes_identity_serves_https_and_the_gateway_reaches_it_so(rendered):
    deployments = _by_kind(rendered, "Deployment")
    spec = deployments["identity"]["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert _secret_item(spec, container, env["HTTP_TLS_CERT_FILE"]) == ("wellflow-identity-tls", "tls.crt")
    assert _secret_item(spec, container, env["HTTP_TLS_KEY_FILE"]) == ("wellflow-identity-tls", "tls.key")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["scheme"] == "HTTPS", probe
    tls_volume = next(
        v for v in spec["volumes"] if (v.get("secret") or {}).get("secretName") == "wellflow-identity-tls"
    )
    assert tls_volume["secret"]["defaultMode"] == 0o440 and spec["securityContext"]["fsGroup"] == 10001

    gateway_spec = deployments["gateway"]["spec"]["template"]["spec"]
    (gateway,) = gateway_spec["containers"]
    genv = {e["name"]: e.get("value") for e in gateway["env"]}
    assert json.loads(genv["WELLFLOW_SERVICE_URLS"])["identity"] == "https://identity:8101"
    assert _secret_item(gateway_spec, gateway, genv["GATEWAY_UPSTREAM_CA_FILE"]) == ("wellflow-ca", "identity-ca.crt")

    # no other pod can read identity's key
    for name, document in deployments.items():
        volumes = document["spec"]["template"]["spec"].get("volumes", [])
        holds = any((v.get("secret") or {}).get("secretName") == "wellflow-identity-tls" for v in volumes)
        assert holds == (name == "identity"), name


def test_the_deployment_doc_says_how_to_make_and_rotate_identitys_certificate():
    text = (REPO / "docs" / "deploy.md").read_text()
    for needed in ("wellflow-identity-tls", "identity-ca.crt", "identity.crt", "JWKS_REQUIRE_TLS", "JWKS_CA_FILE"):
        assert needed in text, needed
    assert "for server in nats postgres identity" in text, "the openssl recipe issues identity's certificate too"
