"""What the gateway forwards: the Authorization, a request id and a trace, no hop-by-hop or spoofed
headers, bodies streamed both ways, public routes without a token, and each tenant to its own cell."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from wellflow_gateway.upstream import Upstream
from wellflow_servicekit.telemetry import ContextFilter

from .conftest import World
from .harness import (
    ORG_A,
    ORG_B,
    TRACEPARENT,
    gateway_settings,
    problem,
    running_gateway,
)

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
    assert span.attributes["http.response.status_code"] == 200


async def test_without_a_tracer_the_gateways_log_lines_carry_the_trace_it_forwards(world: World, monkeypatch):
    """No span is made, but the ids the upstream is sent are current while forwarding: a log line of the
    gateway's (its access log, a warning about the upstream) names the same trace as the service's."""
    seen: list[dict[str, str | None]] = []
    original = Upstream.forward

    async def forward(self, hop, send):  # type: ignore[no-untyped-def]
        record = logging.makeLogRecord({"msg": "forwarding"})
        ContextFilter("gateway").filter(record)
        seen.append({"trace_id": record.trace_id, "span_id": record.span_id})
        await original(self, hop, send)

    monkeypatch.setattr(Upstream, "forward", forward)
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = await world.client.get(
        "/api/v1/wells", headers={**world.auth(), "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    )
    assert response.status_code == 200
    _, forwarded_trace, parent, _ = world.wells_a.proxied()[-1].headers["traceparent"].split("-")
    assert seen[-1] == {"trace_id": trace_id, "span_id": parent} and forwarded_trace == trace_id


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
    problem(await world.client.get("/api/v1/me"), 401)
    assert (await world.client.get("/api/v1/me", headers=world.auth())).json()["upstream"] == "identity"


async def test_unknown_prefix_is_404_and_unsafe_path_is_400(world: World):
    body = problem(await world.client.get("/api/v1/nothing-here", headers=world.auth()), 404)
    assert body["instance"] == "/api/v1/nothing-here"
    problem(await world.client.get("/api/v1/wellsx", headers=world.auth()), 404)
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
