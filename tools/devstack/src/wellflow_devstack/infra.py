"""The two servers under ``wellflow up``: PostgreSQL and NATS, embedded or named by the environment."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import nats_auth
from .servers import EmbeddedNats, EmbeddedPostgres, host_port, port_answers
from .stack import StackConfig, StackError, postgres_password, process_identity, without_password


class Infrastructure:
    """Starts (or finds) PostgreSQL and NATS; ``record(name, facts)`` keeps what runs in the state file."""

    def __init__(
        self, config: StackConfig, *, say: Callable[[str], None], record: Callable[[str, dict[str, Any]], None]
    ) -> None:
        self.config = config
        self.say = say
        self.record = record
        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self.nats_passwords: dict[str, str] = {}

    def _external(self, name: str, variable: str, url: str, default_port: int) -> str:
        host, port = host_port(url, default_port)
        if not port_answers(port, host):
            raise StackError(f"{variable} names {host}:{port}, but nothing answers there")
        self.record(name, {"embedded": False, "url": without_password(url)})
        return url

    def start_postgres(self) -> str:
        """The admin URL of the stack's PostgreSQL."""
        external = self.config.external_database_url
        if external:
            return self._external("postgres", "WELLFLOW_DATABASE_URL", external, 5432)
        self.say(f"starting PostgreSQL on 127.0.0.1:{self.config.pg_port} ({self.config.pg_dir})...")
        # every connection authenticates (scram-sha-256) with passwords kept in secrets.json (0600)
        password = postgres_password(self.config)
        self.postgres = EmbeddedPostgres(self.config.pg_dir, self.config.pg_port, password=password)
        self.postgres.start()
        self._link_log("postgres.log", self.postgres.log_file)
        postmaster = self.postgres.postmaster()
        self.record(
            "postgres",
            {
                "embedded": True,
                "url": self.postgres.display_url,
                "port": self.postgres.port,
                "data_dir": str(self.postgres.data_dir),
                "log": str(self.postgres.log_file),
                **(process_identity(postmaster) if postmaster else {}),
            },
        )
        return self.postgres.admin_url

    def _link_log(self, name: str, target: Path) -> None:
        """logs/postgres.log points at the server's own log (it is written by the server's OS user)."""
        link = self.config.logs_dir / name
        self.config.logs_dir.mkdir(parents=True, exist_ok=True)
        if not link.is_symlink() and not link.exists():
            link.symlink_to(target)

    def start_nats(self) -> str:
        """The URL of the stack's NATS (without credentials)."""
        external = self.config.external_nats_url
        if external:
            return self._external("nats", "WELLFLOW_NATS_URL", external, 4222)
        self.say(f"starting NATS on 127.0.0.1:{self.config.nats_port} ({self.config.nats_dir})...")
        source = nats_auth.accounts_source(self.config.root)
        config_file, env = None, {}
        if source is not None:
            # every service connects as its own user (deploy/nats/accounts.conf): the stack works as deployed
            self.nats_passwords = nats_auth.user_passwords(self.config, nats_auth.users_in(source))
            config_file = nats_auth.write_server_config(self.config, source, self.config.nats_port)
            env = nats_auth.server_environment(self.nats_passwords)
        self.nats = EmbeddedNats(
            self.config.nats_dir,
            self.config.nats_port,
            log_file=self.config.logs_dir / "nats.log",
            config_file=config_file,
            env=env,
        )
        self.nats.start()
        proc = self.nats.process()
        self.record(
            "nats",
            {
                "embedded": True,
                "url": self.nats.url,
                "port": self.nats.port,
                "store_dir": str(self.nats.store_dir),
                "log": str(self.nats.log_file),
                **(process_identity(proc) if proc else {}),
            },
        )
        return self.nats.url

    def nats_url_for(self, nats_url: str, user: str) -> str:
        """``nats_url`` with ``user``'s credentials when the embedded server has that user."""
        password = self.nats_passwords.get(user)
        return nats_auth.url_for(nats_url, user, password) if password else nats_url

    def ensure_stream(self, nats_url: str) -> None:
        try:
            from wellflow_servicekit.broker import ensure_stream
        except ImportError as exc:
            self.say(f"warning: JetStream stream not provisioned ({exc})")
            return
        root = os.environ.get("EVENT_SUBJECT_ROOT")
        try:
            asyncio.run(ensure_stream(nats_url, root) if root else ensure_stream(nats_url))
        except Exception as exc:
            raise StackError(f"could not provision the JetStream stream on {nats_url}: {exc!r}") from exc

    def stop_steps(self) -> list[tuple[str, Callable[[], None]]]:
        """NATS, then PostgreSQL: what was embedded, as (name, step) pairs."""
        steps: list[tuple[str, Callable[[], None]]] = []
        if self.nats is not None:
            steps.append(("NATS", self.nats.stop))
        if self.postgres is not None:
            steps.append(("PostgreSQL", self.postgres.stop))
        return steps


async def provision(admin_url: str, service: str, passwords: dict[str, str]) -> Any:
    from wellflow_servicekit.provisioning import provision_service_database

    return await provision_service_database(
        admin_url,
        service,
        owner_password=passwords["owner_password"],
        runtime_password=passwords["runtime_password"],
    )
