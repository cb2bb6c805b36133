import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A folder directly under the system temp dir (pytest's own is 0700 and deep: PostgreSQL runs as
    another OS user when we are root, and Unix socket paths must stay short)."""
    path = Path(tempfile.mkdtemp(prefix="wf-devstack-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def live_processes_mentioning(text: str) -> list[psutil.Process]:
    """Processes (not zombies) whose command line mentions ``text``: leftovers of a server we ran."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if text in " ".join(proc.info["cmdline"] or ()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


@pytest.fixture
def leftovers() -> Callable[[str], list[psutil.Process]]:
    return live_processes_mentioning
