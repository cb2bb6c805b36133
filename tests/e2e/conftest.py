"""The whole system in this process, over real sockets: every service in ``SERVICES`` and the gateway under
uvicorn on free ports, on real PostgreSQL and NATS. The gateway and wells verify identity's tokens against its JWKS
over HTTP and the gateway routes by its real table, as under `wellflow up`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
import uvicorn

from wellflow_accounting.bootstrap import create_app as create_accounting
from wellflow_accounting.settings import AccountingSettings
from wellflow_compliance.bootstrap import create_app as create_compliance
from wellflow_compliance.settings import ComplianceSettings
from wellflow_devstack.servers import free_port
from wellflow_gateway.bootstrap import create_app as create_gateway
from wellflow_gateway.settings import GatewaySettings
from wellflow_identity.bootstrap import create_app as create_identity
from wellflow_identity.settings import IdentitySettings
from wellflow_production.bootstrap import create_app as create_production
from wellflow_production.settings import ProductionSettings
from wellflow_servicekit.settings import load_settings
from wellflow_wells.bootstrap import create_app as create_wells
from wellflow_wells.settings import WellsSettings

ROOT = Path(__file__).resolve().parents[2]
ISSUER, AUDIENCE = "wellflow-identity", "wellflow"
PASSWORD = "correct horse battery staple"

# security_checks.py is a plain module beside the tests (this folder is no package)
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


async def _serve(app, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    for _ in range(400):
        if server.started:
            return server, task
        if task.done():
            task.result()
        await asyncio.sleep(0.025)
    raise TimeoutError(f"server on port {port} did not start")


# The services the gateway routes to, started in this order: name -> (app factory, settings class, extra
# settings). A new service adds one line here (and its imports above); everything else is shared.
SERVICES: dict[str, tuple[Callable[..., Any], type, Callable[[], dict[str, Any]]]] = {
    "identity": (create_identity, IdentitySettings, lambda: {"key_encryption_key": "e2e-" + uuid4().hex + uuid4().hex}),
    "wells": (create_wells, WellsSettings, dict),
    "production": (create_production, ProductionSettings, lambda: {"db_pool_size": 6}),
    "compliance": (create_compliance, ComplianceSettings, dict),
    "accounting": (create_accounting, AccountingSettings, dict),
}


@pytest.fixture
def service_databases() -> dict[str, Any]:
    """Each started service's database (name -> ServiceDatabase with owner and runtime URLs), filled by `gateway`."""
    return {}


@pytest.fixture
async def gateway(service_database, event_stream, infra, service_databases):
    root = await event_stream()
    ports = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    jwks_url = f"{urls['identity']}/.well-known/jwks.json"
    common = {
        "nats_url": infra.nats_url,
        "event_subject_root": root,
        "jwks_url": jwks_url,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "log_level": "WARNING",
        # Each pool is opened in full at start; 20 a service exhausts a shared server's 100 connections.
        "db_pool_size": 6,
    }
    servers = []
    for name, (create_app, settings_class, extra) in SERVICES.items():
        database = await service_database(name, migrations=ROOT / "services" / name)
        service_databases[name] = database
        settings = load_settings(
            settings_class,
            service_name=name,
            database_url=database.runtime_url,
            http_port=ports[name],
            **{**common, **extra()},
        )
        servers.append(await _serve(create_app(settings), ports[name]))
    gateway_port = free_port()
    gateway_settings = GatewaySettings(
        wellflow_service_urls=urls,
        jwks_url=jwks_url,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        http_port=gateway_port,
        gateway_rate_limit_ip_per_second=1000,
        gateway_rate_limit_ip_burst=1000,
        log_level="WARNING",
    )
    servers.append(await _serve(create_gateway(gateway_settings), gateway_port))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=30) as client:
        yield client
    for server, task in reversed(servers):
        server.should_exit = True
        await task


@pytest.fixture
def sign_up(gateway: httpx.AsyncClient) -> Callable[[str], Awaitable[dict]]:
    """Sign up an operator company through the gateway; returns identity's answer (tokens and ids)."""

    async def sign_up(company: str) -> dict:
        email = f"owner@{company.lower().replace(' ', '')}.com"
        response = await gateway.post(
            "/api/v1/auth/signup",
            json={
                "organization": {"name": company, "rrc_operator_number": "123456"},
                "user": {"email": email, "password": PASSWORD, "full_name": "Dana Ruiz"},
            },
        )
        assert response.status_code == 201, response.text
        return response.json()

    return sign_up
