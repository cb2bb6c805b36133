"""The whole system in this process, over real sockets: every service in ``SERVICES``, the RRC portal stand-in and
the gateway under uvicorn on free ports, on real PostgreSQL and NATS. The gateway and wells verify identity's tokens
against its JWKS over HTTP and the gateway routes by its real table, as under `wellflow up`.

A test module may override two fixtures: ``replicas`` (2 runs every service twice on its one database, behind a
round-robin in front of each, see `_RoundRobin`) and ``gateway_tracer_provider`` (a provider gives the gateway a
server span per request, as OTLP export does in production).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
import uvicorn
from opentelemetry.sdk.trace import TracerProvider

from wellflow_devstack.discovery import ServiceSpec, discover_services, load_target
from wellflow_devstack.mail_catcher import MailCatcher
from wellflow_devstack.servers import free_port
from wellflow_devstack.stack import KEEP_ALIVE_SECONDS
from wellflow_gateway.bootstrap import create_app as create_gateway
from wellflow_gateway.settings import GatewaySettings
from wellflow_rrc_portal.app import create_app as create_rrc_portal
from wellflow_servicekit.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
ISSUER, AUDIENCE = "wellflow-identity", "wellflow"
PASSWORD = "correct horse battery staple"

# security_checks.py is a plain module beside the tests (this folder is no package)
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


# A service's start (pool, NATS, a durable consumer per subscription) takes well under a second alone; with the
# whole suite's servers on two cores it has taken over ten.
START_SECONDS = 60.0


async def _serve(app, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_keep_alive=KEEP_ALIVE_SECONDS
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    deadline = asyncio.get_running_loop().time() + START_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        if server.started:
            return server, task
        if task.done():
            try:
                task.result()
            except SystemExit as exc:  # uvicorn exits when the lifespan fails: not a reason to end the session
                raise RuntimeError(f"server on port {port} failed to start (its log above says why)") from exc
        await asyncio.sleep(0.025)
    # a server left starting in the session's loop would fail later, inside another test (its lifespan exits the
    # process when it finally gives up): stop it here, where the cause is
    await _stop([(server, task)])
    raise TimeoutError(f"server on port {port} did not start within {START_SECONDS:.0f} s")


async def _stop(servers: list[tuple[uvicorn.Server, asyncio.Task[None]]]) -> None:
    """Stop servers in reverse order of start; one that never finished starting is cancelled."""
    for server, task in reversed(servers):
        server.should_exit = True
        if not server.started:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, SystemExit):
            await task


# Settings a service takes from what the fixture starts first (the portal stand-in's URL): name -> callable of the
# shared values. Kept apart from SERVICES so its lines stay `name: (factory, settings class, extra)`.
# Like `wellflow up`, the harness files through the RRC portal stand-in, said explicitly: a deployment's default
# is manual (prepared, awaiting the RRC's confirmation), and the stand-in's answers never close an obligation.
WIRING: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "compliance": lambda shared: {
        "rrc_portal_adapter": "stand-in",
        "rrc_portal_url": shared["rrc_portal_url"],
        "submission_poll_interval_seconds": 0.5,
    },
    # notifications mails through the test's SMTP sink (`mailbox`)
    "notifications": lambda shared: {
        "smtp_host": "127.0.0.1",
        "smtp_port": shared["smtp_port"],
        "smtp_security": "none",
        "delivery_poll_interval": 1.0,
        "digest_interval": 0,
    },
}


# Settings a test run gives a service beyond the shared ones: name -> callable of nothing.
EXTRA: dict[str, Callable[[], dict[str, Any]]] = {
    "identity": lambda: {"key_encryption_key": "e2e-" + uuid4().hex + uuid4().hex},
    "production": lambda: {"db_pool_size": 6},
    # files in a folder of the run's own; a 2 MiB standard plan (the 413 case); reminders checked twice a second
    "documents": lambda: {
        "document_storage_path": tempfile.mkdtemp(prefix="wellflow-e2e-documents-"),
        "document_plan_limits": {"standard": 2 * 1024 * 1024, "professional": 100 * 1024 * 1024},
        "document_reminder_interval": 0.5,
    },
}


def _routed(spec: ServiceSpec) -> bool:
    """A WellFlow service the gateway routes to: under services/, with a database (not the gateway itself)."""
    return spec.directory.parent.name == "services" and spec.database


# The services the gateway routes to, read from their [tool.wellflow.service] declarations (the ones `wellflow
# up` runs), identity first: name -> (app factory, settings class, extra settings, migrations folder). A new
# service needs no line here; EXTRA and WIRING only when a test run must set something of its own.
SERVICES: dict[str, tuple[Callable[..., Any], type, Callable[[], dict[str, Any]], Path]] = {
    spec.name: (load_target(spec.app), load_target(spec.settings_target), EXTRA.get(spec.name, dict), spec.migrations)
    for spec in discover_services(ROOT)
    if _routed(spec) and spec.migrations is not None
}


@pytest.fixture
def service_databases() -> dict[str, Any]:
    """Each started service's database (name -> ServiceDatabase with owner and runtime URLs), filled by `gateway`."""
    return {}


@pytest.fixture
def replicas() -> int:
    """How many replicas of each service `gateway` starts; a module overrides this fixture to run two."""
    return 1


@pytest.fixture
def gateway_tracer_provider() -> TracerProvider | None:
    """The gateway's tracer provider: None (no gateway spans, as without OTLP export) unless a module overrides it."""
    return None


@pytest.fixture
def e2e_stack() -> dict[str, Any]:
    """What `gateway` started: `subject_root`, `rrc_portal_url`, `service_urls` (name -> the replicas' URLs)."""
    return {}


class _RoundRobin:
    """A tiny HTTP forwarder in front of a service's replicas: each request goes to the next one in turn.

    The gateway routes one URL per service (a load balancer's job in Kubernetes); this stands in for it, so both
    replicas answer requests as well as run their relays, consumers and workers side by side.
    """

    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = upstreams
        self.turn = itertools.count()
        self.client: httpx.AsyncClient | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.client = httpx.AsyncClient(timeout=60)
                    await send({"type": "lifespan.startup.complete"})
                else:
                    if self.client is not None:
                        await self.client.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.client is not None
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        upstream = self.upstreams[next(self.turn) % len(self.upstreams)]
        url = (
            upstream
            + scope["raw_path"].decode()
            + ("?" + scope["query_string"].decode() if scope["query_string"] else "")
        )
        headers = [
            (k.decode(), v.decode()) for k, v in scope["headers"] if k.lower() not in (b"host", b"content-length")
        ]
        answer = await self.client.request(scope["method"], url, headers=headers, content=body)
        passed = [
            (k.encode(), v.encode())
            for k, v in answer.headers.multi_items()
            if k.lower() not in ("content-length", "transfer-encoding", "content-encoding", "connection")
        ]
        passed.append((b"content-length", str(len(answer.content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": passed})
        await send({"type": "http.response.body", "body": answer.content})


@pytest.fixture
async def rrc_portal(tmp_path) -> AsyncIterator[str]:
    """The RRC portal stand-in on a free port (its filings kept under the test's tmp folder): its base URL."""
    port = free_port()
    server, task = await _serve(create_rrc_portal(data_dir=tmp_path / "rrc-portal"), port)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def mailbox() -> AsyncIterator[MailCatcher]:
    """The SMTP sink notifications mails to (what a dev stack's mailbox shows): every message it was sent."""
    async with MailCatcher() as catcher:
        yield catcher


@pytest.fixture
async def gateway(
    service_database,
    event_stream,
    infra,
    service_databases,
    rrc_portal,
    replicas,
    gateway_tracer_provider,
    e2e_stack,
    mailbox,
):
    root = await event_stream()
    fronts = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in fronts.items()}
    jwks_url = f"{urls['identity']}/.well-known/jwks.json"
    common = {
        "nats_url": infra.nats_url,
        "event_subject_root": root,
        "jwks_url": jwks_url,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "log_level": "WARNING",
        # Each pool is opened in full at start; 20 a service exhausts a shared server's 100 connections.
        "db_pool_size": 6 if replicas == 1 else 2,
    }
    shared = {"rrc_portal_url": rrc_portal, "smtp_port": mailbox.port}
    e2e_stack.update(subject_root=root, rrc_portal_url=rrc_portal, service_urls={})
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def start(name: str, database: Any) -> None:
        create_app, settings_class, extra, _ = SERVICES[name]
        values = {**common, **extra(), **WIRING.get(name, lambda _: {})(shared)}  # one set for every replica
        if replicas > 1:
            values["db_pool_size"] = 2  # ten service instances share one server's 100 connections with other tests
        ports = [fronts[name]] if replicas == 1 else [free_port() for _ in range(replicas)]
        for port in ports:
            settings = load_settings(
                settings_class, service_name=name, database_url=database.runtime_url, http_port=port, **values
            )
            servers.append(await _serve(create_app(settings), port))
        e2e_stack["service_urls"][name] = [f"http://127.0.0.1:{port}" for port in ports]
        if replicas > 1:
            servers.append(await _serve(_RoundRobin(e2e_stack["service_urls"][name]), fronts[name]))

    try:
        for name, (_, _, _, migrations) in SERVICES.items():
            service_databases[name] = await service_database(name, migrations=migrations)
        # identity first (the others fetch its signing keys), then the rest side by side: a service's start is
        # mostly waiting on PostgreSQL and NATS
        first, *others = SERVICES
        await start(first, service_databases[first])
        results = await asyncio.gather(
            *(start(name, service_databases[name]) for name in others), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
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
        gateway_app = create_gateway(gateway_settings, tracer_provider=gateway_tracer_provider)
        servers.append(await _serve(gateway_app, gateway_port))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=30) as client:
            yield client
    finally:
        await _stop(servers)


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


# ------------------------------------------------------------------------------------------- the web console


@pytest.fixture(scope="session")
async def chromium():
    """Debian's Chromium under Playwright, one for the session (each test opens its own profiles)."""
    from console_kit import CHROMIUM_ARGS, chromium_path
    from playwright.async_api import async_playwright

    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (tools/install-chromium installs Debian's package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


class Console:
    """Opens console pages against this test's stack: ``page = await console.open(phone=True)``."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list = []

    async def open(self, *, phone: bool = False):
        from console_kit import new_page

        context, page = await new_page(self.browser, self.base_url, phone=phone)
        self.contexts.append(context)
        return page


@pytest.fixture
async def console(gateway: httpx.AsyncClient, chromium) -> AsyncIterator[Console]:
    """The web console of a whole stack started for this test (the `gateway` fixture), in Chromium."""
    opened = Console(chromium, str(gateway.base_url).rstrip("/"))
    yield opened
    for context in opened.contexts:
        await context.close()


@pytest.fixture
async def console_demo(gateway: httpx.AsyncClient):
    """The demo tenant loaded small (5 wells, 90 days of history up to yesterday) through this test's gateway:
    `wellflow_devstack.demo.Demo` (lease ids, the history loaded, the Form PR month). Sign-ins are
    `wellflow_devstack.demo.OWNER`, `PUMPER`, `ACCOUNTANT` with `PASSWORD`."""
    from wellflow_devstack.demo import load_demo

    return await load_demo(gateway, wells=5, days=90)
