"""docker-compose.yml: valid against the Compose specification's schema (vendored in deploy/schemas, no
engine or network needed), every WellFlow image built from a Dockerfile here, migrations and the stream
before the services, secrets only by reference, and each service's environment accepted by its own
settings class once compose has filled it in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_helpers import SERVICE_USERS, ServiceSpec, by_folder, service_settings_class
from deploy_schema import compose_errors, jsonschema_errors, load

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / "deploy" / "compose.env.example"
INFRASTRUCTURE_IMAGES = {"postgres", "nats"}  # official images, pinned to a version; everything else is built here

_VARIABLE = re.compile(
    r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>[A-Za-z_]\w*))"
)


class MissingVariable(Exception):
    pass


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}, $$."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg") or ""
        present = name in env
        empty = present and env[name] == ""
        if op in (":?", "?") and (not present or (op == ":?" and empty)):
            raise MissingVariable(f"{name}: {arg}")
        if op in (":-", "-") and (not present or (op == ":-" and empty)):
            return arg
        return env.get(name, "")

    return _VARIABLE.sub(substitute, value)


def example_env() -> dict[str, str]:
    """compose.env.example with every required variable given a distinct value, as a person would."""
    env = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value or f"{name.lower().replace('_', '-')}-0123456789abcdef0123456789abcdef"
    return env


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def compose(raw) -> dict[str, Any]:
    return interpolate(raw, example_env())


def deployables() -> dict[str, ServiceSpec]:
    # keyed by folder: compose names each service after its folder (a host name has no underscore)
    return by_folder()


def test_the_file_is_valid_against_the_compose_specification(raw, compose):
    assert compose_errors(raw) == []
    assert compose_errors(compose) == []
    schema = load("compose-spec.json")
    other = jsonschema_errors(compose, schema, schema)  # a second opinion where the package is installed
    assert other in (None, [])


def test_the_schema_check_catches_mistakes(compose):
    broken = json.loads(json.dumps(compose))
    broken["services"]["wells"]["healthcheck"]["retries"] = [5]
    broken["services"]["gateway"]["depends_on"]["wells"]["condition"] = "service_started_maybe"
    broken["services"]["nats"]["restart_policy"] = "always"
    errors = compose_errors(broken)
    assert any("retries" in e for e in errors)
    assert any("condition" in e for e in errors)
    assert any("restart_policy" in e for e in errors)


def test_every_secret_is_a_reference_that_compose_refuses_to_run_without(raw):
    env = example_env()
    interpolate(raw, env)  # complete: fine
    secrets = [name for name in env if name.endswith(("PASSWORD", "KEY"))]
    assert {"POSTGRES_PASSWORD", "KEY_ENCRYPTION_KEY", "NATS_ADMIN_PASSWORD", "WELLS_DB_PASSWORD"} <= set(secrets)
    for name in secrets:
        with pytest.raises(MissingVariable, match=name):
            interpolate(raw, {k: v for k, v in env.items() if k != name})
    text = COMPOSE.read_text()
    assert not re.search(r"(?i)password[^$\n]*[:=]\s*['\"]?\w{6,}", text.replace("_PASSWORD:", "")), "literal secret"


def test_every_wellflow_image_is_built_from_a_dockerfile_in_the_repository(compose):
    built: dict[str, tuple[Path, str]] = {}
    for name, service in compose["services"].items():
        image = service.get("image", "")
        if "build" not in service:
            repository, _, tag = image.partition(":")
            assert repository in INFRASTRUCTURE_IMAGES, f"{name}: {image} is neither built here nor infrastructure"
            assert tag and tag != "latest", f"{name}: pin {image} to a version"
            continue
        context = REPO / service["build"]["context"]
        dockerfile = context / service["build"]["dockerfile"]
        assert context.resolve() == REPO, f"{name}: the build context is the repository root (libs, uv.lock)"
        assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"
        assert image.startswith("wellflow/"), f"{name}: built images are named wellflow/<service>"
        # one image name, one build: a job reusing a service's image builds it from the same file and arguments
        build = (dockerfile, json.dumps(service["build"].get("args", {}), sort_keys=True))
        assert built.setdefault(image, build) == build, f"{image} is built two ways"


def test_every_deployable_runs_after_its_migrations_and_the_stream(compose):
    services = compose["services"]
    for name, spec in deployables().items():
        assert name in services, f"{name} is missing from docker-compose.yml"
        service = services[name]
        # one Dockerfile for all, told the folder whose declaration it builds, and that declaration's name and port
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["build"]["args"] == {
            "SERVICE": spec.directory.relative_to(REPO).as_posix(),
            "SERVICE_NAME": spec.name,
            "HTTP_PORT": str(spec.port),
        }
        assert service.get("healthcheck"), f"{name} has no health check"
        if spec.database:
            job = services[f"{name}-migrate"]
            assert job["command"] == ["python", "-m", "wellflow_servicekit.deploy_cli", "migrate"]
            assert job["image"] == service["image"]
            assert service["depends_on"][f"{name}-migrate"]["condition"] == "service_completed_successfully"
            assert service["depends_on"]["nats-stream"]["condition"] == "service_completed_successfully"
            assert job["depends_on"]["postgres"]["condition"] == "service_healthy"
            env = service["environment"]
            # the running service holds neither the owner's nor the administrator's credentials
            assert "DATABASE_OWNER_URL" not in env and "DATABASE_ADMIN_URL" not in env
            assert env["DATABASE_URL"].split("://")[1].startswith(f"wellflow_{name}_app:")
            assert job["environment"]["DATABASE_OWNER_URL"].split("://")[1].startswith(f"wellflow_{name}_owner:")
            # the service logs in to NATS as its own user, with the password the server was given for it
            server_password = services["nats"]["environment"][f"NATS_{name.upper()}_PASSWORD"]
            assert env["NATS_URL"] == f"tls://{name}:{server_password}@nats:4222"


def test_dependencies_exist_and_wait_for_health_that_is_checked(compose):
    services = compose["services"]
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                assert services[target].get("healthcheck"), f"{target} has no health check to wait for"
            if rule["condition"] == "service_completed_successfully":
                assert services[target].get("restart") == "no", f"{target} is a one-shot job"


def test_nats_runs_jetstream_on_file_storage_with_fsync_always(compose):
    nats = compose["services"]["nats"]
    assert nats["command"] == ["-c", "/etc/nats/nats.conf"]
    mounts = {source: target for source, target, *_ in (volume.split(":") for volume in nats["volumes"])}
    assert mounts["./deploy/nats"] == "/etc/nats"
    config_dir = REPO / "deploy" / "nats"
    config = (config_dir / "nats.conf").read_text()
    assert re.search(r"(?m)^\s*sync_interval: always", config)
    assert re.search(r"(?m)^\s*store_dir: /data/jetstream", config) and mounts["natsdata"] == "/data"
    assert 'include "accounts.conf"' in config
    needed = set(re.findall(r"\$(NATS_[A-Z_]+_PASSWORD)", (config_dir / "accounts.conf").read_text()))
    users = {f"NATS_{user.upper()}_PASSWORD" for user in ("admin", *SERVICE_USERS)}
    assert needed == users, "accounts.conf has one user for the administrator and each service with events"
    assert needed <= set(nats["environment"]), "every account password reaches the server"
    stream = compose["services"]["nats-stream"]
    assert stream["command"][0] == "wellflow-ensure-stream"


def test_each_service_accepts_the_environment_compose_gives_it(compose, monkeypatch):
    from wellflow_servicekit.settings import load_settings

    services = compose["services"]
    for name, spec in deployables().items():
        if spec.directory.parent.name == "tools":  # the RRC portal stand-in reads no WellFlow settings
            continue
        env = {key: str(value) for key, value in services[name]["environment"].items()}
        for key in list(env):
            monkeypatch.delenv(key, raising=False)
        with monkeypatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            settings = load_settings(service_settings_class(name))
            assert settings.service_name == name
            assert settings.http_port == spec.port
            if name == "gateway":
                urls = settings.wellflow_service_urls
                for target, target_spec in deployables().items():
                    if target_spec.database:  # identity over HTTPS (test_identity_tls.py)
                        scheme = "https" if target == "identity" else "http"
                        assert urls[target] == f"{scheme}://{target}:{target_spec.port}"
    identity = services["identity"]["environment"]
    assert len(identity["KEY_ENCRYPTION_KEY"]) >= 32


def test_every_nats_and_postgresql_connection_is_verified_tls(compose):
    """Clients: tls:// NATS URLs and PGSSLMODE=verify-full, both against the mounted CA, and no server key in
    a WellFlow container. Servers: NATS requires TLS, PostgreSQL accepts only hostssl connections."""
    clients = 0
    for name, service in compose["services"].items():
        env, volumes = service.get("environment") or {}, service.get("volumes") or []
        if "NATS_URL" not in env and "DATABASE_URL" not in env:
            continue
        clients += 1
        if "NATS_URL" in env:
            assert env["NATS_URL"].startswith("tls://"), name
        assert env["PGSSLMODE"] == "verify-full" and env["PGSSLROOTCERT"] == env["NATS_TLS_CA_FILE"], name
        assert f"./deploy/tls/ca.crt:{env['PGSSLROOTCERT']}:ro" in volumes, name
        keys = [volume for volume in volumes if ".key:" in volume]
        own = [f"./deploy/tls/{name}.key:/etc/wellflow/tls/{name}.key:ro"] if name == "identity" else []
        assert keys == own, f"{name} can read another server's key"
    assert clients == 2 * len(SERVICE_USERS) + 1  # every service, its migration job, and the stream job

    nats_conf = (REPO / "deploy" / "nats" / "nats.conf").read_text()
    assert re.search(r"(?ms)^tls \{.*cert_file: /etc/wellflow/tls/nats.crt", nats_conf)
    assert "./deploy/tls/nats.key:/etc/wellflow/tls/nats.key:ro" in compose["services"]["nats"]["volumes"]

    postgres = compose["services"]["postgres"]
    assert "ssl=on" in postgres["command"] and "hba_file=/etc/wellflow/pg_hba.conf" in postgres["command"]
    hba = [
        line.split()
        for line in (REPO / "deploy" / "postgres" / "pg_hba.conf").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {line[0] for line in hba} == {"local", "hostssl"}, "no plain TCP line"
    assert all(line[-1] == "scram-sha-256" for line in hba if line[0] == "hostssl")


def test_nats_monitoring_is_never_published(compose):
    """Tenants reach 4222 only: the monitoring port lists every connection and account."""
    published = [str(port) for port in compose["services"]["nats"].get("ports", [])]
    assert published and all(port.endswith(":4222") for port in published)
    nats_conf = (REPO / "deploy" / "nats" / "nats.conf").read_text()
    assert re.search(r"(?m)^http: 127\.0\.0\.1:8222$", nats_conf), "monitoring on the container's loopback only"
    for name, service in compose["services"].items():
        assert not any("8222" in str(port) for port in service.get("ports", [])), name


def test_compliance_files_by_hand_in_a_deployment(compose):
    """Compose sets no RRC_PORTAL_ADAPTER for compliance, so it gets the manual default (prepared, awaiting the
    RRC's confirmation), and does not wait for the stand-in: only the dev stack and the demo use it."""
    from wellflow_compliance.settings import ComplianceSettings

    compliance = compose["services"]["compliance"]
    assert "RRC_PORTAL_ADAPTER" not in compliance["environment"]
    assert "rrc-portal" not in compliance.get("depends_on", {})
    assert ComplianceSettings.model_fields["rrc_portal_adapter"].default == "manual"
