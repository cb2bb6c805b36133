"""Every deployable package (a ``[tool.wellflow.service]`` table in its pyproject) has a Dockerfile that
matches its declaration: the package it installs from uv.lock, its port, its app factory, its migrations,
a non-root user and a health check on /health/live. No Docker engine runs here, so the Dockerfile is
read, not built; test_service_installs_alone.py runs its install step for real."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from deploy_context import dockerignore_patterns, ignored

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Deployable:
    folder: Path
    package: str
    name: str
    port: int
    app: str
    migrations: bool


def deployables() -> list[Deployable]:
    found = []
    for pyproject in sorted([*REPO.glob("services/*/pyproject.toml"), *REPO.glob("tools/*/pyproject.toml")]):
        data = tomllib.loads(pyproject.read_text())
        table = data.get("tool", {}).get("wellflow", {}).get("service")
        if table is None:
            continue
        found.append(
            Deployable(
                folder=pyproject.parent,
                package=data["project"]["name"],
                name=table["name"],
                port=table["port"],
                app=table["app"],
                migrations="migrations" in table,
            )
        )
    return found


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    result = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


DEPLOYABLES = deployables()


def test_every_service_of_the_system_is_deployable():
    names = {d.name for d in DEPLOYABLES}
    assert {"identity", "wells", "production", "compliance", "accounting", "gateway"} <= names
    assert any(d.folder.name == "rrc-portal" for d in DEPLOYABLES)


@pytest.mark.parametrize("service", DEPLOYABLES, ids=lambda d: d.folder.name)
def test_dockerfile_matches_the_service_declaration(service: Deployable):
    dockerfile = service.folder / "Dockerfile"
    assert dockerfile.is_file(), f"{service.folder.relative_to(REPO)} has no Dockerfile"
    steps = instructions(dockerfile)
    froms = [i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    assert len(froms) >= 2, "multi-stage: a build stage with uv, a runtime stage without it"
    args = {rest.split("=", 1)[0]: rest.split("=", 1)[1] for keyword, rest in steps if keyword == "ARG" and "=" in rest}
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", args.get("PYTHON_IMAGE", "")), "slim Python 3.11 base"
    final = steps[froms[-1] :]

    runs = " ".join(rest for keyword, rest in steps if keyword == "RUN")
    assert "uv sync --locked --no-dev" in runs and f"--package {service.package}" in runs
    assert not any("uv" in rest.split() for keyword, rest in final if keyword == "RUN"), "no uv in the runtime stage"

    users = [rest for keyword, rest in final if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "runs as a non-root user"
    assert [rest for keyword, rest in final if keyword == "EXPOSE"] == [str(service.port)]

    healthcheck = " ".join(rest for keyword, rest in final if keyword == "HEALTHCHECK")
    assert f"http://127.0.0.1:{service.port}/health/live" in healthcheck and "urllib" in healthcheck

    (cmd,) = [rest for keyword, rest in final if keyword == "CMD"]
    argv = json.loads(cmd)
    assert argv[:3] == ["uvicorn", "--factory", service.app]
    assert argv[argv.index("--port") + 1] == str(service.port)
    assert argv[argv.index("--host") + 1] == "0.0.0.0"

    copies = [rest for keyword, rest in final if keyword == "COPY" and not rest.startswith("--from")]
    folder = service.folder.relative_to(REPO).as_posix()
    if service.migrations:
        assert f"{folder}/alembic.ini ./alembic.ini" in copies
        assert f"{folder}/migrations ./migrations" in copies


@pytest.mark.parametrize("service", DEPLOYABLES, ids=lambda d: d.folder.name)
def test_everything_a_dockerfile_copies_is_in_the_build_context(service: Deployable):
    patterns = dockerignore_patterns()
    for keyword, rest in instructions(service.folder / "Dockerfile"):
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        *sources, _ = rest.split()
        for source in sources:
            if source == ".":
                continue
            assert (REPO / source).exists(), f"{source} does not exist: the image cannot be built"
            assert not ignored(source, patterns), f"{source} is excluded by .dockerignore"


def test_dockerignore_keeps_what_uv_needs_and_drops_local_state():
    patterns = dockerignore_patterns()
    for kept in ("uv.lock", "pyproject.toml", "libs/servicekit/src/wellflow_servicekit/broker.py"):
        assert not ignored(kept, patterns), kept
    for member in DEPLOYABLES:
        assert not ignored((member.folder / "pyproject.toml").relative_to(REPO).as_posix(), patterns)
    for dropped in (".venv/bin/python", ".git/HEAD", ".wellflow/secrets.json", "services/wells/tests/unit/x.py"):
        assert ignored(dropped, patterns), dropped
