"""Helpers of the deployment tests (imported by conftest.py and the tests; a uniquely named module, since
this folder is no package): deploy/nats/ rendered for this machine, NATS passwords in the documented form,
and each service's own settings class."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NATS_DIR = REPO / "deploy" / "nats"
SERVICE_USERS = ("identity", "wells", "production", "compliance", "accounting")


def render_nats_config(target: Path, *, port: int, http_port: int, tenants: str) -> Path:
    """Copy deploy/nats/ into ``target`` with this machine's ports and store; ``tenants`` is tenants.conf."""
    target.mkdir(parents=True, exist_ok=True)
    text = (NATS_DIR / "nats.conf").read_text()
    for pattern, value in (
        (r"(?m)^port: 4222$", f"port: {port}"),
        (r"(?m)^http_port: 8222", f"http_port: {http_port}"),
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

    def add_tenants(self, block: str) -> None:
        """What docs/deploy.md says to do: append to tenants.conf, then reload the server (SIGHUP)."""
        with open(self.config_dir / "tenants.conf", "a") as tenants:
            tenants.write("\n" + block)
        self.process.send_signal(signal.SIGHUP)

    def url(self, user: str, password: str | None = None) -> str:
        secret = self.passwords[user] if password is None else password
        return f"nats://{user}:{secret}@127.0.0.1:{self.port}"


def nats_password(random_hex: str) -> str:
    """The documented form of a NATS password (docs/deploy.md): a letter, then letters and digits.

    nats-server parses an environment variable's value as a configuration value, so a password that
    starts with a digit or '-' (as token_urlsafe's may) is read as a number or fails to parse.
    """
    return "n" + random_hex


def nats_environment(passwords: dict[str, str]) -> dict[str, str]:
    return {f"NATS_{user.upper()}_PASSWORD": secret for user, secret in passwords.items()}


def service_settings_class(name: str) -> type:
    """The settings class a service loads at start-up (``wellflow_<name>.settings.<Name>Settings``), so a
    deployment's environment is checked against every variable the service requires, its own included."""
    import importlib

    module = importlib.import_module(f"wellflow_{name}.settings")
    return getattr(module, f"{name.capitalize()}Settings")
