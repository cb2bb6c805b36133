"""``wellflow up``: start everything, print where it is, wait, stop everything."""

from __future__ import annotations

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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import psutil

from .control import print_table
from .discovery import DiscoveryError, ServiceSpec, discover_services
from .infra import Infrastructure, provision
from .servers import ServerError, port_answers
from .stack import (
    JWT_AUDIENCE,
    JWT_ISSUER,
    SERVICE_STOP_TIMEOUT,
    ServiceProcess,
    StackConfig,
    StackError,
    ensure_home,
    find_process,
    process_identity,
    read_state,
    run_migrations,
    service_secrets,
    stop_processes,
    terminate_group,
    write_state,
)
from .trace_receiver import OtlpReceiver
from .trace_store import TraceStore

NO_SERVICES = (
    "No services are installed yet (none of services/*/pyproject.toml has a [tool.wellflow.service] "
    "table); PostgreSQL and NATS are up."
)
TOLD = {"SERVICE_NAME", "DATABASE_URL", "DATABASE_OWNER_URL", "HTTP_PORT", "JWKS_URL"}
STAND_IN_PORTAL = "rrc_portal"  # tools/rrc-portal's declared name
"""What a service is told comes from us alone, never from a variable left in this shell."""


class _Interrupted(Exception):
    """Ctrl-C or SIGTERM arrived while the stack was starting."""


class Up:
    """One run of ``wellflow up``: start everything, print where it is, wait, stop everything."""

    def __init__(self, config: StackConfig, *, gateway_port: int | None, demo: bool, out: TextIO | None = None) -> None:
        self.config = config
        self.gateway_port = gateway_port
        self.demo = demo
        self.out = out or sys.stdout
        self.stop_requested = False
        self.infra = Infrastructure(config, say=self.say, record=self._record)
        self.services: list[ServiceProcess] = []
        self.state: dict[str, Any] = {}
        self._reported_exits: set[str] = set()
        self.mailbox: Any = None  # the dev mailbox (dev_mailbox.py), with the notifications service
        self._leftovers: list[dict[str, Any]] = []
        self.receiver: OtlpReceiver | None = None

    def say(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()

    def _record(self, name: str, facts: dict[str, Any]) -> None:
        self.state[name] = facts
        write_state(self.config, self.state)

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
        ensure_home(self.config)
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

    def _specs(self) -> list[ServiceSpec]:
        specs = discover_services(self.config.root)
        if self.gateway_port is not None:
            if not any(s.name == "gateway" for s in specs):
                self.say("note: no gateway service is installed yet; --gateway-port has no effect")
            specs = [replace(s, port=self.gateway_port) if s.name == "gateway" else s for s in specs]
        busy = [f"{s.name} ({s.port})" for s in specs if port_answers(s.port)]
        if busy:
            raise StackError(f"ports already in use by other programs: {', '.join(busy)}")
        return specs

    def _start(self) -> None:
        specs = self._specs()
        admin_url = self.infra.start_postgres()
        self._check()
        nats_url = self.infra.start_nats()
        self._check()
        self.infra.ensure_stream(self.infra.nats_url_for(nats_url, "admin"))
        self._check()
        self._start_trace_receiver()
        passwords = service_secrets(
            self.config,
            [s.name for s in specs if s.database or s.secrets],
            {s.name: s.secrets for s in specs},
        )
        base_env = self._base_env(specs, nats_url)
        mail_env = self._mailbox(specs, passwords)
        for spec in specs:
            env = {**base_env, "SERVICE_NAME": spec.name, "HTTP_PORT": str(spec.port)}
            env["NATS_URL"] = self.infra.nats_url_for(nats_url, spec.name)
            env.update(passwords.get(spec.name, {}).get("env", {}))
            env.update(mail_env.get(spec.name, {}))
            if spec.database:
                env.update(self._database(spec, admin_url, passwords[spec.name], env))
            self._check()
            self.services.append(ServiceProcess(spec, env, self._log(spec)))
        self._launch()
        if self.demo:
            self._load_demo()

    def _mailbox(self, specs: list[ServiceSpec], passwords: dict[str, Any]) -> dict[str, dict[str, str]]:
        """With the notifications service: the dev mailbox it mails to, and its seal key given to identity too
        (dev_mailbox.py). Each service's extra variables."""
        if not any(s.name == "notifications" for s in specs):
            return {}
        from .dev_mailbox import MAILBOX_ENV, DevMailbox

        self.mailbox = DevMailbox(self.config.home).start()
        os.environ[MAILBOX_ENV] = str(self.mailbox.folder)
        seal = passwords.get("notifications", {}).get("env", {}).get("INVITATION_SEAL_KEY")
        gateway = next((s for s in specs if s.name == "gateway"), None)
        console = f"http://127.0.0.1:{gateway.port if gateway else 8000}"  # the gateway serves the console at /
        return {
            "notifications": {**self.mailbox.notifications_env(), "CONSOLE_URL": console},
            "identity": {"INVITATION_SEAL_KEY": seal, "CONSOLE_URL": console} if seal else {},
        }

    def _base_env(self, specs: list[ServiceSpec], nats_url: str) -> dict[str, str]:
        base_env = {key: value for key, value in os.environ.items() if key not in TOLD}
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
        portal = next((s for s in specs if s.name == STAND_IN_PORTAL), None)
        if portal is not None:
            # The dev stack (and the demo) file Form PR through the RRC portal stand-in it runs; a deployment
            # never does (its default is manual: prepared, awaiting the RRC's confirmation). An exported
            # RRC_PORTAL_ADAPTER=manual still wins, to try filing by hand (docs/compliance-submission.md).
            base_env.setdefault("RRC_PORTAL_ADAPTER", "stand-in")
            base_env.setdefault("RRC_PORTAL_URL", f"http://127.0.0.1:{portal.port}")
        identity = next((s for s in specs if s.name == "identity"), None)
        if identity is not None:
            base_env["JWKS_URL"] = f"http://127.0.0.1:{identity.port}/.well-known/jwks.json"
        if self.receiver is not None:
            # Every span to the stack's own receiver (an exported OTEL_EXPORTER_OTLP_ENDPOINT, a collector of
            # your own, wins), in batches sent every half second so `wellflow trace` sees a request at once.
            base_env.setdefault("OTEL_EXPORTER_OTLP_ENDPOINT", self.receiver.url)
            base_env.setdefault("OTEL_BSP_SCHEDULE_DELAY", "500")
        return base_env

    def _start_trace_receiver(self) -> None:
        """The OTLP/HTTP receiver `wellflow trace` reads from, in a thread of this process (docs/tracing.md).
        A port in use costs the traces, not the stack."""
        if port_answers(self.config.otlp_port):
            self.say(
                f"note: port {self.config.otlp_port} (WELLFLOW_OTLP_PORT) is in use: traces are not received; "
                "services export to OTEL_EXPORTER_OTLP_ENDPOINT if you set one"
            )
            return
        store = TraceStore(self.config.traces_file)
        self.receiver = OtlpReceiver(store, port=self.config.otlp_port)
        try:
            self.receiver.start()
        except OSError as exc:
            self.say(f"note: the trace receiver could not listen on {self.config.otlp_port} ({exc}); no traces")
            store.close()
            self.receiver = None
            return
        self._record("traces", {"url": self.receiver.url, "store": str(self.config.traces_file)})

    def _stop_trace_receiver(self) -> None:
        if self.receiver is not None:
            self.receiver.stop()
            self.receiver.store.close()
            self.receiver = None

    def _database(self, spec: ServiceSpec, admin_url: str, passwords: dict[str, str], env: dict[str, str]) -> dict:
        """Provision the service's database (and migrate it); the variables that name it."""
        import asyncpg

        self.say(f"provisioning database for {spec.name}...")
        try:
            database = asyncio.run(provision(admin_url, spec.name, passwords))
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StackError(f"could not provision the database of {spec.name}: {exc!r}") from exc
        told = {"DATABASE_URL": database.runtime_url, "DATABASE_OWNER_URL": database.owner_url}
        if spec.migrations is not None:
            self._check()
            self.say(f"migrating {spec.name}...")
            run_migrations(spec, {**env, **told}, self._log(spec))
        return told

    def _launch(self) -> None:
        """Identity first (the others fetch its signing keys), then the rest side by side."""
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

    def _log(self, spec: ServiceSpec) -> Path:
        return self.config.logs_dir / f"{spec.name}.log"

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
        if self.receiver is not None:
            rows.append(("traces", self.receiver.url, "receiving OTLP (`wellflow trace`)"))
        for service in self.services:
            state = "ready" if service.exited() is None else f"exited ({service.exited()})"
            rows.append((service.spec.name, service.url, state))
        return rows

    def _print_ready(self) -> None:
        self.say("\nWellFlow is up:")
        print_table(self._rows(), self.out)
        if not self.services:
            self.say(NO_SERVICES)
        self.say(f"Data and logs: {self.config.home}")
        if self.mailbox is not None:
            self.say(f"Mail sent by WellFlow: {self.mailbox.folder} (.eml files); SMS: {self.mailbox.sms_log}")
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
        if self.receiver is not None:  # after the services, which send their last spans as they stop
            steps.append(("the trace receiver", self._stop_trace_receiver))
        if self.mailbox is not None:
            steps.append(("mailbox", self.mailbox.stop))
        for name, step in [*steps, *self.infra.stop_steps()]:
            self.say(f"stopping {name}...")
            try:
                step()
            except Exception as exc:
                sys.stderr.write(f"wellflow: stopping {name} failed: {exc}\n")
        if self.state:
            self.state["supervisor"] = None
            self.state["services"] = {}
            self.state.pop("traces", None)
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
