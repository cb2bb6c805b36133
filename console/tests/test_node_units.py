"""The console's JavaScript unit tests (console/tests/*.test.js, node's own test runner: nothing to install) run
in `make test` through this test. A machine with Python only has no node: the test then skips, saying so; the
browser tests still drive the outbox end to end (tests/e2e/test_console_pumper.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CONSOLE = Path(__file__).resolve().parents[1]


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: the console's JavaScript unit tests (console/tests/*.test.js) did not run")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    major = int(re.match(r"v(\d+)", version).group(1)) if re.match(r"v(\d+)", version) else 0
    if major < 20:
        pytest.skip(f"node {version} is older than 20: the console's JavaScript unit tests need node 20's test runner")
    return node


def test_the_console_javascript_unit_tests_pass():
    node = node_or_skip()
    result = subprocess.run(
        [node, "--test", "tests/"], cwd=CONSOLE, capture_output=True, text=True, timeout=120, check=False
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    passed = re.search(r"^# pass (\d+)$", report, re.M)
    assert passed and int(passed.group(1)) >= 20, report[-2000:]  # the outbox's tests ran, not an empty folder
