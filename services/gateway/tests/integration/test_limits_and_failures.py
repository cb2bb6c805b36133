"""What the gateway answers itself: bodies over the limit, upstream timeouts, refusals and broken answers,
JWKS trouble, and rate limits."""

from __future__ import annotations

import time

import httpx

from .conftest import World
from .harness import (
    gateway_settings,
    problem,
    refused_url,
    running_gateway,
)

# ------------------------------------------------------------------------------------ limits and failures


async def test_body_over_the_limit_is_413_and_never_reaches_the_service(world: World):
    before = len(world.wells_a.proxied())
    response = await world.client.post("/api/v1/wells", headers=world.auth(), content=b"x" * 150_000)
    body = problem(response, 413)
    assert body["max_bytes"] == 100_000
    assert len(world.wells_a.proxied()) == before

    async def chunks():
        for _ in range(20):
            yield b"y" * 10_000

    streamed = await world.client.post("/api/v1/wells", headers=world.auth(), content=chunks())
    problem(streamed, 413)
    assert len(world.wells_a.proxied()) == before


async def test_upstream_timeout_is_504(world: World):
    started = time.monotonic()
    problem(await world.client.get("/api/v1/wells/slow", headers=world.auth()), 504)
    assert time.monotonic() - started < 1.4


async def test_upstream_down_is_503_and_undeployed_service_is_503(world: World):
    down = problem(await world.client.get("/api/v1/readings", headers=world.auth()), 503)
    assert "production" in down["detail"]
    assert down["retry_after"] >= 1
    missing = problem(await world.client.get("/api/v1/form-pr", headers=world.auth()), 503)
    assert "compliance" in missing["detail"]
    assert missing["retry_after"] >= 1


async def test_upstream_dropping_the_connection_is_502(world: World):
    body = problem(await world.client.get("/api/v1/wells/broken", headers=world.auth()), 502)
    assert "wells" in body["detail"]


async def test_jwks_unreachable_is_503_not_401(world: World):
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url},
        jwks_url=refused_url() + "/.well-known/jwks.json",
    )
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        before = len(world.wells_a.proxied())
        problem(await client.get("/api/v1/wells", headers=world.auth()), 503)
        assert len(world.wells_a.proxied()) == before


async def test_rate_limits_answer_429_with_retry_after(world: World):
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url},
        gateway_rate_limit_principal_per_second="0.5",
        gateway_rate_limit_principal_burst="3",
        gateway_rate_limit_ip_per_second="0.5",
        gateway_rate_limit_ip_burst="2",
    )
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        alice, bob = world.auth(sub="alice"), world.auth(sub="bob")
        statuses = [(await client.get("/api/v1/wells", headers=alice)).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = await client.get("/api/v1/wells", headers=alice)
        body = problem(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1
        assert body["retry_after"] == int(limited.headers["retry-after"])
        # another principal has its own bucket
        assert (await client.get("/api/v1/wells", headers=bob)).status_code == 200
        # unauthenticated routes are limited per client IP
        public = [(await client.post("/api/v1/auth/signin", json={})).status_code for _ in range(3)]
        assert public == [200, 200, 429]


async def test_repeated_invalid_tokens_are_limited_per_ip(world: World):
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url},
        gateway_rate_limit_ip_per_second="0.5",
        gateway_rate_limit_ip_burst="2",
    )
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        bad = {"Authorization": "Bearer not-a-token"}
        statuses = [(await client.get("/api/v1/wells", headers=bad)).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]


async def test_bad_tokens_never_lock_out_valid_clients_of_the_same_address(world: World):
    """Issue 19: ten bad tokens a second from behind the same ingress used to lock every user out. The token is
    verified first; only failures are charged; an expired but genuine token is not a failure; the refresh path
    has its own bucket."""
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url},
        gateway_rate_limit_ip_per_second="0.5",
        gateway_rate_limit_ip_burst="2",
    )
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        bad = {"Authorization": "Bearer not-a-token"}
        forged = {"Authorization": f"Bearer {world.token(kid='someone-elses-key')}"}
        statuses = [(await client.get("/api/v1/wells", headers=h)).status_code for h in (bad, forged, bad, forged)]
        assert statuses == [401, 401, 429, 429]  # the address's failure bucket is empty
        # a valid token from the same address still passes, and so does every other user's
        for sub in ("alice", "bob", "carol"):
            assert (await client.get("/api/v1/wells", headers=world.auth(sub=sub))).status_code == 200
        # a genuine token that expired is answered 401 (refresh me), not 429, and is not charged
        expired = world.auth(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
        assert [(await client.get("/api/v1/wells", headers=expired)).status_code for _ in range(3)] == [401] * 3
        # sign-in floods from the address use up its public bucket, but never the refresh path's
        public = [(await client.post("/api/v1/auth/signin", json={})).status_code for _ in range(3)]
        assert public == [200, 200, 429]
        assert (await client.post("/api/v1/auth/refresh", json={})).status_code == 200
        # the failing client stays limited
        assert (await client.get("/api/v1/wells", headers=bad)).status_code == 429
