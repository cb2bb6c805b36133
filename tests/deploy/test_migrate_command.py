"""The release step a compose init or a Kubernetes Job runs before a service starts:
``python -m wellflow_servicekit.deploy_cli migrate`` provisions the roles and migrates, idempotently,
and refuses a secret that would make the service run as the table owner."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
WELLS = REPO / "services" / "wells"

pytestmark = pytest.mark.integration


def _role_url(admin_url: str, role: str, password: str, database: str) -> str:
    parts = urlsplit(admin_url)
    host_port = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(role, safe='')}:{quote(password, safe='')}@{host_port}"
    return urlunsplit(("postgresql+asyncpg", netloc, "/" + database, parts.query, ""))


def _run_migrate(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wellflow_servicekit.deploy_cli", "migrate"],
        cwd=WELLS,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def release_env(infra):
    """The environment a migration Job of a fresh service gets: admin URL and both role URLs."""
    from wellflow_servicekit.provisioning import drop_service_database

    service = f"deploytest_{secrets.token_hex(4)}"
    database = f"wellflow_{service}"
    env = {
        "SERVICE_NAME": service,
        "DATABASE_ADMIN_URL": infra.admin_url,
        "DATABASE_OWNER_URL": _role_url(infra.admin_url, f"{database}_owner", secrets.token_urlsafe(18), database),
        "DATABASE_URL": _role_url(infra.admin_url, f"{database}_app", secrets.token_urlsafe(18), database),
    }
    yield env
    asyncio.run(drop_service_database(infra.admin_url, service))


async def _catalog_as_runtime(runtime_url: str) -> tuple[list[str], list[str], int]:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems

    engine = create_async_engine(runtime_url)
    try:
        async with engine.connect() as conn:
            gaps = await find_rls_gaps(conn)
            problems = await runtime_role_problems(conn)
            tables = await conn.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
    finally:
        await engine.dispose()
    return gaps, problems, int(tables)


def test_migrate_provisions_roles_and_migrates_idempotently(release_env):
    first = _run_migrate(release_env)
    assert first.returncode == 0, first.stderr
    assert "roles" in first.stdout and "migrations at head" in first.stdout

    gaps, problems, tables = asyncio.run(_catalog_as_runtime(release_env["DATABASE_URL"]))
    assert gaps == []
    assert problems == []
    assert tables >= 4  # wells' own tables plus outbox, inbox, dead letters, alembic_version

    again = _run_migrate(release_env)  # every release runs it; the second run changes nothing
    assert again.returncode == 0, again.stderr


def test_migrate_refuses_a_runtime_url_naming_the_owner_role(release_env):
    swapped = {**release_env, "DATABASE_URL": release_env["DATABASE_OWNER_URL"].replace("+asyncpg", "")}
    result = _run_migrate(swapped)
    assert result.returncode == 2
    assert "DATABASE_URL connects as" in result.stderr


def test_migrate_without_admin_url_needs_existing_roles(release_env):
    without_admin = {k: v for k, v in release_env.items() if k != "DATABASE_ADMIN_URL"}
    result = _run_migrate({**without_admin, "DATABASE_ADMIN_URL": ""})
    assert result.returncode != 0  # the owner role does not exist yet: alembic cannot connect
    assert "migrations at head" not in result.stdout


def _run_wait(env: dict[str, str], timeout: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wellflow_servicekit.deploy_cli", "wait-migrated", "--timeout", timeout],
        cwd=WELLS,
        env={**os.environ, **{k: v for k, v in env.items() if k not in ("DATABASE_ADMIN_URL", "DATABASE_OWNER_URL")}},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_pod_waits_until_the_release_has_migrated(release_env):
    # before the migration Job: the role does not even exist; the init container waits, then gives up
    before = _run_wait(release_env, "1")
    assert before.returncode == 1
    assert "gave up" in before.stderr

    waiting = subprocess.Popen(
        [sys.executable, "-m", "wellflow_servicekit.deploy_cli", "wait-migrated", "--timeout", "90"],
        cwd=WELLS,
        env={**os.environ, "SERVICE_NAME": release_env["SERVICE_NAME"], "DATABASE_URL": release_env["DATABASE_URL"]},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _run_migrate(release_env).returncode == 0
        assert waiting.wait(timeout=60) == 0  # released as soon as the database reaches the image's head
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.wait()
    assert _run_wait(release_env, "5").returncode == 0
