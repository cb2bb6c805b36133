"""The real identity started by the image's `serve` command with a certificate (HTTP_TLS_CERT_FILE and
HTTP_TLS_KEY_FILE, as compose and the manifests set them) answers over HTTPS only, and the real wells service,
configured as deployed (JWKS_URL https://, JWKS_CA_FILE, JWKS_REQUIRE_TLS), verifies a token identity issued
with the keys it fetched over that TLS. A wells told to fetch the keys over plain http:// does not start."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from deploy_helpers import by_folder, make_tls
from test_dockerfiles import run_declaration_step

from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.testing import until

REPO = Path(__file__).resolve().parents[2]
ISSUER, AUDIENCE = "wellflow-identity", "wellflow"

pytestmark = pytest.mark.integration


def _environment(**values: str) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "NATS_", "EVENT_", "JWKS_", "HTTP_TLS_")) and k != "SSL_CERT_FILE"
    }
    return {**inherited, "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "LOG_FORMAT": "text", **values}


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


async def _ready(url: str, process: subprocess.Popen[bytes], log: Path, verify: ssl.SSLContext | bool) -> None:
    async with httpx.AsyncClient(timeout=2, verify=verify) as client:

        async def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the service exited ({process.returncode}):\n{log.read_text()[-3000:]}")
            try:
                return (await client.get(f"{url}/health/ready")).status_code == 200
            except httpx.HTTPError:
                return False

        await until(ready, 90, f"{url} to be ready (log: {log})", every=0.3)


async def test_wells_verifies_identitys_tokens_with_keys_fetched_over_https(
    start_deployed_nats, service_database, tmp_path
):
    from wellflow_devstack.servers import free_port

    nats = start_deployed_nats()
    await ensure_stream(nats.url("admin"), "wellflow", replicas=1)
    databases = {
        name: await service_database(name, migrations=REPO / "services" / name) for name in ("identity", "wells")
    }
    tls = make_tls(tmp_path / "identity-tls", names=("identity", "localhost"))
    identity_spec = by_folder()["identity"]
    image = tmp_path / "identity-image"
    assert run_declaration_step(REPO, identity_spec, image, "identity", str(identity_spec.port)).returncode == 0

    identity_port, wells_port = free_port(), free_port()
    identity_url = f"https://localhost:{identity_port}"
    deployed = {  # what every process gets in a deployment (docker-compose.yml x-service-env, wellflow-config)
        "JWKS_URL": f"{identity_url}/.well-known/jwks.json",
        "JWKS_CA_FILE": str(tls.ca),
        "JWKS_REQUIRE_TLS": "true",
        "NATS_TLS_CA_FILE": str(nats.tls.ca),
        "EVENT_SUBJECT_ROOT": "wellflow",
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        identity_log = tmp_path / "identity.log"
        identity_env = _environment(
            **deployed,
            SERVICE_NAME="identity",
            DATABASE_URL=databases["identity"].runtime_url,
            NATS_URL=nats.url("identity"),
            KEY_ENCRYPTION_KEY="k" * 40,
            HTTP_TLS_CERT_FILE=str(tls.cert),
            HTTP_TLS_KEY_FILE=str(tls.key),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        serve = ["/bin/sh", str(image / "serve"), "--host", "127.0.0.1", "--port", str(identity_port)]
        processes.append(_start(serve, identity_env, identity_log))
        trusted = ssl.create_default_context(cafile=str(tls.ca))
        await _ready(identity_url, processes[-1], identity_log, trusted)

        wells_log = tmp_path / "wells.log"
        wells_env = _environment(
            **deployed,
            SERVICE_NAME="wells",
            DATABASE_URL=databases["wells"].runtime_url,
            NATS_URL=nats.url("wells"),
        )
        uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "wellflow_wells.bootstrap:create_app"]
        processes.append(_start([*uvicorn, "--host", "127.0.0.1", "--port", str(wells_port)], wells_env, wells_log))
        await _ready(f"http://127.0.0.1:{wells_port}", processes[-1], wells_log, True)

        async with httpx.AsyncClient(timeout=10, verify=trusted) as client:
            signup = await client.post(
                f"{identity_url}/api/v1/auth/signup",
                json={
                    "organization": {"name": "Caprock Operating", "rrc_operator_number": "123456"},
                    "user": {"email": "owner@caprock.com", "password": "a long enough password 1", "full_name": "Dana"},
                },
            )
            assert signup.status_code == 201, signup.text
            token = signup.json()["access_token"]
            with pytest.raises(httpx.HTTPError):
                await client.get(f"http://127.0.0.1:{identity_port}/health/live")  # no plain HTTP on identity
            fields = await client.get(
                f"http://127.0.0.1:{wells_port}/api/v1/fields", headers={"Authorization": f"Bearer {token}"}
            )
            assert fields.status_code == 200, fields.text

        plain = subprocess.run(  # the same wells told to fetch the keys in plain text
            [*uvicorn, "--host", "127.0.0.1", "--port", str(free_port())],
            env={**wells_env, "JWKS_URL": f"http://127.0.0.1:{identity_port}/.well-known/jwks.json"},
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert plain.returncode != 0
        assert b"JWKS_URL: must be an https:// URL when JWKS_REQUIRE_TLS is true" in plain.stderr + plain.stdout
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
