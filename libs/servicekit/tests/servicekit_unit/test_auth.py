"""Bearer tokens verified against identity's JWKS: what passes, what is refused and why."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from typing import Annotated
from uuid import UUID

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from fastapi import APIRouter, Depends, FastAPI

from wellflow_servicekit.auth import CurrentPrincipal, JwksTokenVerifier, Principal, require_role
from wellflow_servicekit.context import tenant_id_var
from wellflow_servicekit.http import create_app
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.problems import ServiceUnavailable, Unauthorized
from wellflow_servicekit.settings import ServiceSettings

from .conftest import AUDIENCE, ORG, FakeClock, Identity, running


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict, claims: dict, sign=lambda signing_input: b"") -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


async def refused(verifier: JwksTokenVerifier, token: str) -> str:
    with pytest.raises(Unauthorized) as error:
        await verifier.verify(token)
    assert error.value.status == 401
    return error.value.detail or ""


async def test_a_valid_eddsa_token_gives_its_principal(identity: Identity) -> None:
    verifier = identity.verifier()
    principal = await verifier.verify(identity.token(sub="user-17", role="manager", jti="tok-9"))
    assert principal == Principal(subject="user-17", organization_id=ORG, role="manager", kind="user", token_id="tok-9")


async def test_a_valid_rs256_token_for_an_api_key(identity: Identity) -> None:
    verifier = identity.verifier()
    principal = await verifier.verify(identity.token(kid="rsa-1", sub="key-3", kind="api_key", jti=None))
    assert (principal.subject, principal.kind, principal.token_id) == ("key-3", "api_key", None)


async def test_an_expired_token_is_refused(identity: Identity) -> None:
    now = int(time.time())
    detail = await refused(identity.verifier(), identity.token(iat=now - 3600, exp=now - 600))
    assert detail == "The access token has expired."


async def test_a_token_for_another_audience_or_issuer_is_refused(identity: Identity) -> None:
    verifier = identity.verifier()
    assert "wrong audience" in await refused(verifier, identity.token(aud="wellflow-admin"))
    assert "expected issuer" in await refused(verifier, identity.token(iss="https://evil.example"))


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "org", "role", "aud", "iss"])
async def test_a_token_lacking_a_required_claim_is_refused(identity: Identity, claim: str) -> None:
    detail = await refused(identity.verifier(), identity.token(**{claim: None}))
    assert claim in detail


async def test_an_org_that_is_not_a_uuid_is_refused(identity: Identity) -> None:
    assert "'org'" in await refused(identity.verifier(), identity.token(org="acme-oil"))


async def test_an_unsigned_alg_none_token_is_refused(identity: Identity) -> None:
    token = forge({"alg": "none", "kid": "ed-1", "typ": "JWT"}, identity.claims(role="owner"))
    detail = await refused(identity.verifier(), token)
    assert "not accepted" in detail
    assert identity.jwks_requests == 0, "refused before any key lookup"


async def test_hs256_signed_with_the_public_key_as_secret_is_refused(identity: Identity) -> None:
    public_pem = identity.rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = forge(
        {"alg": "HS256", "kid": "rsa-1", "typ": "JWT"},
        identity.claims(role="owner"),
        sign=lambda signing_input: hmac.new(public_pem, signing_input, hashlib.sha256).digest(),
    )
    assert "HS256 are not accepted" in await refused(identity.verifier(), token)


async def test_a_token_whose_alg_does_not_match_its_key_is_refused(identity: Identity) -> None:
    # RS256 claimed, but the kid names the Ed25519 key.
    token = identity.token(kid="ed-1", key=identity.rsa_key, algorithm="RS256")
    assert "does not match" in await refused(identity.verifier(), token)


async def test_a_tampered_payload_fails_the_signature_check(identity: Identity) -> None:
    header, _payload, signature = identity.token(role="pumper").split(".")
    escalated = b64(json.dumps(identity.claims(role="owner")).encode())
    detail = await refused(identity.verifier(), f"{header}.{escalated}.{signature}")
    assert detail == "The access token's signature is invalid."


async def test_a_token_signed_by_a_stranger_with_a_known_kid_is_refused(identity: Identity) -> None:
    stranger = ed25519.Ed25519PrivateKey.generate()
    assert "signature is invalid" in await refused(identity.verifier(), identity.token(kid="ed-1", key=stranger))


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "x" * 9000])
async def test_garbage_is_malformed(identity: Identity, token: str) -> None:
    assert await refused(identity.verifier(), token) == "The access token is malformed."


async def test_a_token_without_kid_is_refused(identity: Identity) -> None:
    token = jwt.encode(identity.claims(), identity.ed_key, algorithm="EdDSA", headers={"typ": "at+jwt"})
    assert "kid" in await refused(identity.verifier(), token)


async def test_keys_are_cached_between_tokens(identity: Identity) -> None:
    verifier = identity.verifier()
    for _ in range(5):
        await verifier.verify(identity.token())
        await verifier.verify(identity.token(kid="rsa-1"))
    assert identity.jwks_requests == 1


async def test_an_unknown_kid_refetches_once_and_succeeds_after_key_rotation(identity: Identity) -> None:
    clock = FakeClock()
    verifier = identity.verifier(clock=clock)
    await verifier.verify(identity.token(kid="ed-1"))
    assert identity.jwks_requests == 1

    rotated = ed25519.Ed25519PrivateKey.generate()
    identity.publish({"ed-2": rotated})
    clock.advance(45)
    principal = await verifier.verify(identity.token(kid="ed-2", key=rotated))
    assert principal.organization_id == ORG
    assert identity.jwks_requests == 2
    # The retired key is gone with the refetch.
    assert "unknown key" in await refused(verifier, identity.token(kid="ed-1"))
    assert identity.jwks_requests == 2


async def test_made_up_kids_cannot_turn_the_service_into_an_amplifier(identity: Identity) -> None:
    clock = FakeClock()
    verifier = identity.verifier(clock=clock)
    await verifier.verify(identity.token())
    clock.advance(31)
    tokens = [identity.token(kid=f"made-up-{n}") for n in range(50)]
    results = await asyncio.gather(*(verifier.verify(t) for t in tokens), return_exceptions=True)
    assert all(isinstance(r, Unauthorized) and "unknown key" in (r.detail or "") for r in results)
    assert identity.jwks_requests == 2, "one refetch for the whole burst"
    clock.advance(10)
    await refused(verifier, identity.token(kid="made-up-again"))
    assert identity.jwks_requests == 2, "still inside the refetch interval"
    clock.advance(30)
    await refused(verifier, identity.token(kid="made-up-later"))
    assert identity.jwks_requests == 3


async def test_keys_older_than_max_age_are_refreshed_and_kept_if_identity_is_down(identity: Identity) -> None:
    clock = FakeClock()
    verifier = identity.verifier(clock=clock, max_key_age=600)
    await verifier.verify(identity.token())
    clock.advance(601)
    identity.jwks_status = 503
    await verifier.verify(identity.token())  # stale keys still verify while identity is unreachable
    assert identity.jwks_requests == 2


async def test_no_keys_at_all_is_503_not_401(identity: Identity) -> None:
    identity.jwks_status = 500
    verifier = identity.verifier()
    with pytest.raises(ServiceUnavailable) as error:
        await verifier.verify(identity.token())
    assert error.value.status == 503
    assert error.value.headers["Retry-After"] == "30"


async def test_symmetric_keys_in_the_jwks_are_ignored(identity: Identity) -> None:
    identity.published["keys"].append({"kty": "oct", "kid": "shared", "k": b64(b"secret"), "alg": "HS256"})
    verifier = identity.verifier()
    await verifier.verify(identity.token())
    assert "shared" not in verifier._keys


def test_a_verifier_cannot_be_built_to_accept_shared_secrets() -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        JwksTokenVerifier("http://x/jwks", "iss", AUDIENCE, ("EdDSA", "HS256"))


# --- as a FastAPI dependency -----------------------------------------------------------------------

router = APIRouter(prefix="/api/v1")


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict[str, str | None]:
    tenant = tenant_id_var.get()
    return {"subject": principal.subject, "tenant": str(tenant) if tenant else None}


@router.post("/wells", dependencies=[Depends(require_role("owner", "manager"))])
async def create_well() -> dict[str, str]:
    return {"created": "yes"}


@router.get("/statements")
async def statements(principal: Annotated[Principal, Depends(require_role("accountant"))]) -> dict[str, str]:
    return {"role": principal.role}


@pytest.fixture
def app(settings: ServiceSettings, identity: Identity) -> FastAPI:
    return create_app(
        settings=settings,
        title="wells",
        version="1",
        metrics=Metrics(),
        routers=[router],
        token_verifier=identity.verifier(),
    )


async def test_the_tenant_is_the_verified_tokens_org(app: FastAPI, identity: Identity) -> None:
    async with running(app) as client:
        response = await client.get(
            "/api/v1/me",
            headers={
                "Authorization": f"Bearer {identity.token(sub='u-1')}",
                "X-Organization-Id": str(UUID(int=1)),
            },
        )
    assert response.status_code == 200
    assert response.json() == {"subject": "u-1", "tenant": str(ORG)}
    assert tenant_id_var.get() is None, "the tenant does not outlive the request"


async def test_no_token_is_401_with_a_bare_bearer_challenge(app: FastAPI) -> None:
    async with running(app) as client:
        response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="wellflow"'
    assert response.json()["type"] == "https://wellflow.dev/problems/unauthorized"


async def test_a_wrong_scheme_is_an_invalid_request(app: FastAPI) -> None:
    async with running(app) as client:
        response = await client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert 'error="invalid_request"' in response.headers["www-authenticate"]


async def test_an_expired_token_gets_an_invalid_token_challenge(app: FastAPI, identity: Identity) -> None:
    now = int(time.time())
    token = identity.token(iat=now - 900, exp=now - 300)
    async with running(app) as client:
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "The access token has expired."
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_a_role_outside_the_allowed_ones_is_403(app: FastAPI, identity: Identity) -> None:
    async with running(app) as client:
        pumper = await client.post("/api/v1/wells", headers={"Authorization": f"Bearer {identity.token()}"})
        manager = await client.post(
            "/api/v1/wells", headers={"Authorization": f"Bearer {identity.token(role='manager')}"}
        )
        accountant = await client.get(
            "/api/v1/statements", headers={"Authorization": f"Bearer {identity.token(role='accountant')}"}
        )
    assert pumper.status_code == 403
    body = pumper.json()
    assert body["type"] == "https://wellflow.dev/problems/forbidden"
    assert body["required_roles"] == ["manager", "owner"]
    assert "pumper" in body["detail"]
    assert manager.status_code == 200
    assert accountant.json() == {"role": "accountant"}


async def test_auth_never_switches_itself_off(app: FastAPI, identity: Identity) -> None:
    app.state.token_verifier = None
    async with running(app) as client:
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {identity.token()}"})
    assert response.status_code == 500


async def test_openapi_declares_the_bearer_scheme(app: FastAPI) -> None:
    async with running(app) as client:
        document = (await client.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [{"HTTPBearer": []}]


def test_require_role_needs_a_role() -> None:
    with pytest.raises(ValueError):
        require_role()
