"""The composition root: builds the runtime, key store, password hasher and app from settings.

Identity verifies the tokens of its own authenticated endpoints with servicekit's ``JwksTokenVerifier``
like every service, but feeds it the JWKS straight from its key store (an in-process transport) instead
of an HTTP call to itself; ``JWKS_URL`` is therefore only a label here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
from fastapi import FastAPI
from prometheus_client import Counter

from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.http import create_app as create_service_app
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.keys import ALGORITHM, KeyCipher, SigningKeyStore
from .adapters.passwords import Argon2Passwords
from .app.context import Identity, InvitationMailer, LoggingInvitationMailer, utcnow
from .domain.lockout import LockoutPolicy
from .entrypoints.http import routers
from .settings import IdentitySettings

DESCRIPTION = "Organizations (tenants), users, memberships and roles, credentials, tokens, signing keys, API keys."


def build_key_store(
    runtime: ServiceRuntime, settings: IdentitySettings, clock: Callable[[], datetime]
) -> SigningKeyStore:
    return SigningKeyStore(
        runtime.database,
        KeyCipher(settings.key_encryption_key.get_secret_value()),
        token_ttl_seconds=settings.access_token_ttl_seconds,
        clock=clock,
        refresh_seconds=settings.signing_key_refresh_seconds,
    )


def create_app(
    settings: IdentitySettings | None = None,
    *,
    clock: Callable[[], datetime] = utcnow,
    mailer: InvitationMailer | None = None,
    lockout: LockoutPolicy | None = None,
) -> FastAPI:
    settings = settings or load_settings_or_exit(IdentitySettings)
    runtime = ServiceRuntime(settings)
    keys = build_key_store(runtime, settings, clock)
    passwords = Argon2Passwords()
    sign_ins = Counter(
        "identity_sign_ins_total",
        "Password checks (sign-in, accepting an invitation) by outcome: succeeded, failed, throttled.",
        ["outcome"],
        registry=runtime.metrics.registry,
    )
    identity = Identity(
        database=runtime.database,
        keys=keys,
        passwords=passwords,
        settings=settings,
        clock=clock,
        lockout=lockout or LockoutPolicy(),
        mailer=mailer or LoggingInvitationMailer(),
        on_sign_in=lambda outcome: sign_ins.labels(outcome=outcome).inc(),
    )

    async def serve_jwks(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=await keys.jwks())

    jwks_client = httpx.AsyncClient(transport=httpx.MockTransport(serve_jwks))
    verifier = JwksTokenVerifier(
        settings.jwks_url,
        settings.jwt_issuer,
        settings.jwt_audience,
        [ALGORITHM],
        client=jwks_client,
        min_refetch_interval=1.0,
        max_key_age=settings.signing_key_refresh_seconds,
    )

    @asynccontextmanager
    async def signing_keys() -> AsyncIterator[None]:
        await keys.start()
        try:
            yield
        finally:
            await jwks_client.aclose()
            passwords.close()

    app = create_service_app(
        settings=settings,
        title="WellFlow identity",
        version=__version__,
        description=DESCRIPTION,
        metrics=runtime.metrics,
        routers=[*routers, runtime.asyncapi_router(__version__)],
        lifespan_hooks=[runtime.lifespan, signing_keys],
        readiness_checks=runtime.readiness_checks(),
        token_verifier=verifier,
    )
    app.state.identity = identity
    app.state.runtime = runtime
    return app
