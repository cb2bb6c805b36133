"""Tokens at the gateway: every forged or broken token is 401 and reaches no service; API keys are
exchanged once at identity and forwarded as JWTs."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from .conftest import World
from .harness import (
    ORG_A,
    ORG_B,
    b64url,
    gateway_settings,
    problem,
    running_gateway,
)

# ------------------------------------------------------------------------------------ token attacks


def _alg_none(world: World) -> str:
    header = b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": world.signer.kid}).encode())
    payload = b64url(json.dumps(world.signer.claims()).encode())
    return f"{header}.{payload}."


def _hs256_with_public_key(world: World) -> str:
    public_pem = world.signer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": world.signer.kid}).encode())
    payload = b64url(json.dumps(world.signer.claims()).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def _tampered(world: World) -> str:
    header, _payload, signature = world.token().split(".")
    forged = b64url(json.dumps(world.signer.claims(org=str(ORG_B), role="owner")).encode())
    return f"{header}.{forged}.{signature}"


ATTACKS = {
    "alg none": _alg_none,
    "HS256 signed with the public key": _hs256_with_public_key,
    "expired": lambda w: w.token(exp=int(time.time()) - 3600, iat=int(time.time()) - 4000),
    "wrong audience": lambda w: w.token(aud="someone-else"),
    "wrong issuer": lambda w: w.token(iss="https://evil.example"),
    "tampered payload": _tampered,
    "unknown kid": lambda w: jwt.encode(
        w.signer.claims(),
        ed25519.Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": "made-up", "typ": "at+jwt"},
    ),
    "signed by another key under our kid": lambda w: w.token(key=ed25519.Ed25519PrivateKey.generate()),
    "garbage": lambda w: "not-a-jwt",
}


@pytest.mark.parametrize("attack", list(ATTACKS))
async def test_token_attacks_are_401_and_never_reach_a_service(world: World, attack: str):
    before = len(world.wells_a.proxied()) + len(world.wells_b.proxied()) + len(world.identity.proxied())
    token = ATTACKS[attack](world)
    response = await world.client.get("/api/v1/wells/42", headers={"Authorization": f"Bearer {token}"})
    body = problem(response, 401)
    assert "Bearer" in response.headers["www-authenticate"]
    assert body["request_id"] == response.headers["x-request-id"]
    after = len(world.wells_a.proxied()) + len(world.wells_b.proxied()) + len(world.identity.proxied())
    assert after == before


async def test_missing_or_malformed_authorization_is_401(world: World):
    problem(await world.client.get("/api/v1/wells"), 401)
    problem(await world.client.get("/api/v1/wells", headers={"Authorization": "Basic dTpw"}), 401)
    problem(await world.client.get("/api/v1/me", headers={"Authorization": "Bearer"}), 401)


async def test_unknown_kid_refetches_jwks_at_most_once_per_interval(world: World):
    fetches = sum(1 for r in world.identity.requests if r.path_qs == "/.well-known/jwks.json")
    for _ in range(5):
        token = jwt.encode(
            world.signer.claims(), world.signer.key, algorithm="EdDSA", headers={"kid": "rotated", "typ": "at+jwt"}
        )
        problem(await world.client.get("/api/v1/wells", headers={"Authorization": f"Bearer {token}"}), 401)
    after = sum(1 for r in world.identity.requests if r.path_qs == "/.well-known/jwks.json")
    assert after - fetches <= 1


# ------------------------------------------------------------------------------------ API keys


async def test_api_key_is_exchanged_once_and_forwarded_as_a_jwt(world: World):
    world.identity.api_keys["wfk_scada_feed_1"] = {"org": str(ORG_B), "role": "pumper", "kind": "api_key"}
    exchanges = world.identity.exchanges
    headers = {"Authorization": "Bearer wfk_scada_feed_1"}
    first = await world.client.get("/api/v1/wells/7", headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["upstream"] == "wells-b"  # the key's organization lives in cell-b
    forwarded = world.wells_b.proxied()[-1].headers["authorization"]
    assert forwarded.startswith("Bearer ey")
    claims = jwt.decode(forwarded.split()[1], options={"verify_signature": False})
    assert claims["kind"] == "api_key"
    second = await world.client.get("/api/v1/wells/7", headers=headers)
    assert second.status_code == 200
    assert world.identity.exchanges == exchanges + 1
    # revoked at identity: still served from the cache for at most GATEWAY_API_KEY_CACHE_SECONDS
    del world.identity.api_keys["wfk_scada_feed_1"]
    assert (await world.client.get("/api/v1/wells/7", headers=headers)).status_code == 200


async def test_concurrent_requests_with_one_new_key_share_one_exchange(world: World):
    world.identity.api_keys["wfk_burst"] = {"org": str(ORG_A), "role": "pumper", "kind": "api_key"}
    exchanges = world.identity.exchanges
    headers = {"Authorization": "Bearer wfk_burst"}
    responses = await asyncio.gather(*(world.client.get("/api/v1/wells", headers=headers) for _ in range(10)))
    assert [r.status_code for r in responses] == [200] * 10
    assert world.identity.exchanges == exchanges + 1


async def test_unknown_api_key_is_401_and_without_cache_a_revoked_key_stops_at_once(world: World):
    before = len(world.wells_a.proxied())
    problem(await world.client.get("/api/v1/wells", headers={"Authorization": "Bearer wfk_nope"}), 401)
    assert len(world.wells_a.proxied()) == before
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url}, gateway_api_key_cache_seconds="0"
    )
    world.identity.api_keys["wfk_short"] = {"org": str(ORG_A), "role": "pumper", "kind": "api_key"}
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        headers = {"Authorization": "Bearer wfk_short"}
        assert (await client.get("/api/v1/wells", headers=headers)).status_code == 200
        del world.identity.api_keys["wfk_short"]
        problem(await client.get("/api/v1/wells", headers=headers), 401)
