"""Release chores run from a service image: prepare a service's database, and make NATS credentials.

    python -m wellflow_servicekit.deploy_cli migrate [--service-dir DIR]
    python -m wellflow_servicekit.deploy_cli wait-migrated [--service-dir DIR] [--timeout 900]
    python -m wellflow_servicekit.deploy_cli nats-tenant ORGANIZATION_ID [--label erp]

``migrate`` provisions the roles, then migrates.
Run once per service and release, before the service's new pods or containers start (a Kubernetes Job,
a one-shot compose service), from the service's own image: its working directory holds ``alembic.ini``
and ``migrations/``. It reads the service's environment:

``SERVICE_NAME``
    e.g. ``wells``: names the database (``wellflow_wells``) and roles (``wellflow_wells_owner``, ``_app``).
``DATABASE_URL``, ``DATABASE_OWNER_URL``
    the runtime and owner roles' URLs, as the service and its migrations use them.
``DATABASE_ADMIN_URL`` (optional)
    a superuser or CREATEDB + CREATEROLE connection (``postgresql://...``). When set, the database and
    both roles are created or repaired first, with the passwords taken from the two URLs above, so one
    secret per service holds everything. Without it the roles must exist already (a managed PostgreSQL
    whose administrator created them with ``provisioning.provision_service_database``).

It refuses URLs whose role names differ from the convention: a runtime role that owned the tables would
bypass row-level security, and this is the last moment to catch a swapped secret.

``wait-migrated`` is a pod's init container: it waits, as the runtime role (``DATABASE_URL``), until the
database carries this image's migration head, so a new version never serves on an old schema while the
release's migration Job runs. A revision this image does not know counts as newer (migrations are
additive, so a pod of the previous version may start beside them, as in a rolling update).

``nats-tenant`` prints an account block for deploy/nats/tenants.conf: an outside system of one
organization may subscribe to exactly ``wellflow.evt.<organization id>.>`` and nothing else, with a fresh
password, and the URL that system connects with.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit
from uuid import UUID

from wellflow_contracts.subjects import DEFAULT_ROOT, feed_consumer, feed_stream_name, tenant_filter

from .provisioning import provision_service_database, service_database_names
from .runtime import run


class DeployError(RuntimeError):
    """The environment cannot prepare this service's database; the message names the variable."""


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise DeployError(f"{name} is not set")
    return value


def _role_and_password(variable: str, url: str, expected_role: str, expected_database: str) -> str:
    """The password of a role URL, after checking that it names the conventional role and database."""
    parts = urlsplit(url)
    role = unquote(parts.username or "")
    if role != expected_role:
        raise DeployError(f"{variable} connects as {role!r}; this service's role is {expected_role!r}")
    database = unquote(parts.path.lstrip("/"))
    if database != expected_database:
        raise DeployError(f"{variable} names database {database!r}; this service's database is {expected_database!r}")
    if not parts.password:
        raise DeployError(f"{variable} has no password")
    return unquote(parts.password)


def provision_from_environment() -> str | None:
    """Create or repair the database and roles when DATABASE_ADMIN_URL is set; return what was done."""
    admin_url = os.environ.get("DATABASE_ADMIN_URL")
    if not admin_url:
        return None
    service = _required("SERVICE_NAME")
    database, owner_role, runtime_role = service_database_names(service)
    owner_password = _role_and_password("DATABASE_OWNER_URL", _required("DATABASE_OWNER_URL"), owner_role, database)
    runtime_password = _role_and_password("DATABASE_URL", _required("DATABASE_URL"), runtime_role, database)
    if owner_password == runtime_password:
        raise DeployError("DATABASE_URL and DATABASE_OWNER_URL share a password; give each role its own")
    provisioned = run(
        provision_service_database(admin_url, service, owner_password=owner_password, runtime_password=runtime_password)
    )
    return f"database {provisioned.name}: roles {provisioned.owner_role} and {provisioned.runtime_role} ready"


def migrate(service_dir: Path) -> None:
    """``alembic upgrade head`` as the owner role, from the service's folder."""
    from .migrations import upgrade

    if not (service_dir / "alembic.ini").is_file():
        raise DeployError(f"no alembic.ini in {service_dir} (run from the service's folder or pass --service-dir)")
    service = _required("SERVICE_NAME")
    database, owner_role, _ = service_database_names(service)
    owner_url = _required("DATABASE_OWNER_URL")
    _role_and_password("DATABASE_OWNER_URL", owner_url, owner_role, database)
    upgrade(service_dir, owner_url)


def migration_heads(service_dir: Path) -> set[str]:
    """The head revisions of the migrations shipped in ``service_dir``."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def _is_current(service_dir: Path, applied: set[str], heads: set[str]) -> bool:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if not applied:
        return False
    if applied == heads:
        return True
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    script = ScriptDirectory.from_config(config)
    for revision in applied:
        try:
            known = script.get_revision(revision)
        except CommandError:
            continue  # unknown here: written by a newer release
        if known is None or known.revision not in heads:
            return False  # an older revision: this release's migrations have not run yet
    return True


async def _applied_revisions(runtime_url: str) -> set[str]:
    import asyncpg

    conn = await asyncpg.connect(runtime_url.replace("postgresql+asyncpg://", "postgresql://", 1), timeout=5)
    try:
        rows = await conn.fetch("SELECT version_num FROM alembic_version")
    except asyncpg.UndefinedTableError:
        return set()
    finally:
        await conn.close()
    return {row["version_num"] for row in rows}


def wait_migrated(service_dir: Path, *, timeout: float, interval: float = 2.0) -> bool:
    """True once the database is at this image's head (or newer); False after ``timeout`` seconds."""
    import time

    runtime_url = _required("DATABASE_URL")
    heads = migration_heads(service_dir)
    deadline = time.monotonic() + timeout
    last_said = 0.0
    while True:
        try:
            applied = run(_applied_revisions(runtime_url))
        except Exception as exc:  # not reachable yet, or its role not provisioned yet: keep waiting
            applied, reason = set(), f"database not reachable ({exc.__class__.__name__})"
        else:
            reason = f"database at {sorted(applied) or 'no revision'}, this image needs {sorted(heads)}"
        if _is_current(service_dir, applied, heads):
            return True
        now = time.monotonic()
        if now >= deadline:
            print(f"wellflow deploy: gave up after {timeout:.0f} s: {reason}", file=sys.stderr, flush=True)
            return False
        if now - last_said >= 10:
            print(f"waiting for migrations: {reason}", flush=True)
            last_said = now
        time.sleep(min(interval, max(0.0, deadline - now)))


_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


TENANT_MAX_CONNECTIONS = 5
TENANT_MAX_SUBSCRIPTIONS = 20
TENANT_MAX_PAYLOAD = 1024 * 1024


def nats_tenant_block(
    organization_id: UUID,
    *,
    label: str,
    password: str,
    root: str = DEFAULT_ROOT,
    max_connections: int = TENANT_MAX_CONNECTIONS,
    max_subscriptions: int = TENANT_MAX_SUBSCRIPTIONS,
) -> str:
    """The tenants.conf account of one organization's outside subscriber.

    Its own account imports only the organization's subjects from WELLFLOW (so nothing else ever reaches
    it), and its user may subscribe to exactly those subjects and publish nothing: a subscription to any
    other subject is refused with a permissions violation. The account's limits bound what one outside
    system can hold on the servers: ``max_connections`` connections and ``max_subscriptions`` subscriptions
    at once (the server refuses the next one), messages no larger than the servers' own 1 MB.
    """
    if max_connections < 1 or max_subscriptions < 1:
        raise DeployError("an outside subscriber needs at least one connection and one subscription")
    if not _LABEL.match(label):
        raise DeployError(f"label must match {_LABEL.pattern}, got {label!r}")
    if '"' in password or "\\" in password or not password:
        raise DeployError("the password must be non-empty and hold no quotes or backslashes")
    subjects = tenant_filter(organization_id, root)
    user = f"{organization_id}-{label}"
    feed = feed_api_subjects(organization_id, label, root)
    allowed = ", ".join(f'"{subject}"' for subject in feed)
    return "\n".join(
        [
            f"# organization {organization_id}, subscriber {label!r}: live subjects and its durable feed {label!r}",
            f'"TENANT_{organization_id}" {{',
            "  users: [",
            f'    {{ user: "{user}", password: "{password}",',
            f"      permissions: {{ publish: {{ allow: [{allowed}] }},",
            f'                     subscribe: {{ allow: ["{subjects}", "_INBOX.>"] }} }} }}',
            "  ]",
            f'  imports: [ {{ stream: {{ account: WELLFLOW, subject: "{subjects}" }} }}',
            *(f'             {{ service: {{ account: WELLFLOW, subject: "{subject}" }} }}' for subject in feed),
            "  ]",
            f"  limits: {{ max_connections: {max_connections}, max_subscriptions: {max_subscriptions}, "
            f"max_payload: {TENANT_MAX_PAYLOAD} }}",
            "}",
            "",
        ]
    )


def feed_api_subjects(organization_id: UUID, label: str, root: str = DEFAULT_ROOT) -> tuple[str, str]:
    """What a tenant may reach of JetStream: fetch from and acknowledge on its own feed consumer, nothing else.

    WELLFLOW exports these (accounts.conf) for any feed consumer; each tenant account imports only its own.
    """
    stream, consumer = feed_stream_name(root), feed_consumer(organization_id, label)
    return f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}", f"$JS.ACK.{stream}.{consumer}.>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wellflow_servicekit.deploy_cli", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    migrate_parser = commands.add_parser("migrate", help="provision (with DATABASE_ADMIN_URL) and migrate")
    migrate_parser.add_argument(
        "--service-dir", type=Path, default=Path.cwd(), help="folder with alembic.ini (default: here)"
    )
    wait_parser = commands.add_parser("wait-migrated", help="wait until the database is at this image's head")
    wait_parser.add_argument("--service-dir", type=Path, default=Path.cwd(), help="folder with alembic.ini")
    wait_parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait (default 900)")
    tenant_parser = commands.add_parser("nats-tenant", help="print a tenants.conf block for one organization")
    tenant_parser.add_argument("organization_id", type=UUID, help="the organization (tenant) id")
    tenant_parser.add_argument("--label", default="events", help="names the subscriber, e.g. erp (default events)")
    tenant_parser.add_argument(
        "--server", default="tls://nats:4222", help="the URL printed for the subscriber (deployments speak TLS)"
    )
    tenant_parser.add_argument(
        "--max-connections", type=int, default=TENANT_MAX_CONNECTIONS, help="connections the subscriber may hold"
    )
    tenant_parser.add_argument(
        "--max-subscriptions", type=int, default=TENANT_MAX_SUBSCRIPTIONS, help="subscriptions it may hold at once"
    )
    args = parser.parse_args(argv)
    if args.command == "nats-tenant":
        return _print_tenant(args)
    if args.command == "wait-migrated":
        try:
            return 0 if wait_migrated(args.service_dir.resolve(), timeout=args.timeout) else 1
        except DeployError as exc:
            print(f"wellflow deploy: {exc}", file=sys.stderr)
            return 2
    try:
        done = provision_from_environment()
        if done:
            print(done, flush=True)
        migrate(args.service_dir.resolve())
    except DeployError as exc:
        print(f"wellflow deploy: {exc}", file=sys.stderr)
        return 2
    print(f"{os.environ['SERVICE_NAME']}: migrations at head", flush=True)
    return 0


def _print_tenant(args: argparse.Namespace) -> int:
    password = secrets.token_urlsafe(32)
    root = os.environ.get("EVENT_SUBJECT_ROOT") or DEFAULT_ROOT
    try:
        block = nats_tenant_block(
            args.organization_id,
            label=args.label,
            password=password,
            root=root,
            max_connections=args.max_connections,
            max_subscriptions=args.max_subscriptions,
        )
    except DeployError as exc:
        print(f"wellflow deploy: {exc}", file=sys.stderr)
        return 2
    server = urlsplit(args.server)
    user = f"{args.organization_id}-{args.label}"
    print("# 1. add to deploy/nats/tenants.conf (or the tenants.conf of your NATS secret) and reload NATS:")
    print(block)
    print("# 2. give the outside system, over a private channel:")
    print(f"#    url:      {server.scheme}://{user}:{password}@{server.netloc}")
    print(f"#    subjects: {tenant_filter(args.organization_id, root)}")
    print(f"#    feed:     stream {feed_stream_name(root)}, consumer {feed_consumer(args.organization_id, args.label)}")
    print(f"#              (made by POST /api/v1/feeds with name {args.label!r}; docs/integrations.md)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
