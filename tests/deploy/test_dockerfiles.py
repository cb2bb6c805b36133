"""One Dockerfile (deploy/Dockerfile) builds every deployable package (a ``[tool.wellflow.service]`` table
in its pyproject), told the package's folder as the build argument SERVICE. Its build step reads the
declaration: the package it installs from uv.lock, its app factory and port (the `serve` command), its
migrations; the image runs as a non-root user with a health check on /health/live. No Docker engine runs
here, so the Dockerfile is read and its declaration step is run for real, on a copy of the build context,
for every deployable; test_service_installs_alone.py runs its install step."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from deploy_context import copy_build_context, dockerignore_patterns, ignored
from deploy_helpers import DEPLOYABLES, ServiceSpec

from wellflow_devstack.stack import KEEP_ALIVE_SECONDS
from wellflow_gateway.upstream import POOL_IDLE_SECONDS

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"
HEREDOC = re.compile(r"<<-?'?(\w+)'?")


def instructions(dockerfile: Path) -> list[tuple[str, str, str]]:
    """(INSTRUCTION, arguments, here-document) with continuation lines joined and comments dropped."""
    logical: list[tuple[str, str]] = []
    current = ""
    lines = iter(dockerfile.read_text().splitlines())
    for raw in lines:
        line = raw.strip()
        if line.startswith("#") or (not current and not line):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        text, document = current + line, ""
        current = ""
        marker = HEREDOC.search(text)
        if marker:
            body = []
            for inner in lines:
                if inner.strip() == marker.group(1):
                    break
                body.append(inner)
            document = "\n".join(body) + "\n"
        logical.append((text, document))
    result = []
    for text, document in logical:
        keyword, _, rest = text.partition(" ")
        result.append((keyword.upper(), rest.strip(), document))
    return result


STEPS = instructions(DOCKERFILE)


def _declaration_step() -> str:
    (document,) = [document for keyword, rest, document in STEPS if keyword == "RUN" and document]
    return document


def run_declaration_step(
    context: Path, spec: ServiceSpec, out: Path, name: str, port: str
) -> subprocess.CompletedProcess:
    """The build's declaration step, as `RUN python3 - "${SERVICE}" /srv/service ...` runs it in ``context``."""
    folder = spec.directory.relative_to(REPO).as_posix()
    return subprocess.run(
        [sys.executable, "-", folder, str(out), name, port],
        input=_declaration_step(),
        cwd=context,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def build_context(tmp_path_factory) -> Path:
    return copy_build_context(tmp_path_factory.mktemp("context") / "context")


def test_every_service_of_the_system_is_deployable():
    names = {d.name for d in DEPLOYABLES}
    assert {"identity", "wells", "production", "compliance", "accounting", "gateway"} <= names
    assert any(d.directory.name == "rrc-portal" for d in DEPLOYABLES)


def test_no_service_keeps_a_dockerfile_of_its_own():
    """The one Dockerfile builds them all: a copy beside a service would drift from it."""
    for spec in DEPLOYABLES:
        assert not (spec.directory / "Dockerfile").exists(), f"{spec.directory.relative_to(REPO)}/Dockerfile"


def test_the_dockerfile_is_multi_stage_slim_non_root_and_checks_its_health():
    froms = [i for i, (keyword, _, _) in enumerate(STEPS) if keyword == "FROM"]
    assert len(froms) >= 2, "multi-stage: a build stage with uv, a runtime stage without it"
    args = {
        rest.split("=", 1)[0]: rest.split("=", 1)[1] for keyword, rest, _ in STEPS if keyword == "ARG" and "=" in rest
    }
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", args.get("PYTHON_IMAGE", "")), "slim Python 3.11 base"
    build, final = STEPS[: froms[-1]], STEPS[froms[-1] :]
    assert {"SERVICE", "SERVICE_NAME", "HTTP_PORT"} <= {rest for keyword, rest, _ in build if keyword == "ARG"}

    runs = " ".join(rest for keyword, rest, _ in build if keyword == "RUN")
    assert 'uv sync --locked --no-dev --no-editable --package "$(cat /srv/service/package)"' in runs
    assert not any("uv" in rest.split() for keyword, rest, _ in final if keyword == "RUN"), "no uv in the runtime stage"

    users = [rest for keyword, rest, _ in final if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "runs as a non-root user"
    assert [rest for keyword, rest, _ in final if keyword == "EXPOSE"] == ["${HTTP_PORT}"]
    env = " ".join(rest for keyword, rest, _ in final if keyword == "ENV")
    for setting in ("SERVICE_NAME=${SERVICE_NAME}", "HTTP_PORT=${HTTP_PORT}", "HTTP_HOST=0.0.0.0"):
        assert setting in env
    assert "COPY --from=build /srv/service /srv/service" in [f"{k} {r}" for k, r, _ in final]

    (healthcheck,) = [rest for keyword, rest, _ in final if keyword == "HEALTHCHECK"]
    assert healthcheck.endswith('CMD ["/srv/service/healthcheck"]')
    (cmd,) = [rest for keyword, rest, _ in final if keyword == "CMD"]
    assert json.loads(cmd) == ["/srv/service/serve"]


@pytest.mark.parametrize("service", DEPLOYABLES, ids=lambda d: d.directory.name)
def test_the_build_reads_the_service_declaration(service: ServiceSpec, build_context: Path, tmp_path: Path):
    """The declaration step, run on what the build context holds, gives the image its package, its
    `serve` (uvicorn on the declared app and port), its health check and its migrations."""
    out = tmp_path / "service"
    result = run_declaration_step(build_context, service, out, service.name, str(service.port))
    assert result.returncode == 0, result.stderr

    assert (out / "package").read_text().strip() == service.package
    serve = (out / "serve").read_text()
    assert serve.startswith("#!/bin/sh\n")
    (exec_line,) = [line for line in serve.splitlines() if line.startswith("exec ")]
    argv = exec_line.removeprefix("exec ").split()
    assert argv[:3] == ["uvicorn", "--factory", service.app]
    assert argv[argv.index("--port") + 1] == str(service.port)
    assert argv[argv.index("--host") + 1] == "0.0.0.0"
    assert "--no-proxy-headers" in argv
    # the client closes an idle connection first (docs/deploy.md, "Keep-alive")
    assert float(argv[argv.index("--timeout-keep-alive") + 1]) == KEEP_ALIVE_SECONDS > 60 > POOL_IDLE_SECONDS
    healthcheck = (out / "healthcheck").read_text()
    assert f"://127.0.0.1:{service.port}/health/live" in healthcheck and "urllib" in healthcheck
    compile(healthcheck, "healthcheck", "exec")
    assert all((out / command).stat().st_mode & 0o111 for command in ("serve", "healthcheck"))

    if service.migrations is not None:
        assert (out / "alembic.ini").read_text() == (service.migrations / "alembic.ini").read_text()
        shipped = {p.relative_to(out / "migrations") for p in (out / "migrations").rglob("*.py")}
        assert shipped == {
            p.relative_to(service.migrations / "migrations") for p in (service.migrations / "migrations").rglob("*.py")
        }
        assert shipped, "the migrations travel with the image"
    else:
        assert not (out / "alembic.ini").exists() and not (out / "migrations").exists()


def test_the_build_stops_when_the_arguments_contradict_the_declaration(build_context: Path, tmp_path: Path):
    wells = next(spec for spec in DEPLOYABLES if spec.name == "wells")
    wrong_port = run_declaration_step(build_context, wells, tmp_path / "a", "wells", "9999")
    assert wrong_port.returncode != 0 and "declares wells 8102" in wrong_port.stderr
    wrong_name = run_declaration_step(build_context, wells, tmp_path / "b", "production", "8102")
    assert wrong_name.returncode != 0
    no_declaration = subprocess.run(
        [sys.executable, "-", "libs/servicekit", str(tmp_path / "c"), "servicekit", "1"],
        input=_declaration_step(),
        cwd=build_context,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert no_declaration.returncode != 0 and "no [tool.wellflow.service] table" in no_declaration.stderr


def test_everything_the_dockerfile_copies_is_in_the_build_context():
    patterns = dockerignore_patterns()
    for keyword, rest, _ in STEPS:
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        *sources, _ = rest.split()
        for source in sources:
            if source == ".":
                continue
            assert (REPO / source).exists(), f"{source} does not exist: the image cannot be built"
            assert not ignored(source, patterns), f"{source} is excluded by .dockerignore"
    for spec in DEPLOYABLES:  # what the declaration step reads
        folder = spec.directory.relative_to(REPO)
        read = [folder / "pyproject.toml"]
        if spec.migrations is not None:
            read += [
                spec.migrations.relative_to(REPO) / "alembic.ini",
                spec.migrations.relative_to(REPO) / "migrations",
            ]
        for path in read:
            assert not ignored(path.as_posix(), patterns), f"{path} is excluded by .dockerignore"


def test_dockerignore_keeps_what_uv_needs_and_drops_local_state():
    patterns = dockerignore_patterns()
    for kept in ("uv.lock", "pyproject.toml", "libs/servicekit/src/wellflow_servicekit/broker.py"):
        assert not ignored(kept, patterns), kept
    for member in DEPLOYABLES:
        assert not ignored((member.directory / "pyproject.toml").relative_to(REPO).as_posix(), patterns)
    for dropped in (".venv/bin/python", ".git/HEAD", ".wellflow/secrets.json", "services/wells/tests/unit/x.py"):
        assert ignored(dropped, patterns), dropped


def _serve(out: Path, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """The image's `serve` with this venv's uvicorn on PATH (as /opt/venv/bin is in the image)."""
    import os

    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.Popen(
        ["/bin/sh", str(out / "serve"), *args],
        env={**os.environ, "PATH": path, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_serve_speaks_https_when_given_a_certificate_and_its_health_check_follows(build_context, tmp_path):
    """HTTP_TLS_CERT_FILE and HTTP_TLS_KEY_FILE become uvicorn's --ssl-certfile/--ssl-keyfile: the server answers
    over TLS with that certificate (verified against its CA here), not in plain text, and the image's health
    check asks it over https. Run on the RRC portal stand-in, the one deployable that starts without a database."""
    import ssl
    import urllib.error
    import urllib.request

    from deploy_helpers import make_tls

    from wellflow_devstack.servers import free_port, port_answers

    spec = next(spec for spec in DEPLOYABLES if spec.directory.name == "rrc-portal")
    out = tmp_path / "service"
    assert run_declaration_step(build_context, spec, out, spec.name, str(spec.port)).returncode == 0
    tls = make_tls(tmp_path / "tls", names=("rrc-portal", "localhost"))
    port = free_port()
    env = {"HTTP_TLS_CERT_FILE": str(tls.cert), "HTTP_TLS_KEY_FILE": str(tls.key)}
    server = _serve(out, env, "--host", "127.0.0.1", "--port", str(port))  # later options win with click
    try:
        deadline = time.monotonic() + 30
        while not port_answers(port):
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        verified = ssl.create_default_context(cafile=str(tls.ca))
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/health/live", context=verified, timeout=5) as answer:
            assert answer.status == 200
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=5)  # no plain HTTP
        stranger = ssl.create_default_context(cafile=str(make_tls(tmp_path / "other").ca))
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(f"https://127.0.0.1:{port}/health/live", context=stranger, timeout=5)

        healthcheck = (out / "healthcheck").read_text().replace(f":{spec.port}/", f":{port}/")
        check = [sys.executable, "-c", healthcheck]
        assert subprocess.run(check, env=env, capture_output=True, timeout=30, check=False).returncode == 0
        assert subprocess.run(check, env={}, capture_output=True, timeout=30, check=False).returncode != 0
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_refuses_half_a_tls_configuration(build_context, tmp_path):
    spec = next(spec for spec in DEPLOYABLES if spec.directory.name == "rrc-portal")
    out = tmp_path / "service"
    assert run_declaration_step(build_context, spec, out, spec.name, str(spec.port)).returncode == 0
    server = _serve(out, {"HTTP_TLS_CERT_FILE": str(tmp_path / "server.crt")})
    output, _ = server.communicate(timeout=30)
    assert server.returncode == 2
    assert b"HTTP_TLS_CERT_FILE and HTTP_TLS_KEY_FILE go together" in output
