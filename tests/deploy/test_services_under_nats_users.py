"""Real services under the NATS users of deploy/nats/accounts.conf: wells and production start as they do
in a container (uvicorn with the app factory, configured by the environment only), each logged in as its
own user, and a lease recorded in wells travels through wells' outbox relay (publishing as ``wells``)
into production's durable consumer (creating, fetching and acking as ``production``). If the permissions
missed anything servicekit does, a service would not become ready or the event would not arrive."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import asyncpg
import httpx
import pytest

from wellflow_contracts.events.wells import LeaseRegistered
from wellflow_servicekit.broker import ensure_stream
from wellflow_servicekit.database import Database
from wellflow_servicekit.testing import until

REPO = Path(__file__).resolve().parents[2]
SERVICES = {"wells": "wellflow_wells.bootstrap:create_app", "production": "wellflow_production.bootstrap:create_app"}

pytestmark = pytest.mark.integration


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    async with httpx.AsyncClient(timeout=2) as client:

        async def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the service exited ({process.returncode}):\n{log.read_text()[-3000:]}")
            try:
                return (await client.get(f"http://127.0.0.1:{port}/health/ready")).status_code == 200
            except httpx.HTTPError:
                return False

        await until(ready, timeout, f"the service on port {port} to be ready (log: {log})", every=0.3)


async def test_wells_events_reach_production_through_the_service_users(start_deployed_nats, service_database, tmp_path):
    from wellflow_devstack.servers import free_port

    server = start_deployed_nats()
    await ensure_stream(server.url("admin"), "wellflow", replicas=1)
    databases = {
        name: await service_database(name, migrations=REPO / "services" / name) for name in ("wells", "production")
    }

    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, factory in SERVICES.items():
            port = free_port()
            log = tmp_path / f"{name}.log"
            env = {
                **{
                    k: v
                    for k, v in os.environ.items()
                    if not k.startswith(("DATABASE_", "NATS_", "EVENT_")) and k != "SSL_CERT_FILE"
                },
                "SERVICE_NAME": name,
                "HTTP_PORT": str(port),
                "DATABASE_URL": databases[name].runtime_url,
                "NATS_URL": server.url(name),  # tls://, verified against the deployment's CA as configured
                "NATS_TLS_CA_FILE": str(server.tls.ca),
                "EVENT_SUBJECT_ROOT": "wellflow",
                "JWKS_URL": "http://127.0.0.1:9/.well-known/jwks.json",  # no request here carries a token
                "JWT_ISSUER": "wellflow-identity",
                "JWT_AUDIENCE": "wellflow",
                "OUTBOX_POLL_INTERVAL": "0.2",
                "LOG_FORMAT": "text",
            }
            with open(log, "wb") as output:
                processes[name] = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port)],
                    cwd=REPO / "services" / name,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            await _wait_ready(port, processes[name], log)

        tenant, lease = (
            uuid4(),
            LeaseRegistered(
                tenant_id=uuid4(),
                lease_id=uuid4(),
                name="Permian 7",
                rrc_district="08",
                lease_type="oil",
                status="active",
            ),
        )
        tenant = lease.tenant_id
        wells = Database(databases["wells"].runtime_url, service="wells", subject_root="wellflow", pool_size=1)
        try:
            async with wells.unit_of_work(tenant) as uow:
                uow.record(lease, aggregate_key=f"wells.lease:{lease.lease_id}")
        finally:
            await wells.engine.dispose()

        production = await asyncpg.connect(_plain(databases["production"].owner_url))
        try:
            deadline = time.monotonic() + 30
            while True:
                applied = await production.fetchval(
                    "SELECT count(*) FROM inbox WHERE event_id = $1 AND consumer = 'production-lease-registered'",
                    lease.event_id,
                )
                if applied == 1:
                    break
                assert time.monotonic() < deadline, (tmp_path / "production.log").read_text()[-3000:]
                await asyncio.sleep(0.2)
        finally:
            await production.close()
        for name in SERVICES:
            log = (tmp_path / f"{name}.log").read_text().lower()
            assert "permissions violation" not in log, f"{name} was refused something:\n{log[-3000:]}"
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
