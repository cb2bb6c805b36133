"""Fixtures for servicekit's unit tests: settings without the host's environment, signing keys, apps."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from wellflow_servicekit.auth import JwksTokenVerifier
from wellflow_servicekit.settings import ServiceSettings, load_settings

JWKS_URL = "http://identity.test/.well-known/jwks.json"
ISSUER = "https://identity.wellflow.test"
AUDIENCE = "wellflow"


@pytest.fixture(autouse=True)
def _no_service_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings must come from the test, not from whatever the developer's shell exports."""
    names = {name.upper() for name in ServiceSettings.model_fields} | {"BATTERY_LIMIT"}
    for name in list(os.environ):
        if name.upper() in names:
            monkeypatch.delenv(name)


def make_settings(**overrides: Any) -> ServiceSettings:
    values: dict[str, Any] = {
        "service_name": "wells",
        "database_url": "postgresql+asyncpg://wellflow_wells_app@/wellflow_wells?host=/tmp/pg",
        "nats_url": "nats://127.0.0.1:4222",
        "jwks_url": JWKS_URL,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
    }
    values.update(overrides)
    return load_settings(ServiceSettings, **values)


@pytest.fixture
def settings() -> ServiceSettings:
    return make_settings()


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Identity:
    """Stands in for the identity service: signing keys, a JWKS endpoint and token minting."""

    ed_key: ed25519.Ed25519PrivateKey = field(default_factory=ed25519.Ed25519PrivateKey.generate)
    rsa_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    published: dict[str, Any] = field(default_factory=dict)
    jwks_requests: int = 0
    jwks_status: int = 200

    def __post_init__(self) -> None:
        self.publish({"ed-1": self.ed_key, "rsa-1": self.rsa_key})

    def publish(self, keys: dict[str, Any]) -> None:
        """Replace the JWKS document with the public halves of `keys` (kid -> private key)."""
        entries = []
        for kid, private in keys.items():
            if isinstance(private, ed25519.Ed25519PrivateKey):
                jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
                jwk["alg"] = "EdDSA"
            else:
                jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
                jwk["alg"] = "RS256"
            jwk.update(kid=kid, use="sig")
            entries.append(jwk)
        self.published = {"keys": entries}

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == JWKS_URL
        self.jwks_requests += 1
        if self.jwks_status != 200:
            return httpx.Response(self.jwks_status, text="identity is down")
        return httpx.Response(200, json=self.published)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(uuid4()),
            "org": str(ORG),
            "role": "pumper",
            "iat": now,
            "exp": now + 300,
            "jti": "tok-1",
        }
        claims.update(overrides)
        return {key: value for key, value in claims.items() if value is not None}

    def token(
        self,
        *,
        kid: str = "ed-1",
        key: Any = None,
        algorithm: str | None = None,
        typ: str | None = "at+jwt",
        **claims: Any,
    ) -> str:
        private = key if key is not None else (self.rsa_key if kid.startswith("rsa") else self.ed_key)
        alg = algorithm or ("RS256" if isinstance(private, rsa.RSAPrivateKey) else "EdDSA")
        headers = {"kid": kid} if typ is None else {"kid": kid, "typ": typ}
        return jwt.encode(self.claims(**claims), private, algorithm=alg, headers=headers)

    def verifier(self, clock: Callable[[], float] | None = None, **kwargs: Any) -> JwksTokenVerifier:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        if clock is not None:
            kwargs["clock"] = clock
        return JwksTokenVerifier(JWKS_URL, ISSUER, AUDIENCE, ("EdDSA", "RS256"), client=client, **kwargs)


ORG = UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d9e")


@pytest.fixture(scope="session")
def identity_keys() -> tuple[ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey]:
    # RSA key generation takes ~100 ms: once per session is plenty.
    return ed25519.Ed25519PrivateKey.generate(), rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def identity(identity_keys: tuple[ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey]) -> Identity:
    ed_key, rsa_key = identity_keys
    return Identity(ed_key=ed_key, rsa_key=rsa_key)


@asynccontextmanager
async def running(app: FastAPI, *, lifespan: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client for `app`, with its lifespan entered (unless told not to)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wells.test") as client:
        if not lifespan:
            yield client
            return
        async with app.router.lifespan_context(app):
            yield client
