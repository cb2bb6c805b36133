"""NATS users for the dev stack, from the same accounts file that compose and Kubernetes use.

``deploy/nats/accounts.conf`` is the one definition of who may publish and subscribe to what: an ``admin``
user, one user per service (its own events only), and the tenant accounts of ``tenants.conf`` (an outside
system of one organization subscribes to exactly ``wellflow.evt.<organization>.>``). The dev stack copies it
into ``.wellflow/nats-config/``, generates each user's password once (kept in ``secrets.json``, 0600), and
starts the embedded server with those passwords in its environment; each service gets a ``NATS_URL`` carrying
its own user. ``wellflow nats-tenant ORG`` adds a tenant subscriber and reloads the server.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

from .stack import StackConfig, _write_private, ensure_home

PASSWORD_VARIABLE = re.compile(r"password:\s*\$NATS_([A-Z0-9_]+)_PASSWORD")
TENANTS_HEADER = """\
# Outside subscribers of one organization each, added by `wellflow nats-tenant ORGANIZATION_ID`
# (the same blocks as deploy/nats/tenants.conf; see docs/deploy.md). Kept across `wellflow up`.
"""


def accounts_source(root: Path) -> Path | None:
    path = root / "deploy" / "nats" / "accounts.conf"
    return path if path.is_file() else None


def users_in(accounts_conf: Path) -> list[str]:
    """The users whose password the accounts file takes from ``$NATS_<USER>_PASSWORD``, lower-cased."""
    return [name.lower() for name in PASSWORD_VARIABLE.findall(accounts_conf.read_text())]


def new_password() -> str:
    # NATS reads an environment variable's value as configuration: one that starts with a digit or '-' is
    # parsed as a number and the server refuses to start. A letter first and hex after is always a string.
    return "w" + secrets.token_hex(24)


def user_passwords(config: StackConfig, users: list[str]) -> dict[str, str]:
    """Each user's password, made once and kept in secrets.json under ``nats``."""
    try:
        stored: dict[str, Any] = json.loads(config.secrets_file.read_text())
    except (OSError, ValueError):
        stored = {}
    passwords = stored.setdefault("nats", {})
    changed = False
    for user in users:
        if not passwords.get(user):
            passwords[user] = new_password()
            changed = True
    if changed:
        ensure_home(config)
        _write_private(config.secrets_file, json.dumps(stored, indent=2, sort_keys=True) + "\n")
    return {user: passwords[user] for user in users}


def config_dir(config: StackConfig) -> Path:
    return config.home / "nats-config"


def write_server_config(config: StackConfig, source: Path, port: int) -> Path:
    """``nats-config/nats.conf`` including a fresh copy of the accounts file and the kept ``tenants.conf``."""
    folder = config_dir(config)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    shutil.copyfile(source, folder / "accounts.conf")
    tenants = folder / "tenants.conf"
    if not tenants.exists():
        _write_private(tenants, TENANTS_HEADER)
    tenants.chmod(0o600)  # the tenants' passwords
    main = folder / "nats.conf"
    main.write_text(
        "# Written by `wellflow up`; port, store and pid file come from the command line. The name is here too:\n"
        "# a reload (SIGHUP, after `wellflow nats-tenant`) refuses a configuration whose server name changed.\n"
        f"server_name: wellflow-{port}\n"
        "max_payload: 1MB\n"
        'include "accounts.conf"\n'
    )
    return main


def server_environment(passwords: Mapping[str, str]) -> dict[str, str]:
    return {f"NATS_{user.upper()}_PASSWORD": password for user, password in passwords.items()}


def url_for(base_url: str, user: str, password: str) -> str:
    scheme, _, rest = base_url.partition("://")
    return f"{scheme}://{user}:{password}@{rest}"


def add_tenant(config: StackConfig, organization_id: UUID, label: str) -> tuple[str, str, str]:
    """Append a tenant subscriber to tenants.conf; returns (user, password, subjects). The caller reloads."""
    from wellflow_contracts.subjects import tenant_filter
    from wellflow_servicekit.deploy_cli import nats_tenant_block

    tenants = config_dir(config) / "tenants.conf"
    if not tenants.exists():
        raise FileNotFoundError(f"{tenants} does not exist: run `wellflow up` first")
    user = f"{organization_id}-{label}"
    if f'user: "{user}"' in tenants.read_text():
        raise ValueError(f"a subscriber {label!r} of organization {organization_id} exists already")
    password = new_password()
    tenants.chmod(0o600)
    with tenants.open("a") as out:
        out.write(nats_tenant_block(organization_id, label=label, password=password))
    return user, password, tenant_filter(organization_id)
