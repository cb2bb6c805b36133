"""Helpers of the deployment tests (imported by conftest.py and the tests; a uniquely named module, since
this folder is no package): what is deployed, read from each service's ``[tool.wellflow.service]``
declaration (the one the dev stack runs), deploy/nats/ rendered for this machine, NATS passwords in the
documented form, and each service's own settings class."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from wellflow_devstack.discovery import ServiceSpec, discover_services, load_target

REPO = Path(__file__).resolve().parents[2]
NATS_DIR = REPO / "deploy" / "nats"
DEPLOYABLES: tuple[ServiceSpec, ...] = tuple(discover_services(REPO))
"""Every declared service and stand-in (services/*, tools/*), identity first and the gateway last."""
SERVICE_USERS = tuple(spec.name for spec in DEPLOYABLES if spec.events)
"""The services that log in to NATS as their own user (those with a database publish or consume events)."""


def by_folder() -> dict[str, ServiceSpec]:
    """Every deployable by its folder's name, the name compose and the manifests give it (no underscore)."""
    return {spec.directory.name: spec for spec in DEPLOYABLES}


def services() -> dict[str, ServiceSpec]:
    """The WellFlow services (services/*, not the stand-ins under tools/) by name."""
    return {spec.name: spec for spec in DEPLOYABLES if spec.directory.parent.name == "services"}


@dataclass(frozen=True)
class TlsFiles:
    """A CA and a server certificate it signed, for 127.0.0.1, localhost and the deployments' NATS names."""

    folder: Path
    ca: Path
    cert: Path
    key: Path


def make_tls(folder: Path, names: tuple[str, ...] = ("localhost", "nats", "*.nats-headless")) -> TlsFiles:
    """What an operator provides (docs/deploy.md, "TLS"), made with servicekit's test certificates (``cryptography``):
    usable for serving and as a client, as NATS's cluster routes use it."""
    from wellflow_servicekit.testing_tls import issue_test_certificates

    made = issue_test_certificates(folder, names)
    return TlsFiles(folder, made.ca, made.cert, made.key)


def point_tls_at(text: str, tls: TlsFiles, *, cert: str, key: str, ca: str | None = None) -> str:
    """Replace a config's certificate paths (as deployed) with the files of ``tls``."""
    for deployed, local in ((cert, tls.cert), (key, tls.key), *(((ca, tls.ca),) if ca else ())):
        assert deployed in text, f"the configuration no longer reads {deployed}: update this test's renderer"
        text = text.replace(deployed, str(local))
    return text


def render_nats_config(target: Path, *, port: int, http_port: int, tenants: str, tls: TlsFiles | None = None) -> Path:
    """Copy deploy/nats/ into ``target`` with this machine's ports, store and certificates (made when not given);
    ``tenants`` is tenants.conf."""
    target.mkdir(parents=True, exist_ok=True)
    tls = tls or make_tls(target / "tls")
    text = point_tls_at(
        (NATS_DIR / "nats.conf").read_text(), tls, cert="/etc/wellflow/tls/nats.crt", key="/etc/wellflow/tls/nats.key"
    )
    for pattern, value in (
        (r"(?m)^port: 4222$", f"port: {port}"),
        (r"(?m)^http: 127.0.0.1:8222$", f"http: 127.0.0.1:{http_port}"),
        (r"(?m)^(\s*)store_dir: /data/jetstream$", rf"\g<1>store_dir: {target / 'jetstream'}"),
    ):
        text, count = re.subn(pattern, value, text)
        assert count == 1, f"deploy/nats/nats.conf no longer has {pattern!r}: update this test's renderer"
    (target / "nats.conf").write_text(text)
    shutil.copy(NATS_DIR / "accounts.conf", target / "accounts.conf")
    (target / "tenants.conf").write_text(tenants)
    return target / "nats.conf"


@dataclass
class DeployedNats:
    port: int
    passwords: dict[str, str]
    config_dir: Path
    process: subprocess.Popen[bytes]
    tls: TlsFiles

    def add_tenants(self, block: str) -> None:
        """What docs/deploy.md says to do: append to tenants.conf, then reload the server (SIGHUP)."""
        with open(self.config_dir / "tenants.conf", "a") as tenants:
            tenants.write("\n" + block)
        self.process.send_signal(signal.SIGHUP)

    def url(self, user: str, password: str | None = None) -> str:
        secret = self.passwords[user] if password is None else password
        return f"tls://{user}:{secret}@127.0.0.1:{self.port}"


def nats_password(random_hex: str) -> str:
    """The documented form of a NATS password (docs/deploy.md): a letter, then letters and digits.

    nats-server parses an environment variable's value as a configuration value, so a password that
    starts with a digit or '-' (as token_urlsafe's may) is read as a number or fails to parse.
    """
    return "n" + random_hex


def nats_environment(passwords: dict[str, str]) -> dict[str, str]:
    return {f"NATS_{user.upper()}_PASSWORD": secret for user, secret in passwords.items()}


def service_settings_class(name: str) -> type:
    """The settings class a service loads at start-up (its declaration's ``settings_target``), so a
    deployment's environment is checked against every variable the service requires, its own included."""
    return load_target(services()[name].settings_target)
