"""Migrated template databases for tests: a service's migrations run once per test session, and each test's
database is a copy of that one (``CREATE DATABASE ... TEMPLATE``), which takes a fraction of a second where
migrating takes seconds (all nine services' took 20-25 s for every whole-stack test).

Copies need a superuser admin role (the template's objects are reassigned to the copy's owner); with any other
admin role every database is migrated as before. Used by ``pytest_plugin.service_database``.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from pathlib import Path


class MigratedTemplates:
    """One migrated database per (service, migrations folder), made on first use: their suffixes."""

    def __init__(self, admin_url: str, remember: Callable[[str, str], None]) -> None:
        self.admin_url = admin_url
        self.remember = remember  # (service, suffix) of each database made, dropped at the end of the session
        self.suffixes: dict[tuple[str, str], str | None] = {}
        self.superuser: bool | None = None

    async def suffix(self, service: str, migrations: Path) -> str | None:
        """The template's suffix for ``provision_service_database(template_suffix=...)``; None: migrate instead."""
        from wellflow_servicekit.provisioning import admin_is_superuser, provision_service_database

        key = (service, str(migrations))
        if key not in self.suffixes:
            if self.superuser is None:
                self.superuser = await admin_is_superuser(self.admin_url)
            suffix = None
            if self.superuser:
                suffix = f"_p{secrets.token_hex(4)}"
                self.remember(service, suffix)
                template = await provision_service_database(
                    self.admin_url,
                    service,
                    owner_password=secrets.token_urlsafe(18),
                    runtime_password=secrets.token_urlsafe(18),
                    database_suffix=suffix,
                )
                await upgrade(migrations, template.owner_url)
            self.suffixes[key] = suffix
        return self.suffixes[key]


async def upgrade(migrations: Path, owner_url: str) -> None:
    """Run a service's migrations (alembic is synchronous: in a thread)."""
    from wellflow_servicekit.migrations import upgrade as upgrade_now

    await asyncio.to_thread(upgrade_now, migrations, owner_url)
