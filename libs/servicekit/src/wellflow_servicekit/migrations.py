"""Helpers for services' alembic migrations: messaging tables, tenant tables with RLS, and env.py wiring.

A service's ``migrations/env.py`` is two lines::

    from wellflow_servicekit.migrations import run_alembic
    from wellflow_wells.adapters.tables import metadata
    run_alembic(metadata)

Migrations run as the service's owner role (``DATABASE_OWNER_URL``); the runtime role gets its rights
through the default privileges set when the database was provisioned.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection

from .tables import TENANT_COLUMN, messaging_metadata
from .tables import organization_id_column as organization_id_column  # migrations import it from here

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TENANT_PREDICATE = f"{TENANT_COLUMN} = nullif(current_setting('app.current_organization_id', true), '')::uuid"


def _ident(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def tenant_rls_sql(table: str) -> list[str]:
    """Statements that put ``table`` under tenant row-level security (ENABLE, FORCE, one policy)."""
    table = _ident(table)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})",
    ]


def enable_tenant_rls(op, table: str) -> None:  # type: ignore[no-untyped-def]
    """Inside a migration: ``enable_tenant_rls(op, "wells")``."""
    for statement in tenant_rls_sql(table):
        op.execute(statement)


def create_messaging_tables(op) -> None:  # type: ignore[no-untyped-def]
    messaging_metadata.create_all(bind=op.get_bind())


def drop_messaging_tables(op) -> None:  # type: ignore[no-untyped-def]
    messaging_metadata.drop_all(bind=op.get_bind())


def create_tenant_tables(op, metadata: MetaData, names: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    """A first migration's tables as ``metadata`` declares them at that revision, each with RLS forced; a later
    change to them is a new revision with explicit operations."""
    bind = op.get_bind()
    for name in names:
        metadata.tables[name].create(bind=bind)
        enable_tenant_rls(op, name)


def drop_tenant_tables(op, metadata: MetaData, names: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    bind = op.get_bind()
    for name in reversed(names):
        metadata.tables[name].drop(bind=bind)


def run_alembic(target_metadata: MetaData | None) -> None:
    """The body of a service's ``migrations/env.py``: online migrations over asyncpg as the owner role."""
    from alembic import context
    from sqlalchemy.ext.asyncio import create_async_engine

    config = context.config
    url = os.environ.get("DATABASE_OWNER_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("DATABASE_OWNER_URL is not set: migrations run as the service's owner role")

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run())


def upgrade(service_dir: Path, owner_url: str, revision: str = "head") -> None:
    """Run a service's migrations programmatically (tests, the dev stack)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    previous = os.environ.get("DATABASE_OWNER_URL")
    os.environ["DATABASE_OWNER_URL"] = owner_url
    try:
        command.upgrade(config, revision)
    finally:
        if previous is None:
            os.environ.pop("DATABASE_OWNER_URL", None)
        else:
            os.environ["DATABASE_OWNER_URL"] = previous


RLS_GAPS_SQL = text(
    """
    SELECT c.relname AS table_name,
           c.relrowsecurity AS rls_enabled,
           c.relforcerowsecurity AS rls_forced,
           count(p.polname) AS policies
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = :column AND NOT a.attisdropped
 LEFT JOIN pg_policy p ON p.polrelid = c.oid
     WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
  GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
    """
)


async def find_rls_gaps(connection) -> list[str]:  # type: ignore[no-untyped-def]
    """Every tenant table (one with ``organization_id``) lacking RLS, FORCE or a policy, described."""
    rows = (await connection.execute(RLS_GAPS_SQL, {"column": TENANT_COLUMN})).mappings().all()
    gaps = []
    for row in rows:
        missing = [
            what
            for what, ok in (
                ("ROW LEVEL SECURITY", row["rls_enabled"]),
                ("FORCE ROW LEVEL SECURITY", row["rls_forced"]),
                ("a policy", row["policies"] > 0),
            )
            if not ok
        ]
        if missing:
            gaps.append(f"{row['table_name']}: missing {', '.join(missing)}")
    return gaps


RUNTIME_ROLE_SQL = text(
    """
    SELECT r.rolname, r.rolsuper, r.rolbypassrls,
           (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relowner = r.oid AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS owned
      FROM pg_roles r WHERE r.rolname = current_user
    """
)


async def runtime_role_problems(connection) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with the connected role as a runtime role (superuser, BYPASSRLS, owns objects)."""
    row = (await connection.execute(RUNTIME_ROLE_SQL)).mappings().one()
    problems = []
    if row["rolsuper"]:
        problems.append(f"{row['rolname']} is a superuser")
    if row["rolbypassrls"]:
        problems.append(f"{row['rolname']} has BYPASSRLS")
    if row["owned"]:
        problems.append(f"{row['rolname']} owns {row['owned']} relations")
    return problems
