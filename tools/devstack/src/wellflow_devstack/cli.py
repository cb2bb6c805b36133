"""``wellflow up | down | status``: the whole system on one machine, on embedded PostgreSQL and NATS."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import importlib
import importlib.util
import inspect
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit
from uuid import UUID

import psutil

from . import nats_auth
from .discovery import DiscoveryError, ServiceSpec, discover_services
from .servers import EmbeddedNats, EmbeddedPostgres, ServerError, port_answers
from .stack import (
    JWT_AUDIENCE,
    JWT_ISSUER,
    ServiceProcess,
    StackConfig,
    StackError,
    find_process,
    process_identity,
    read_state,
    run_migrations,
    service_secrets,
    terminate_group,
    write_state,
)

SERVICE_STOP_TIMEOUT = 15.0
NO_SERVICES = (
    "No services are installed yet (none of services/*/pyproject.toml has a [tool.wellflow.service] "
    "table); PostgreSQL and NATS are up."
)


class _Interrupted(Exception):
    """Ctrl-C or SIGTERM arrived while the stack was starting."""


def _print_table(rows: Iterable[tuple[str, str, str]], out: TextIO) -> None:
    rows = [("component", "URL", "state"), *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        out.write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
    out.flush()


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


# ---------------------------------------------------------------------------------------------- up


class Up:
    """One run of ``wellflow up``: start everything, print where it is, wait, stop everything."""

    def __init__(self, config: StackConfig, *, gateway_port: int | None, demo: bool, out: TextIO | None = None) -> None:
        self.config = config
        self.gateway_port = gateway_port
        self.demo = demo
        self.out = out or sys.stdout
        self.stop_requested = False
        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self.nats_passwords: dict[str, str] = {}
        self.services: list[ServiceProcess] = []
        self.state: dict[str, Any] = {}
        self._reported_exits: set[str] = set()
        self._leftovers: list[dict[str, Any]] = []

    def say(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()

    # -- signals: a flag, checked between steps, so no step is cut in half

    def _on_signal(self, signum: int, _frame: object) -> None:
        if self.stop_requested:
            self.say("wellflow: already stopping, please wait...")
            return
        self.stop_requested = True
        self.say(f"\nwellflow: {signal.Signals(signum).name} received, stopping...")

    def _check(self) -> None:
        if self.stop_requested:
            raise _Interrupted

    def run(self) -> int:
        self.config.home.mkdir(parents=True, exist_ok=True)
        lock = self._lock()
        if lock is None:
            return 1
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        try:
            self._stop_leftover_services()
            self._start()
            self._print_ready()
            self._wait()
            return 0
        except _Interrupted:
            return 0
        except (StackError, ServerError, DiscoveryError) as exc:
            sys.stderr.write(f"wellflow up: {exc}\n")
            return 1
        finally:
            self._shutdown()
            lock.close()

    def _lock(self) -> TextIO | None:
        handle = open(self.config.lock_file, "a+")  # noqa: SIM115 - held for the life of `up`
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            owner = read_state(self.config).get("supervisor") or {}
            pid = f" (pid {owner['pid']})" if owner.get("pid") else ""
            sys.stderr.write(
                f"wellflow up: the stack in {self.config.home} is already running{pid}. "
                "Use `wellflow status` to see it or `wellflow down` to stop it.\n"
            )
            return None
        self._leftovers = list((read_state(self.config).get("services") or {}).values())
        self.state = {
            "home": str(self.config.home),
            "root": str(self.config.root),
            "supervisor": {**process_identity(psutil.Process()), "started_at": time.time()},
            "services": {},
        }
        write_state(self.config, self.state)
        return handle

    def _stop_leftover_services(self) -> None:
        """Services a killed earlier `up` may have left behind (they would hold their ports)."""
        for record in self._leftovers:
            proc = find_process(record)
            if proc is not None:
                self.say(f"stopping a leftover service process (pid {proc.pid}) from an earlier run")
                terminate_group(proc, SERVICE_STOP_TIMEOUT)

    # -- start

    def _start(self) -> None:
        import asyncpg

        specs = discover_services(self.config.root)
        if self.gateway_port is not None:
            if not any(s.name == "gateway" for s in specs):
                self.say("note: no gateway service is installed yet; --gateway-port has no effect")
            specs = [_with_port(s, self.gateway_port) if s.name == "gateway" else s for s in specs]
        busy = [f"{s.name} ({s.port})" for s in specs if port_answers(s.port)]
        if busy:
            raise StackError(f"ports already in use by other programs: {', '.join(busy)}")

        admin_url = self._start_postgres()
        self._check()
        nats_url = self._start_nats()
        self._check()
        self._ensure_stream(self._nats_url_for(nats_url, "admin"))
        self._check()

        passwords = service_secrets(
            self.config,
            [s.name for s in specs if s.database or s.secrets],
            {s.name: s.secrets for s in specs},
        )
        identity = next((s for s in specs if s.name == "identity"), None)
        # what a service is told comes from us alone, never from a variable left in this shell
        told = {"SERVICE_NAME", "DATABASE_URL", "DATABASE_OWNER_URL", "HTTP_PORT", "JWKS_URL"}
        base_env = {key: value for key, value in os.environ.items() if key not in told}
        base_env.update(
            {
                "NATS_URL": nats_url,
                "JWT_ISSUER": JWT_ISSUER,
                "JWT_AUDIENCE": JWT_AUDIENCE,
                "HTTP_HOST": "127.0.0.1",
                "PYTHONUNBUFFERED": "1",
                # services that keep files of their own (the RRC portal stand-in's filings) keep them here
                "WELLFLOW_HOME": str(self.config.home),
            }
        )
        base_env["WELLFLOW_SERVICE_URLS"] = json.dumps({s.name: f"http://127.0.0.1:{s.port}" for s in specs})
        if identity is not None:
            base_env["JWKS_URL"] = f"http://127.0.0.1:{identity.port}/.well-known/jwks.json"

        for spec in specs:
            env = {**base_env, "SERVICE_NAME": spec.name, "HTTP_PORT": str(spec.port)}
            env["NATS_URL"] = self._nats_url_for(nats_url, spec.name)
            env.update(passwords.get(spec.name, {}).get("env", {}))
            if spec.database:
                self.say(f"provisioning database for {spec.name}...")
                try:
                    database = asyncio.run(_provision(admin_url, spec.name, passwords[spec.name]))
                except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                    raise StackError(f"could not provision the database of {spec.name}: {exc!r}") from exc
                env["DATABASE_URL"] = database.runtime_url
                env["DATABASE_OWNER_URL"] = database.owner_url
                if spec.migrations is not None:
                    self._check()
                    self.say(f"migrating {spec.name}...")
                    run_migrations(spec, env, self._log(spec))
            self._check()
            self.services.append(ServiceProcess(spec, env, self._log(spec)))

        # identity first: the others fetch its signing keys; then the rest side by side
        first = [s for s in self.services if s.spec.name == "identity"]
        rest = [s for s in self.services if s.spec.name != "identity"]
        for group in (first, rest):
            for service in group:
                self.say(f"starting {service.spec.name} on {service.url}...")
                service.start()
                assert service.popen is not None
                self.state["services"][service.spec.name] = {
                    **process_identity(psutil.Process(service.popen.pid)),
                    "port": service.spec.port,
                    "url": service.url,
                    "log": str(service.log_file),
                }
                write_state(self.config, self.state)
            for service in group:
                service.wait_ready(self.config.start_timeout, lambda: self.stop_requested)
                self._check()

        if self.demo:
            self._load_demo()

    def _log(self, spec: ServiceSpec) -> Path:
        return self.config.logs_dir / f"{spec.name}.log"

    def _start_postgres(self) -> str:
        external = self.config.external_database_url
        if external:
            host, port = _host_port(external, 5432)
            if not port_answers(port, host):
                raise StackError(f"WELLFLOW_DATABASE_URL names {host}:{port}, but nothing answers there")
            self.state["postgres"] = {"embedded": False, "url": external}
            write_state(self.config, self.state)
            return external
        self.say(f"starting PostgreSQL on 127.0.0.1:{self.config.pg_port} ({self.config.pg_dir})...")
        self.postgres = EmbeddedPostgres(self.config.pg_dir, self.config.pg_port)
        self.postgres.start()
        self._link_log("postgres.log", self.postgres.log_file)
        postmaster = self.postgres.postmaster()
        self.state["postgres"] = {
            "embedded": True,
            "url": self.postgres.admin_url,
            "port": self.postgres.port,
            "data_dir": str(self.postgres.data_dir),
            "log": str(self.postgres.log_file),
            **(process_identity(postmaster) if postmaster else {}),
        }
        write_state(self.config, self.state)
        return self.postgres.admin_url

    def _link_log(self, name: str, target: Path) -> None:
        """logs/postgres.log points at the server's own log (it is written by the server's OS user)."""
        link = self.config.logs_dir / name
        self.config.logs_dir.mkdir(parents=True, exist_ok=True)
        if not link.is_symlink() and not link.exists():
            link.symlink_to(target)

    def _start_nats(self) -> str:
        external = self.config.external_nats_url
        if external:
            host, port = _host_port(external, 4222)
            if not port_answers(port, host):
                raise StackError(f"WELLFLOW_NATS_URL names {host}:{port}, but nothing answers there")
            self.state["nats"] = {"embedded": False, "url": external}
            write_state(self.config, self.state)
            return external
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
        self.state["nats"] = {
            "embedded": True,
            "url": self.nats.url,
            "port": self.nats.port,
            "store_dir": str(self.nats.store_dir),
            "log": str(self.nats.log_file),
            **(process_identity(proc) if proc else {}),
        }
        write_state(self.config, self.state)
        return self.nats.url

    def _nats_url_for(self, nats_url: str, user: str) -> str:
        """``nats_url`` with ``user``'s credentials when the embedded server has that user."""
        password = self.nats_passwords.get(user)
        return nats_auth.url_for(nats_url, user, password) if password else nats_url

    def _ensure_stream(self, nats_url: str) -> None:
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

    def _load_demo(self) -> None:
        if importlib.util.find_spec("wellflow_devstack.demo") is None:
            self.say("--demo: no demo loader is installed yet; the stack runs without demo data.")
            return
        module = importlib.import_module("wellflow_devstack.demo")
        self.say("loading the demo tenant...")
        urls = {service.spec.name: service.url for service in self.services}
        result = module.load(urls)
        if inspect.isawaitable(result):
            result = asyncio.run(result)
        for line in result or ():
            self.say(f"  {line}")

    # -- running

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for name in ("postgres", "nats"):
            record = self.state.get(name, {})
            kind = f"running (embedded, pid {record.get('pid')})" if record.get("embedded") else "external"
            rows.append((name, record.get("url", ""), kind))
        for service in self.services:
            state = "ready" if service.exited() is None else f"exited ({service.exited()})"
            rows.append((service.spec.name, service.url, state))
        return rows

    def _print_ready(self) -> None:
        self.say("\nWellFlow is up:")
        _print_table(self._rows(), self.out)
        if not self.services:
            self.say(NO_SERVICES)
        self.say(f"Data and logs: {self.config.home}")
        self.say("Press Ctrl-C to stop (or run `wellflow down`); data is kept for the next `wellflow up`.")

    def _wait(self) -> None:
        while not self.stop_requested:
            for service in self.services:
                code = service.exited()
                if code is not None and service.spec.name not in self._reported_exits:
                    self._reported_exits.add(service.spec.name)
                    name, log = service.spec.name, service.log_file
                    self.say(f"wellflow: service {name} exited with code {code}; see {log}")
            time.sleep(0.25)

    # -- stop

    def _shutdown(self) -> None:
        """Services, then NATS, then PostgreSQL; a failing step does not keep the next from running."""
        self.stop_requested = True  # from here on a signal only prints "already stopping"
        steps: list[tuple[str, Callable[[], None]]] = []
        if any(s.popen is not None for s in self.services):
            steps.append(("services", self._stop_services))
        if self.nats is not None:
            steps.append(("NATS", self.nats.stop))
        if self.postgres is not None:
            steps.append(("PostgreSQL", self.postgres.stop))
        for name, step in steps:
            self.say(f"stopping {name}...")
            try:
                step()
            except Exception as exc:
                sys.stderr.write(f"wellflow: stopping {name} failed: {exc}\n")
        if self.state:
            self.state["supervisor"] = None
            self.state["services"] = {}
            for name in ("postgres", "nats"):
                if self.state.get(name, {}).get("embedded"):
                    self.state[name] = {**self.state[name], "pid": None, "create_time": None}
            write_state(self.config, self.state)
        self.say("wellflow: stopped; data kept in " + str(self.config.home))

    def _stop_services(self) -> None:
        procs = []
        for service in self.services:
            if service.popen is not None and service.exited() is None:
                with contextlib.suppress(psutil.NoSuchProcess):
                    procs.append(psutil.Process(service.popen.pid))
        stop_processes(procs)
        for service in self.services:
            service.stop(timeout=1)  # reaps what stop_processes ended


def _with_port(spec: ServiceSpec, port: int) -> ServiceSpec:
    from dataclasses import replace

    return replace(spec, port=port)


async def _provision(admin_url: str, service: str, passwords: dict[str, str]) -> Any:
    from wellflow_servicekit.provisioning import provision_service_database

    return await provision_service_database(
        admin_url,
        service,
        owner_password=passwords["owner_password"],
        runtime_password=passwords["runtime_password"],
    )


def stop_processes(procs: list[psutil.Process], timeout: float = SERVICE_STOP_TIMEOUT) -> None:
    """Stop several process groups side by side: SIGTERM all, wait, SIGKILL the rest."""
    family: list[psutil.Process] = []
    for proc in procs:
        try:
            family += [proc, *proc.children(recursive=True)]
            os.killpg(proc.pid, signal.SIGTERM) if os.getpgid(proc.pid) == proc.pid else proc.terminate()
        except (psutil.NoSuchProcess, ProcessLookupError):
            continue
    _, alive = psutil.wait_procs(family, timeout=timeout)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=5)


# ------------------------------------------------------------------------------------ status, down


def _component_rows(config: StackConfig, state: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(component, URL, state text, running) for everything the stack has."""
    rows: list[tuple[str, str, str, bool]] = []
    supervisor = find_process(state.get("supervisor"))
    rows.append(
        (
            "wellflow up",
            "",
            f"running (pid {supervisor.pid})" if supervisor else "not running",
            supervisor is not None,
        )
    )

    pg_record = state.get("postgres") or {"embedded": True}
    if pg_record.get("embedded", True):
        postgres = EmbeddedPostgres(config.pg_dir, int(pg_record.get("port") or config.pg_port))
        postmaster = postgres.postmaster()
        port = postgres.running_port() or postgres.port
        alive = postmaster is not None and port_answers(port)
        text = f"running (pid {postmaster.pid})" if alive and postmaster else "stopped"
        rows.append(("postgres", f"postgresql://postgres@127.0.0.1:{port}/postgres", text, alive))
    else:
        host, port = _host_port(pg_record["url"], 5432)
        alive = port_answers(port, host)
        rows.append(("postgres", pg_record["url"], "external, " + ("answering" if alive else "not answering"), alive))

    nats_record = state.get("nats") or {"embedded": True}
    if nats_record.get("embedded", True):
        nats = EmbeddedNats(config.nats_dir, int(nats_record.get("port") or config.nats_port))
        proc = nats.process()
        alive = proc is not None and port_answers(nats.port)
        text = f"running (pid {proc.pid})" if alive and proc else "stopped"
        rows.append(("nats", nats.url, text, alive))
    else:
        host, port = _host_port(nats_record["url"], 4222)
        alive = port_answers(port, host)
        rows.append(("nats", nats_record["url"], "external, " + ("answering" if alive else "not answering"), alive))

    for name, record in (state.get("services") or {}).items():
        proc = find_process(record)
        alive = proc is not None and port_answers(int(record["port"]))
        rows.append((name, record.get("url", ""), f"running (pid {proc.pid})" if alive and proc else "stopped", alive))
    return rows


def status(config: StackConfig, out: TextIO | None = None) -> int:
    """Exit code 0 when the stack runs and every component answers, 1 otherwise."""
    out = out or sys.stdout
    state = read_state(config)
    rows = _component_rows(config, state)
    out.write(f"WellFlow stack in {config.home}\n")
    _print_table([(name, url, text) for name, url, text, _ in rows], out)
    if not state.get("services"):
        out.write("(no services running)\n")
    return 0 if all(alive for *_, alive in rows) else 1


def down(config: StackConfig, out: TextIO | None = None, timeout: float = 90.0) -> int:
    """Stop the stack another terminal started: ask its `wellflow up` to stop, then make sure."""
    out = out or sys.stdout

    def say(message: str) -> None:
        out.write(message + "\n")
        out.flush()

    state = read_state(config)
    stopped_anything = False
    supervisor = find_process(state.get("supervisor"))
    if supervisor is not None:
        say(f"asking wellflow up (pid {supervisor.pid}) to stop...")
        supervisor.terminate()
        if not _wait_exit(supervisor, timeout):
            say(f"wellflow up (pid {supervisor.pid}) did not stop within {timeout:.0f} s: killing it")
            supervisor.kill()
        stopped_anything = True
        state = read_state(config)

    leftovers = [p for p in (find_process(r) for r in (state.get("services") or {}).values()) if p]
    if leftovers:
        say(f"stopping {len(leftovers)} service process(es)...")
        stop_processes(leftovers)
        stopped_anything = True
    for name, server in _embedded_servers(config, state):
        if server.is_running():
            say(f"stopping {name}...")
            server.stop()
            stopped_anything = True

    if state:
        state["supervisor"] = None
        state["services"] = {}
        write_state(config, state)
    say("stopped" if stopped_anything else "nothing was running")
    return 0


def _wait_exit(proc: psutil.Process, timeout: float) -> bool:
    """Wait for a process that is not our child to exit (a zombie its parent has not reaped counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def nats_tenant(config: StackConfig, organization_id: UUID, label: str, out: TextIO | None = None) -> int:
    """Add a subscriber of one organization to the running stack's NATS and print its URL and subjects."""
    out = out or sys.stdout
    state = read_state(config)
    record = state.get("nats") or {}
    if not record.get("embedded", False):
        sys.stderr.write(
            "wellflow nats-tenant: the stack's NATS is not the embedded one (or it never ran): add the account to "
            "that server's configuration instead (docs/deploy.md, 'A tenant's event subscriber').\n"
        )
        return 2
    try:
        user, password, subjects = nats_auth.add_tenant(config, organization_id, label)
        EmbeddedNats(config.nats_dir, int(record.get("port") or config.nats_port)).reload()
    except (OSError, ValueError, ServerError) as exc:
        sys.stderr.write(f"wellflow nats-tenant: {exc}\n")
        return 2
    url = nats_auth.url_for(record.get("url") or f"nats://127.0.0.1:{config.nats_port}", user, password)
    out.write(f"url:      {url}\nsubjects: {subjects}\n")
    return 0


def _embedded_servers(config: StackConfig, state: dict[str, Any]) -> list[tuple[str, Any]]:
    servers: list[tuple[str, Any]] = []
    nats_record = state.get("nats") or {}
    if nats_record.get("embedded", True):
        servers.append(("NATS", EmbeddedNats(config.nats_dir, int(nats_record.get("port") or config.nats_port))))
    pg_record = state.get("postgres") or {}
    if pg_record.get("embedded", True):
        servers.append(("PostgreSQL", EmbeddedPostgres(config.pg_dir, int(pg_record.get("port") or config.pg_port))))
    return servers


# -------------------------------------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wellflow",
        description="Run WellFlow on this machine: embedded PostgreSQL and NATS, every service, the gateway.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start everything and wait; Ctrl-C stops it, data is kept")
    up_parser.add_argument(
        "--gateway-port",
        type=int,
        default=None,
        help="port of the gateway (default: the one in services/gateway/pyproject.toml, 8000)",
    )
    up_parser.add_argument("--demo", action="store_true", help="load a demo tenant once the stack runs")
    tenant_parser = commands.add_parser(
        "nats-tenant", help="let an outside system subscribe to one organization's events (prints its credential)"
    )
    tenant_parser.add_argument("organization_id", type=UUID, help="the organization (tenant) id")
    tenant_parser.add_argument("--label", default="events", help="names the subscriber, e.g. erp (default events)")
    commands.add_parser("down", help="stop a stack started in another terminal")
    commands.add_parser("status", help="show what runs and where")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = StackConfig.from_env()
    except (StackError, DiscoveryError) as exc:
        sys.stderr.write(f"wellflow: {exc}\n")
        return 2
    commands: dict[str, Callable[[], int]] = {
        "up": lambda: Up(config, gateway_port=args.gateway_port, demo=args.demo).run(),
        "down": lambda: down(config),
        "status": lambda: status(config),
        "nats-tenant": lambda: nats_tenant(config, args.organization_id, args.label),
    }
    return commands[args.command]()


if __name__ == "__main__":
    sys.exit(main())
