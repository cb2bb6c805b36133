"""The dev stack behind ``wellflow up / down / status``: configuration, state files, service processes.

Everything lives under the stack's home (``<checkout>/.wellflow`` or ``$WELLFLOW_HOME``)::

    pg/            PostgreSQL cluster (pgdata/), its socket and postgres.log
    nats/          JetStream store and the nats-server pid file
    logs/          nats.log and <service>.log (migrations and the service's own output)
    traces/        spans.sqlite: the spans the services sent to the OTLP receiver (`wellflow trace` reads it)
    secrets.json   generated passwords: PostgreSQL's superuser, the roles, NATS users (mode 0600)
    state.json     what runs: pids, ports, URLs (read by `status` and `down` in another terminal)
    up.lock        held by the running `wellflow up`
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil

from .discovery import ServiceSpec, find_repo_root
from .servers import die_with_parent_prefix, port_answers, tail

DEFAULT_PG_PORT = 55432
DEFAULT_NATS_PORT = 54222
DEFAULT_OTLP_PORT = 54318  # OTLP/HTTP's own port is 4318; like the servers', ours is moved out of the way
JWT_ISSUER = "wellflow-identity"
JWT_AUDIENCE = "wellflow"
SERVICE_STOP_TIMEOUT = 15.0
# uvicorn's idle keep-alive, longer than any client's pool keeps a connection (docs/deploy.md, "Keep-alive")
KEEP_ALIVE_SECONDS = 75


class StackError(RuntimeError):
    """Something the person running the stack must fix; the message says what."""


@dataclass(frozen=True)
class StackConfig:
    root: Path
    home: Path
    pg_port: int
    nats_port: int
    otlp_port: int
    external_database_url: str | None
    external_nats_url: str | None
    start_timeout: float

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, root: Path | None = None) -> StackConfig:
        env = os.environ if environ is None else environ
        root = find_repo_root() if root is None else root
        home = Path(env["WELLFLOW_HOME"]).absolute() if env.get("WELLFLOW_HOME") else root / ".wellflow"
        return cls(
            root=root,
            home=home,
            pg_port=_port(env, "WELLFLOW_PG_PORT", DEFAULT_PG_PORT),
            nats_port=_port(env, "WELLFLOW_NATS_PORT", DEFAULT_NATS_PORT),
            otlp_port=_port(env, "WELLFLOW_OTLP_PORT", DEFAULT_OTLP_PORT),
            external_database_url=env.get("WELLFLOW_DATABASE_URL") or None,
            external_nats_url=env.get("WELLFLOW_NATS_URL") or None,
            start_timeout=float(env.get("WELLFLOW_START_TIMEOUT", "90")),
        )

    @property
    def pg_dir(self) -> Path:
        return self.home / "pg"

    @property
    def nats_dir(self) -> Path:
        return self.home / "nats"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def traces_file(self) -> Path:
        return self.home / "traces" / "spans.sqlite"

    @property
    def state_file(self) -> Path:
        return self.home / "state.json"

    @property
    def secrets_file(self) -> Path:
        return self.home / "secrets.json"

    @property
    def lock_file(self) -> Path:
        return self.home / "up.lock"


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise StackError(f"{name} must be a TCP port number, got {raw!r}") from None
    if not 1 <= port <= 65535:
        raise StackError(f"{name} must be between 1 and 65535, got {port}")
    return port


# ----------------------------------------------------------------------------------- files on disk


def _write_private(path: Path, text: str, mode: int = 0o600) -> None:
    """Write atomically: a reader in another terminal never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def read_state(config: StackConfig) -> dict[str, Any]:
    try:
        return json.loads(config.state_file.read_text())
    except (OSError, ValueError):
        return {}


def write_state(config: StackConfig, state: Mapping[str, Any]) -> None:
    _write_private(config.state_file, json.dumps(state, indent=2, sort_keys=True) + "\n", 0o644)


def service_secrets(
    config: StackConfig, names: list[str], generated: Mapping[str, Sequence[str]] | None = None
) -> dict[str, dict[str, Any]]:
    """Role passwords per service, and the variables a service asks the stack to generate (its
    ``secrets``, under ``env``), made once and kept in secrets.json (0600)."""
    try:
        stored = json.loads(config.secrets_file.read_text())
    except (OSError, ValueError):
        stored = {}
    services = stored.setdefault("services", {})
    changed = False
    for name in names:
        entry = services.setdefault(name, {})
        for key in ("owner_password", "runtime_password"):
            if not entry.get(key):
                entry[key] = secrets.token_urlsafe(24)
                changed = True
        for variable in (generated or {}).get(name, ()):
            env = entry.setdefault("env", {})
            if not env.get(variable):
                env[variable] = secrets.token_urlsafe(32)
                changed = True
    if changed or not config.secrets_file.exists():
        ensure_home(config)
        _write_private(config.secrets_file, json.dumps(stored, indent=2, sort_keys=True) + "\n")
    else:
        config.secrets_file.chmod(0o600)
    return services


def postgres_password(config: StackConfig) -> str:
    """The embedded PostgreSQL superuser's password, made once and kept in secrets.json (0600) under ``postgres``.
    Hex after a letter: it goes into URLs and SQL literals unquoted."""
    try:
        stored = json.loads(config.secrets_file.read_text())
    except (OSError, ValueError):
        stored = {}
    entry = stored.setdefault("postgres", {})
    if not entry.get("superuser_password"):
        entry["superuser_password"] = "p" + secrets.token_hex(24)
        ensure_home(config)
        _write_private(config.secrets_file, json.dumps(stored, indent=2, sort_keys=True) + "\n")
    return str(entry["superuser_password"])


def ensure_home(config: StackConfig) -> None:
    """The stack's home, readable by its owner only (it holds secrets.json and the NATS tenants' passwords).
    PostgreSQL, run as its own OS user when we are root, is given 'traverse' on it to reach pg/, nothing more."""
    config.home.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = stat.S_IMODE(config.home.stat().st_mode)
    if mode & 0o066:
        config.home.chmod(mode & ~0o066)


def without_password(url: str) -> str:
    """``url`` with any password left out: what state.json and the status table show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=user + host))


# ---------------------------------------------------------------------------------------- processes


def process_identity(proc: psutil.Process) -> dict[str, Any]:
    """What state.json records to recognise a process later (a pid alone can be reused)."""
    return {"pid": proc.pid, "create_time": proc.create_time()}


def find_process(record: Mapping[str, Any] | None) -> psutil.Process | None:
    """The live process a state.json record describes, or None when it has gone."""
    if not record or not record.get("pid"):
        return None
    try:
        proc = psutil.Process(int(record["pid"]))
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        created = record.get("create_time")
        if created is not None and abs(proc.create_time() - float(created)) > 1.0:
            return None
        return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return None


def terminate_group(proc: psutil.Process, timeout: float) -> None:
    """SIGTERM the process and its process group (it leads one: started in its own session), wait,
    then SIGKILL whatever is left."""
    try:
        family = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    _signal_group(proc.pid, signal.SIGTERM)
    _, alive = psutil.wait_procs(family, timeout=timeout)
    alive = [p for p in alive if _live(p)]
    if alive:
        _signal_group(proc.pid, signal.SIGKILL)
        for p in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        psutil.wait_procs(alive, timeout=5)


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


def _live(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _signal_group(pid: int, sig: int) -> None:
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class ServiceProcess:
    """One service under uvicorn, in its own session, logging to ``logs/<name>.log``."""

    def __init__(self, spec: ServiceSpec, env: Mapping[str, str], log_file: Path) -> None:
        self.spec = spec
        self.env = dict(env)
        self.log_file = log_file
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.spec.port}"

    def command(self) -> list[str]:
        command = [
            *die_with_parent_prefix(),
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            self.spec.app,
            *("--host", "127.0.0.1", "--port", str(self.spec.port)),
            *("--timeout-graceful-shutdown", "5", "--timeout-keep-alive", str(KEEP_ALIVE_SECONDS)),
            *("--loop", "uvloop", "--http", "httptools"),  # named: no silent fall-back to asyncio's loop and h11
            # The client address must be the socket's: uvicorn would otherwise believe an X-Forwarded-For
            # sent by any local client, and the gateway's per-IP rate limits could be dodged. The gateway
            # reads X-Forwarded-For itself, for GATEWAY_TRUSTED_PROXY_HOPS load balancers only.
            "--no-proxy-headers",
        ]
        if self.spec.source_dir is not None:
            command += ["--app-dir", str(self.spec.source_dir)]
        return command

    def start(self) -> None:
        if port_answers(self.spec.port):
            raise StackError(f"port {self.spec.port} for service {self.spec.name} is already in use by another program")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            log.write(f"\n=== wellflow up {time.strftime('%Y-%m-%d %H:%M:%S')}: {self.spec.name} ===\n".encode())
            log.flush()
            self.popen = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
                self.command(),
                cwd=self.spec.directory,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def exited(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def wait_ready(self, timeout: float, should_stop: Any = lambda: False) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while not should_stop():
                code = self.exited()
                if code is not None:
                    raise StackError(
                        f"service {self.spec.name} exited with code {code} while starting. "
                        f"Last lines of {self.log_file}:\n{tail(self.log_file)}"
                    )
                try:
                    if client.get(f"{self.url}/health/ready").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise StackError(
                        f"service {self.spec.name} did not answer 200 on {self.url}/health/ready within "
                        f"{timeout:.0f} s. Last lines of {self.log_file}:\n{tail(self.log_file)}"
                    )
                time.sleep(0.2)

    def stop(self, timeout: float = 10) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                terminate_group(psutil.Process(self.popen.pid), timeout)
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=5)


def run_migrations(spec: ServiceSpec, env: Mapping[str, str], log_file: Path, timeout: float = 300) -> None:
    """``alembic upgrade head`` in the service's migrations folder, as the owner role."""
    assert spec.migrations is not None
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        log.write(f"\n=== wellflow up: alembic upgrade head ({spec.migrations}) ===\n".encode())
        log.flush()
        try:
            result = subprocess.run(
                [sys.executable, "-m", "alembic", "upgrade", "head"],
                cwd=spec.migrations,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise StackError(f"migrations of {spec.name} took over {timeout:.0f} s; see {log_file}") from None
    if result.returncode != 0:
        raise StackError(
            f"migrations of {spec.name} failed (alembic exit code {result.returncode}). "
            f"Last lines of {log_file}:\n{tail(log_file)}"
        )
