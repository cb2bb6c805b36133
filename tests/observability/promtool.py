"""Finding promtool for the rule tests: WELLFLOW_PROMTOOL, else the one on PATH (Debian's prometheus package,
installed by tools/install-promtool). Without it the tests skip, except under CI, where they fail."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
RULES = sorted((OBSERVABILITY / "prometheus" / "rules").glob("*.yml"))
RULE_TESTS = sorted((OBSERVABILITY / "prometheus" / "tests").glob("*.yml"))


def promtool() -> str:
    found = os.environ.get("WELLFLOW_PROMTOOL") or shutil.which("promtool")
    if found:
        return found
    message = "promtool is not installed (tools/install-promtool installs Debian's prometheus package)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *map(str, args)], capture_output=True, text=True, timeout=120, check=False)
