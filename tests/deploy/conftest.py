"""Fixtures for the deployment tests: a nats-server run from deploy/nats/ exactly as compose runs it (only
its ports and store folder changed). The helper modules beside the tests (deploy_*.py) are made
importable here: this folder is no package."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from deploy_helpers import (  # noqa: E402 - importable only once HERE is on the path
    SERVICE_USERS,
    DeployedNats,
    make_tls,
    nats_environment,
    nats_password,
    render_nats_config,
)


@pytest.fixture
def start_deployed_nats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """``start(tenants_conf)`` runs nats-server with deploy/nats/ and returns a ``DeployedNats``. Its clients
    speak TLS (``tls://`` URLs): the test process trusts the server's CA (SSL_CERT_FILE), as a deployment's
    clients do through NATS_TLS_CA_FILE."""
    import os
    import secrets as token

    from wellflow_devstack.servers import free_port, nats_server_binary, port_answers

    started: list[subprocess.Popen[bytes]] = []

    def start(tenants: str = "") -> DeployedNats:
        passwords = {user: nats_password(token.token_hex(16)) for user in ("admin", *SERVICE_USERS)}
        port, http_port = free_port(), free_port()
        tls = make_tls(tmp_path / "tls")
        monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca))  # nats-py's default context for tls:// URLs
        config = render_nats_config(tmp_path / "nats", port=port, http_port=http_port, tenants=tenants, tls=tls)
        log = open(tmp_path / "nats.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [str(nats_server_binary()), "-c", str(config), "-a", "127.0.0.1"],
            env={**os.environ, **nats_environment(passwords)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        deadline = time.monotonic() + 15
        while not port_answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not start:\n{(tmp_path / 'nats.log').read_text()}")
            time.sleep(0.05)
        return DeployedNats(port=port, passwords=passwords, config_dir=config.parent, process=proc, tls=tls)

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
