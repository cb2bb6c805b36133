"""Real PostgreSQL and NATS for every test suite in the repository (loaded by the root pyproject's
``addopts = -p wellflow_devstack.pytest_plugin``).

Fixtures:

``infra`` (session)
    ``Infra(admin_url, nats_url, subject_root)``. Servers come from, in this order: the environment
    (``WELLFLOW_TEST_DATABASE_URL`` / ``WELLFLOW_TEST_NATS_URL``, else ``WELLFLOW_DATABASE_URL`` /
    ``WELLFLOW_NATS_URL``); testcontainers (postgres:16, nats:2 with JetStream) when a Docker engine
    answers; else embedded servers in a fresh temporary folder, stopped at the end of the session.
    ``subject_root`` is a random ``wft<8 hex>`` per session, so runs can share one NATS server.
``nats_server`` (session)
    The NATS server as a handle: ``url``, ``restartable``, ``stop()``, ``start()``. Only an embedded
    server can be stopped; call ``nats_server.require_restartable()`` first to skip otherwise. A test
    that leaves it stopped gets it restarted after it.
``service_database`` (function)
    ``await service_database("wells")`` provisions ``wellflow_wells_<random>`` with its owner and runtime
    roles and returns a ``ServiceDatabase``; a borrowed server's are dropped at the end of the session. With
    ``migrations=`` it is a copy of the service's database migrated once this session (``migrated_templates``).

``token_mint`` (function)
    A ``wellflow_devstack.tokens.TokenMint``: signs access tokens like identity's and gives a verifier for
    ``create_app(..., token_verifier=token_mint.verifier())``.

Nothing here starts a server until a test asks for one, and the module imports only pytest.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from wellflow_servicekit.provisioning import ServiceDatabase

    from .servers import EmbeddedNats, EmbeddedPostgres


@dataclass(frozen=True)
class Infra:
    admin_url: str
    nats_url: str
    subject_root: str


class NatsHandle:
    """The session's NATS server. ``restartable`` is False when it comes from the environment or a
    container: tests that stop the server must skip then (``require_restartable()``)."""

    def __init__(self, url: str, server: EmbeddedNats | None, origin: str) -> None:
        self.url = url
        self.origin = origin
        self._server = server
        self.stopped_by_test = False

    @property
    def restartable(self) -> bool:
        return self._server is not None

    def require_restartable(self) -> None:
        if not self.restartable:
            pytest.skip(f"needs to stop and restart NATS, but NATS comes from {self.origin}")

    def stop(self) -> None:
        server = self._require()
        self.stopped_by_test = True
        server.stop()

    def start(self) -> None:
        server = self._require()
        server.start()
        self.stopped_by_test = False

    def _require(self) -> EmbeddedNats:
        if self._server is None:
            raise RuntimeError(f"NATS comes from {self.origin} and cannot be stopped or started by tests")
        return self._server


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _docker_engine_answers() -> bool:
    """Quick: no socket and no DOCKER_HOST means no engine, without even importing docker."""
    if os.environ.get("WELLFLOW_TEST_DOCKER") == "0":
        return False
    if not os.environ.get("DOCKER_HOST") and not os.path.exists("/var/run/docker.sock"):
        return False
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def run_coroutine_in_thread(coroutine: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
    """Run a coroutine to completion on a fresh event loop in another thread, so sync fixture code
    never touches (or closes) the event loop pytest-asyncio runs tests on."""
    import asyncio

    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target, name="wellflow-fixture", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"fixture work did not finish within {timeout} s")
    if "error" in result:
        raise result["error"]
    return result.get("value")


class _Servers:
    """What the session runs or borrows; stops what it started."""

    def __init__(self) -> None:
        self.workdir: Path | None = None
        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self.containers: list[Any] = []
        self.admin_url = ""
        self.nats_handle: NatsHandle | None = None
        self._docker: bool | None = None

    def docker(self) -> bool:
        if self._docker is None:
            self._docker = _docker_engine_answers()
        return self._docker

    def _workdir(self) -> Path:
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="wellflow-test-"))
        return self.workdir

    def start(self) -> None:
        atexit.register(self.stop)  # a session cut short still stops the servers
        self.admin_url = self._postgres()
        self.nats_handle = self._nats()

    def _postgres(self) -> str:
        url = _env("WELLFLOW_TEST_DATABASE_URL", "WELLFLOW_DATABASE_URL")
        if url:
            return url
        if self.docker():
            from testcontainers.community.postgres import PostgresContainer

            container = PostgresContainer(
                "postgres:16",
                username="postgres",
                password="postgres",  # noqa: S106 - a throwaway test container
                dbname="postgres",
                driver=None,
            )
            container.start()
            self.containers.append(container)
            return str(container.get_connection_url())
        from .servers import EmbeddedPostgres, ServerError, free_port

        for attempt in range(3):
            # password authentication, as the dev stack runs it; the URL carries the session's password
            self.postgres = EmbeddedPostgres(
                self._workdir() / "pg", free_port(), durable=False, password="t" + secrets.token_hex(16)
            )
            try:
                self.postgres.start()
                return self.postgres.admin_url
            except ServerError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _nats(self) -> NatsHandle:
        url = _env("WELLFLOW_TEST_NATS_URL", "WELLFLOW_NATS_URL")
        if url:
            return NatsHandle(url, None, "the environment (WELLFLOW_TEST_NATS_URL / WELLFLOW_NATS_URL)")
        if self.docker():
            from testcontainers.community.nats import NatsContainer

            container = NatsContainer("nats:2", jetstream=True)
            container.start()
            self.containers.append(container)
            return NatsHandle(container.nats_uri(), None, "a testcontainers container")
        from .servers import EmbeddedNats, ServerError, free_port

        for attempt in range(3):
            self.nats = EmbeddedNats(self._workdir() / "nats", free_port())
            try:
                self.nats.start()
                return NatsHandle(self.nats.url, self.nats, "an embedded server")
            except ServerError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        errors: list[BaseException] = []
        for stop in [
            *(c.stop for c in self.containers),
            *([self.nats.stop] if self.nats else []),
            *([self.postgres.stop] if self.postgres else []),
        ]:
            try:
                stop()
            except Exception as exc:
                errors.append(exc)
        self.containers, self.nats, self.postgres = [], None, None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
        atexit.unregister(self.stop)
        if errors:
            raise errors[0]


_servers: _Servers | None = None


@pytest.fixture(scope="session")
def _wellflow_servers() -> Any:
    global _servers
    servers = _Servers()
    _servers = servers
    try:
        servers.start()
        yield servers
    finally:
        _servers = None
        servers.stop()


@pytest.fixture(scope="session")
def infra(_wellflow_servers: _Servers) -> Infra:
    assert _wellflow_servers.nats_handle is not None
    return Infra(
        admin_url=_wellflow_servers.admin_url,
        nats_url=_wellflow_servers.nats_handle.url,
        subject_root=f"wft{secrets.token_hex(4)}",
    )


@pytest.fixture(scope="session")
def nats_server(_wellflow_servers: _Servers) -> NatsHandle:
    assert _wellflow_servers.nats_handle is not None
    return _wellflow_servers.nats_handle


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Restart NATS after a test that stopped it and did not start it again."""
    handle = _servers.nats_handle if _servers is not None else None
    if handle is not None and handle.restartable and handle.stopped_by_test:
        handle.start()


@pytest.fixture(scope="session")
def _wellflow_service_databases(infra: Infra, _wellflow_servers: _Servers) -> Any:
    created: list[tuple[str, str]] = []
    yield created
    if not created or _wellflow_servers.postgres is not None or _wellflow_servers.containers:
        # a server the session started is thrown away whole with everything in it; dropping its databases one
        # by one first took close to a minute of a full run
        return
    from wellflow_servicekit.provisioning import drop_service_database

    async def drop_all() -> None:
        # newest first: a template's roles can be dropped only once the databases copied from it are gone
        for service, suffix in reversed(created):
            await drop_service_database(infra.admin_url, service, database_suffix=suffix)

    run_coroutine_in_thread(drop_all())


@pytest.fixture
def service_database(
    infra: Infra, _wellflow_service_databases: list[tuple[str, str]]
) -> Callable[[str], Awaitable[ServiceDatabase]]:
    """``db = await service_database("wells")``: a fresh, uniquely named, provisioned database.

    ``await service_database("wells", migrations=service_dir)`` also runs the service's alembic migrations
    (the folder holding its ``alembic.ini``) as the owner role.
    """

    async def provision(service: str, *, migrations: Path | None = None) -> ServiceDatabase:
        from wellflow_devstack.migrated_templates import MigratedTemplates, upgrade
        from wellflow_servicekit.provisioning import provision_service_database

        global _wellflow_templates
        if _wellflow_templates is None or _wellflow_templates.admin_url != infra.admin_url:
            _wellflow_templates = MigratedTemplates(
                infra.admin_url, lambda name, suffix: _wellflow_service_databases.append((name, suffix))
            )
        template = await _wellflow_templates.suffix(service, migrations) if migrations is not None else None
        suffix = f"_t{secrets.token_hex(4)}"
        _wellflow_service_databases.append((service, suffix))
        database = await provision_service_database(
            infra.admin_url,
            service,
            owner_password=secrets.token_urlsafe(18),
            runtime_password=secrets.token_urlsafe(18),
            database_suffix=suffix,
            template_suffix=template,
        )
        if migrations is not None and template is None:
            await upgrade(migrations, database.owner_url)
        return database

    return provision


# the session's migrated template databases (wellflow_devstack.migrated_templates), made on first use
_wellflow_templates: Any = None


@pytest.fixture
async def event_stream(infra: Infra) -> Any:
    """``root = await event_stream()``: a subject root of its own with its JetStream streams created; they are
    deleted, with every durable consumer on them, when the test ends (``event_streams``)."""
    from wellflow_servicekit.broker import ensure_stream

    roots: list[str] = []

    async def create() -> str:
        root = f"{infra.subject_root}s{secrets.token_hex(3)}"
        await ensure_stream(infra.nats_url, root)
        roots.append(root)
        return root

    yield create
    if roots:
        from .event_streams import delete_streams

        await delete_streams(infra.nats_url, roots)


@pytest.fixture
async def root(event_stream: Callable[[], Awaitable[str]]) -> str:
    """A subject root of the test's own, with its stream (services and tests publish under it)."""
    return await event_stream()


def service_settings(settings_type: type[Any], service: str, db: Any, infra: Infra, root: str, **overrides: Any) -> Any:
    """``service``'s settings on the test run's database (a ``service_database`` answer), NATS and subject root,
    verifying tokens minted by ``token_mint``; ``overrides`` win (a service's tests add their own)."""
    from wellflow_servicekit.settings import load_settings

    from .tokens import AUDIENCE, ISSUER, JWKS_URL

    values: dict[str, Any] = {
        "service_name": service,
        "database_url": db.runtime_url,
        "nats_url": infra.nats_url,
        "event_subject_root": root,
        "jwks_url": JWKS_URL,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "db_pool_size": 4,
        "outbox_poll_interval": 0.2,
        **overrides,
    }
    return load_settings(settings_type, **values)


@pytest.fixture
def token_mint():
    from .tokens import TokenMint

    return TokenMint()
