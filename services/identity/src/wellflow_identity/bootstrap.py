"""The composition root: builds the runtime, key store, password hasher and app from settings.

Identity verifies the tokens of its own authenticated endpoints with servicekit's ``JwksTokenVerifier``
(behind the ``CachingTokenVerifier``) like every service, but feeds it the JWKS straight from its key store
(an in-process transport) instead of an HTTP call to itself; ``JWKS_URL`` is therefore only a label here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from prometheus_client import Counter

from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.database import Database
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.permissions import allowed
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit
from wellflow_servicekit.token_cache import CachingTokenVerifier

from . import __version__
from .adapters.invitation_seal import AesGcmSealer, seal_key
from .adapters.keys import ALGORITHM, KeyCipher, SigningKeyStore
from .adapters.passwords import Argon2Passwords
from .adapters.smtp import SmtpMailer
from .adapters.unit_of_work import SqlIdentityWork
from .app.context import Identity
from .app.mail import LoggingMailer, Mailer
from .domain.lockout import SignInLimits
from .entrypoints import http_access
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import IdentitySettings

DESCRIPTION = "Organizations (tenants), users, memberships and roles, credentials, tokens, signing keys, API keys."


def create_app(
    settings: IdentitySettings | None = None,
    *,
    clock: Clock = utcnow,
    mailer: Mailer | None = None,
    limits: SignInLimits | None = None,
) -> FastAPI:
    settings = settings or load_settings_or_exit(IdentitySettings)
    runtime = ServiceRuntime(settings, work_type=SqlIdentityWork)
    keys = key_store(settings, runtime.database, clock)
    passwords = Argon2Passwords(threads=settings.password_hash_threads, queue=settings.password_hash_queue)
    sign_ins = Counter(
        "identity_sign_ins_total",
        "Password checks (sign-in, accepting an invitation) by outcome: succeeded, failed, throttled.",
        ["outcome"],
        registry=runtime.metrics.registry,
    )
    identity = Identity(
        database=runtime.database,  # type: ignore[arg-type]  # its units of work are SqlIdentityWork
        keys=keys,
        passwords=passwords,
        settings=settings,
        clock=clock,
        limits=limits or SignInLimits(),
        permits=allowed,
        mailer=mailer or mailer_from(settings),
        sealer=sealer_from(settings),
        on_sign_in=lambda outcome: sign_ins.labels(outcome=outcome).inc(),
    )
    jwks_client = httpx.AsyncClient(transport=httpx.MockTransport(_serve_jwks(keys)))

    @asynccontextmanager
    async def clients() -> AsyncIterator[None]:
        try:
            yield
        finally:
            await jwks_client.aclose()
            passwords.close()

    return runtime.create_app(
        title="WellFlow identity",
        version=__version__,
        description=DESCRIPTION,
        routers=[*routers, *http_access.routers],
        consumers=register_consumers,
        # the keys are loaded (the first one made) once the database is up
        background=[clients, keys, PeriodicTask("sign-in-limits-purge", identity.forget_old_failures, 300)],
        state={"identity": identity},
        token_verifier=_token_verifier(settings, jwks_client),
    )


def sealer_from(settings: IdentitySettings) -> AesGcmSealer | None:
    """Invitations through the notifications service when INVITATION_SEAL_KEY is set (docs/notifications.md)."""
    if settings.invitation_seal_key is None or not settings.invitation_seal_key.get_secret_value():
        return None  # unset, or set empty (Compose passes an unset variable as "")
    return AesGcmSealer(seal_key(settings.invitation_seal_key.get_secret_value()))


def mailer_from(settings: IdentitySettings) -> Mailer:
    """The mail server SMTP_HOST names, or none: then nothing is mailed and owners pass links on."""
    if not settings.smtp_host or not settings.mail_from:
        return LoggingMailer()
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        sender=settings.mail_from,
        security=settings.smtp_security,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        timeout=settings.smtp_timeout_seconds,
    )


def key_store(settings: IdentitySettings, database: Database, clock: Clock = utcnow) -> SigningKeyStore:
    """The signing keys on ``database`` (made with ``work_type=SqlIdentityWork``)."""
    return SigningKeyStore(
        database,
        KeyCipher(settings.key_encryption_key.get_secret_value()),
        token_ttl_seconds=settings.access_token_ttl_seconds,
        clock=clock,
        refresh_seconds=settings.signing_key_refresh_seconds,
    )


def _token_verifier(settings: IdentitySettings, jwks_client: httpx.AsyncClient) -> CachingTokenVerifier:
    """Its own keys through the in-process JWKS, behind the token cache every service has (a token verified in
    the last TOKEN_CACHE_SECONDS is not verified again: an EdDSA check per request was an eighth of /me)."""
    verifier = JwksTokenVerifier(
        settings.jwks_url,
        settings.jwt_issuer,
        settings.jwt_audience,
        [ALGORITHM],
        client=jwks_client,
        min_refetch_interval=1.0,
        max_key_age=settings.signing_key_refresh_seconds,
        max_stale=settings.jwks_max_stale_seconds,
    )
    return CachingTokenVerifier(verifier, ttl=settings.token_cache_seconds)


def _serve_jwks(keys: SigningKeyStore):  # type: ignore[no-untyped-def]
    """The JWKS endpoint as an in-process transport, for the app's own token verifier."""

    async def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=await keys.jwks())

    return serve
