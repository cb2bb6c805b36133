"""What the embedded servers share: ports, pid files, log tails, stopping process families."""

from __future__ import annotations

import contextlib
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import psutil

LOCALHOST = "127.0.0.1"


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


def host_port(url: str, default_port: int) -> tuple[str, int]:
    """The host and port a URL names (``default_port`` when it names none)."""
    parts = urlsplit(url)
    return parts.hostname or LOCALHOST, parts.port or default_port


def tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(procs: Iterable[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every process has exited; returns those still alive."""
    deadline = time.monotonic() + timeout
    remaining = [p for p in procs if alive(p)]
    while remaining and time.monotonic() < deadline:
        time.sleep(0.05)
        remaining = [p for p in remaining if alive(p)]
    return remaining


def kill_all(procs: Iterable[psutil.Process], sig: int) -> None:
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(sig)


def read_pid(pid_file: Path) -> int | None:
    try:
        first = pid_file.read_text().splitlines()[0].strip()
        return int(first)
    except (OSError, IndexError, ValueError):
        return None


def process_matching(pid: int | None, needle: str) -> psutil.Process | None:
    """The live process ``pid`` if its command line mentions ``needle`` (a pid can be reused)."""
    if pid is None:
        return None
    try:
        proc = psutil.Process(pid)
        if not alive(proc):
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
