"""The gateway over real sockets: token attacks, forwarding, cells, limits, timeouts, API keys, OpenAPI."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from .conftest import World
from .harness import (
    ORG_A,
    ORG_B,
    FakeService,
    Signer,
    b64url,
    gateway_settings,
    refused_url,
    running_gateway,
)

TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://wellflow.dev/problems/")
    return body


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
        w.signer.claims(), ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "made-up"}
    ),
    "signed by another key under our kid": lambda w: w.token(key=ed25519.Ed25519PrivateKey.generate()),
    "garbage": lambda w: "not-a-jwt",
}


@pytest.mark.parametrize("attack", list(ATTACKS))
async def test_token_attacks_are_401_and_never_reach_a_service(world: World, attack: str):
    before = len(world.wells_a.proxied()) + len(world.wells_b.proxied()) + len(world.identity.proxied())
    token = ATTACKS[attack](world)
    response = await world.client.get("/api/v1/wells/42", headers={"Authorization": f"Bearer {token}"})
    body = _problem(response, 401)
    assert "Bearer" in response.headers["www-authenticate"]
    assert body["request_id"] == response.headers["x-request-id"]
    after = len(world.wells_a.proxied()) + len(world.wells_b.proxied()) + len(world.identity.proxied())
    assert after == before


async def test_missing_or_malformed_authorization_is_401(world: World):
    _problem(await world.client.get("/api/v1/wells"), 401)
    _problem(await world.client.get("/api/v1/wells", headers={"Authorization": "Basic dTpw"}), 401)
    _problem(await world.client.get("/api/v1/me", headers={"Authorization": "Bearer"}), 401)


async def test_unknown_kid_refetches_jwks_at_most_once_per_interval(world: World):
    fetches = sum(1 for r in world.identity.requests if r.path_qs == "/.well-known/jwks.json")
    for _ in range(5):
        token = jwt.encode(world.signer.claims(), world.signer.key, algorithm="EdDSA", headers={"kid": "rotated"})
        _problem(await world.client.get("/api/v1/wells", headers={"Authorization": f"Bearer {token}"}), 401)
    after = sum(1 for r in world.identity.requests if r.path_qs == "/.well-known/jwks.json")
    assert after - fetches <= 1


# ------------------------------------------------------------------------------------ forwarding


async def test_valid_token_is_forwarded_with_authorization_request_id_and_traceparent(world: World):
    token = world.token()
    response = await world.client.get(
        "/api/v1/wells/42?status=active&x=%2F", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["upstream"] == "wells-a"
    seen = world.wells_a.proxied()[-1]
    assert seen.path_qs == "/api/v1/wells/42?status=active&x=%2F"
    assert seen.headers["authorization"] == f"Bearer {token}"
    assert seen.headers["x-request-id"] == response.headers["x-request-id"]
    assert TRACEPARENT.match(seen.headers["traceparent"])
    assert seen.headers["x-forwarded-for"] == "127.0.0.1"
    assert seen.headers["x-forwarded-proto"] == "http"
    assert response.headers["x-upstream"] == "wells-a"
    # hop-by-hop headers of the upstream's answer are not passed back
    assert "keep-alive" not in response.headers


async def test_incoming_request_id_and_trace_are_continued(world: World):
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = await world.client.get(
        "/api/v1/wells",
        headers={**world.auth(), "X-Request-ID": "client-req-1", "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"},
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "client-req-1"
    seen = world.wells_a.proxied()[-1]
    assert seen.headers["x-request-id"] == "client-req-1"
    version, forwarded_trace, parent, flags = seen.headers["traceparent"].split("-")
    assert (version, forwarded_trace, flags) == ("00", trace_id, "01")
    assert parent != "00f067aa0ba902b7"


async def test_with_a_tracer_the_gateway_span_is_the_services_parent(world: World):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    settings = gateway_settings({"identity": world.identity.url, "wells": world.wells_a.url})
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    async with running_gateway(settings, tracer_provider=provider) as url, httpx.AsyncClient(base_url=url) as client:
        headers = {
            **world.auth(),
            "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01",
            "tracestate": "vendor=1",
        }
        assert (await client.get("/api/v1/wells/9", headers=headers)).status_code == 200
    (span,) = exporter.get_finished_spans()
    context = span.get_span_context()
    assert format(context.trace_id, "032x") == trace_id
    assert format(span.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert span.attributes["wellflow.service"] == "wells"
    forwarded = world.wells_a.proxied()[-1].headers
    assert forwarded["traceparent"] == f"00-{trace_id}-{format(context.span_id, '016x')}-01"
    assert forwarded["tracestate"] == "vendor=1"


async def test_hop_by_hop_and_spoofed_headers_are_not_forwarded(world: World):
    headers = {
        **world.auth(),
        "Connection": "keep-alive, X-Hop-Secret",
        "X-Hop-Secret": "drop me",
        "Proxy-Authorization": "Basic c2VjcmV0",
        "X-Forwarded-For": "10.9.9.9",
        "X-Custom": "kept",
    }
    response = await world.client.get("/api/v1/wells", headers=headers)
    assert response.status_code == 200
    seen = world.wells_a.proxied()[-1].headers
    assert "x-hop-secret" not in seen
    assert "proxy-authorization" not in seen
    assert seen["x-custom"] == "kept"
    # the client's own X-Forwarded-For is kept as the client's claim, with the real peer appended
    assert seen["x-forwarded-for"] == "10.9.9.9, 127.0.0.1"


async def test_request_and_response_bodies_are_streamed(world: World):
    payload = bytes(range(256)) * 300  # 76,800 bytes: above the buffering threshold, below the limit

    async def chunks():
        for start in range(0, len(payload), 10_000):
            yield payload[start : start + 10_000]

    response = await world.client.post("/api/v1/wells/import", headers=world.auth(), content=chunks())
    assert response.status_code == 200, response.text
    assert world.wells_a.proxied()[-1].body == payload
    small = await world.client.post("/api/v1/wells", headers=world.auth(), json={"name": "Smith #1"})
    assert small.status_code == 200
    assert json.loads(world.wells_a.proxied()[-1].body) == {"name": "Smith #1"}

    async with world.client.stream("GET", "/api/v1/wells/stream", headers=world.auth()) as streamed:
        assert streamed.status_code == 200
        received = [chunk async for chunk in streamed.aiter_bytes()]
    assert b"".join(received) == b"".join(f"chunk-{i};".encode() for i in range(5))


async def test_public_routes_need_no_token_and_forward_to_identity(world: World):
    response = await world.client.post("/api/v1/auth/signin", json={"email": "a@b.c", "password": "x" * 12})
    assert response.status_code == 200
    assert response.json()["upstream"] == "identity"
    jwks = await world.client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert jwks.json()["keys"][0]["kid"] == world.signer.kid
    # a protected identity route is not public
    _problem(await world.client.get("/api/v1/me"), 401)
    assert (await world.client.get("/api/v1/me", headers=world.auth())).json()["upstream"] == "identity"


async def test_unknown_prefix_is_404_and_unsafe_path_is_400(world: World):
    body = _problem(await world.client.get("/api/v1/nothing-here", headers=world.auth()), 404)
    assert body["instance"] == "/api/v1/nothing-here"
    _problem(await world.client.get("/api/v1/wellsx", headers=world.auth()), 404)
    before = len(world.wells_a.proxied())
    for path in ("/api/v1/auth/signin/../../wells", "/api/v1/auth/signin/%2e%2e/%2E%2E/wells", "/api/v1//wells"):
        status, _ = await _raw_get(world, path)
        assert status == 400, path
    assert len(world.wells_a.proxied()) == before


async def _raw_get(world: World, path: str) -> tuple[int, bytes]:
    """A request whose path no client library normalizes first."""
    host, port = world.gateway.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    token = world.token()
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    status_line = answer.split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), answer


# ------------------------------------------------------------------------------------ cells


async def test_each_tenant_reaches_its_own_cell(world: World):
    a = await world.client.get("/api/v1/wells/1", headers=world.auth(org=str(ORG_A)))
    b = await world.client.get("/api/v1/wells/1", headers=world.auth(org=str(ORG_B)))
    assert a.json()["upstream"] == "wells-a"
    assert b.json()["upstream"] == "wells-b"
    # identity is global: cell-b has none of its own and shares the default cell's
    me = await world.client.get("/api/v1/me", headers=world.auth(org=str(ORG_B)))
    assert me.json()["upstream"] == "identity"


# ------------------------------------------------------------------------------------ limits and failures


async def test_body_over_the_limit_is_413_and_never_reaches_the_service(world: World):
    before = len(world.wells_a.proxied())
    response = await world.client.post("/api/v1/wells", headers=world.auth(), content=b"x" * 150_000)
    body = _problem(response, 413)
    assert body["max_bytes"] == 100_000
    assert len(world.wells_a.proxied()) == before

    async def chunks():
        for _ in range(20):
            yield b"y" * 10_000

    streamed = await world.client.post("/api/v1/wells", headers=world.auth(), content=chunks())
    _problem(streamed, 413)
    assert len(world.wells_a.proxied()) == before


async def test_upstream_timeout_is_504(world: World):
    started = time.monotonic()
    _problem(await world.client.get("/api/v1/wells/slow", headers=world.auth()), 504)
    assert time.monotonic() - started < 1.4


async def test_upstream_down_is_503_and_undeployed_service_is_503(world: World):
    down = _problem(await world.client.get("/api/v1/readings", headers=world.auth()), 503)
    assert "production" in down["detail"]
    assert down["retry_after"] >= 1
    missing = _problem(await world.client.get("/api/v1/form-pr", headers=world.auth()), 503)
    assert "compliance" in missing["detail"]
    assert missing["retry_after"] >= 1


async def test_upstream_dropping_the_connection_is_502(world: World):
    body = _problem(await world.client.get("/api/v1/wells/broken", headers=world.auth()), 502)
    assert "wells" in body["detail"]


async def test_jwks_unreachable_is_503_not_401(world: World):
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url},
        jwks_url=refused_url() + "/.well-known/jwks.json",
    )
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        before = len(world.wells_a.proxied())
        _problem(await client.get("/api/v1/wells", headers=world.auth()), 503)
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
        body = _problem(limited, 429)
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
    _problem(await world.client.get("/api/v1/wells", headers={"Authorization": "Bearer wfk_nope"}), 401)
    assert len(world.wells_a.proxied()) == before
    settings = gateway_settings(
        {"identity": world.identity.url, "wells": world.wells_a.url}, gateway_api_key_cache_seconds="0"
    )
    world.identity.api_keys["wfk_short"] = {"org": str(ORG_A), "role": "pumper", "kind": "api_key"}
    async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
        headers = {"Authorization": "Bearer wfk_short"}
        assert (await client.get("/api/v1/wells", headers=headers)).status_code == 200
        del world.identity.api_keys["wfk_short"]
        _problem(await client.get("/api/v1/wells", headers=headers), 401)


# ------------------------------------------------------------------------------------ own endpoints


async def test_merged_openapi_has_both_services_paths_without_collisions(world: World):
    response = await world.client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert "/api/v1/auth/signin" in document["paths"]
    assert "/api/v1/wells/{well_id}" in document["paths"]
    # wells advertised /api/v1/me, which identity owns: dropped, identity's kept
    assert document["paths"]["/api/v1/me"]["get"]["x-wellflow-service"] == "identity"
    assert {"service": "wells", "path": "/api/v1/me", "routed_to": "identity"} in document["x-wellflow-merge"][
        "dropped_paths"
    ]
    schemas = document["components"]["schemas"]
    assert "code" in schemas["Error"]["properties"]
    assert "reason" in schemas["wells__Error"]["properties"]
    ref = document["paths"]["/api/v1/wells/{well_id}"]["get"]["responses"]["404"]["content"]["application/json"]
    assert ref["schema"]["$ref"] == "#/components/schemas/wells__Error"
    assert "production" in document["x-wellflow-merge"]["unavailable"]


async def test_docs_page_uses_no_external_assets(world: World):
    response = await world.client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text
    assert not re.search(r"(src|href)=\"(https?:)?//", response.text)
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_health_reports_each_upstream(world: World):
    assert (await world.client.get("/health/live")).json() == {"status": "ok"}
    assert (await world.client.get("/health/ready")).status_code == 200
    report = (await world.client.get("/health")).json()
    assert report["status"] == "degraded"
    assert report["cells"]["default"]["identity"]["status"] == "ok"
    assert report["cells"]["default"]["wells"]["status"] == "ok"
    assert report["cells"]["default"]["production"]["status"] == "failed"
    assert report["cells"]["cell-b"]["wells"]["status"] == "ok"
    assert "gateway" not in report["cells"]["default"]


async def test_metrics_count_upstream_requests(world: World):
    await world.client.get("/api/v1/wells", headers=world.auth())
    text = (await world.client.get("/metrics")).text
    assert 'gateway_upstream_requests_total{cell="default",service="wells",status="200"}' in text
    assert 'route="/api/v1/wells/..."' in text


async def test_a_fresh_upstream_is_reused_over_keep_alive(world: World):
    service = FakeService("keepalive")
    await service.start()
    try:
        settings = gateway_settings({"identity": world.identity.url, "wells": service.url})
        async with running_gateway(settings) as url, httpx.AsyncClient(base_url=url) as client:
            for _ in range(5):
                assert (await client.get("/api/v1/wells", headers=world.auth())).status_code == 200
        assert len(service.proxied()) == 5
    finally:
        await service.stop()


def test_signer_helper_produces_verifiable_tokens():
    signer = Signer()
    token = signer.token()
    assert jwt.get_unverified_header(token)["kid"] == signer.kid
