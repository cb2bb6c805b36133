"""A freshly migrated identity database per test, and the identity app on it, driven in-process.

The test folders have no ``__init__.py`` (other packages' ``tests/integration`` would clash with this one
as ``integration.conftest``), so tests reach the helpers through the ``service`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import text

from wellflow_devstack.mail_catcher import MailCatcher
from wellflow_identity.bootstrap import create_app
from wellflow_identity.settings import IdentitySettings
from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.database import Database
from wellflow_servicekit.settings import load_settings

SERVICE_DIR = Path(__file__).resolve().parents[2]
BASE_URL = "http://identity.test"
ISSUER = "https://identity.wellflow.test"
AUDIENCE = "wellflow"
PASSWORD = "correct horse battery staple"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Service:
    app: Any
    client: httpx.AsyncClient
    clock: FakeClock
    settings: IdentitySettings
    owner_url: str

    password = PASSWORD

    @staticmethod
    def bearer(session: dict | str) -> dict[str, str]:
        return bearer(session)

    @property
    def identity(self):
        return self.app.state.identity

    def verifier(self) -> JwksTokenVerifier:
        """servicekit's verifier, fetching the JWKS over HTTP from this app, as every other service does."""
        return JwksTokenVerifier(
            f"{BASE_URL}/.well-known/jwks.json", ISSUER, AUDIENCE, client=self.client, min_refetch_interval=0
        )

    async def owner_query(self, sql: str, **params: Any) -> list[Any]:
        """Read as the owner role (bypasses nothing: FORCE RLS applies, so only non-tenant tables or counts)."""
        database = Database(self.owner_url, service="identity", pool_size=1)
        try:
            async with database.engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await database.dispose()

    async def sign_up(self, email: str | None = None, org: str = "Permian Basin Operating LLC", **extra: Any) -> dict:
        email = email or f"owner-{uuid4().hex[:8]}@example.com"
        body = {
            "organization": {"name": org, "rrc_operator_number": "123456", **extra},
            "user": {"email": email, "password": PASSWORD, "full_name": "Olive Owner"},
        }
        response = await self.client.post("/api/v1/auth/signup", json=body)
        assert response.status_code == 201, response.text
        return {**response.json(), "email": email}

    async def sign_in(self, email: str, password: str = PASSWORD, **extra: Any) -> httpx.Response:
        return await self.client.post("/api/v1/auth/signin", json={"email": email, "password": password, **extra})

    async def invite_and_accept(self, owner: dict, role: str, email: str | None = None, **accept: Any) -> dict:
        email = email or f"{role}-{uuid4().hex[:8]}@example.com"
        response = await self.client.post(
            "/api/v1/invitations", json={"email": email, "role": role}, headers=bearer(owner)
        )
        assert response.status_code == 201, response.text
        body = {"token": response.json()["token"], "password": PASSWORD, "full_name": "Pat Pumper", **accept}
        accepted = await self.client.post("/api/v1/invitations/accept", json=body)
        assert accepted.status_code == 200, accepted.text
        return {**accepted.json(), "email": email}


def bearer(session: dict | str) -> dict[str, str]:
    token = session if isinstance(session, str) else session["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def root(event_stream):
    return await event_stream()


@pytest.fixture
async def identity_db(service_database):
    return await service_database("identity", migrations=SERVICE_DIR)


def identity_settings(identity_db, infra, root, **overrides: Any) -> IdentitySettings:
    values: dict[str, Any] = {
        "service_name": "identity",
        "database_url": identity_db.runtime_url,
        "nats_url": infra.nats_url,
        "event_subject_root": root,
        "jwks_url": f"{BASE_URL}/.well-known/jwks.json",
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "key_encryption_key": "test-key-encryption-key-0123456789abcdef",
        "db_pool_size": 4,
        "outbox_poll_interval": 0.2,
        **overrides,
    }
    return load_settings(IdentitySettings, **values)


@pytest.fixture
async def service(identity_db, infra, root):
    clock = FakeClock()
    settings = identity_settings(identity_db, infra, root)
    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Service(app, client, clock, settings, identity_db.owner_url)


@pytest.fixture
async def mailed(service):
    """The same identity with a mail server (SMTP to a local catcher): ``(service, catcher)``; ``service`` (without
    one) shares its database and clock."""
    async with MailCatcher() as catcher:
        settings = service.settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": catcher.port,
                "smtp_security": "none",
                "mail_from": "WellFlow <no-reply@wellflow.test>",
                "console_url": "https://wellflow.test/",
            }
        )
        app = create_app(settings, clock=service.clock)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url=str(service.client.base_url)) as client,
        ):
            yield type(service)(app, client, service.clock, settings, service.owner_url), catcher
