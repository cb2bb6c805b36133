"""Real servers for the gateway's integration tests: fake upstreams (aiohttp), the gateway under uvicorn.

Everything listens on 127.0.0.1 on a free port, in the test's event loop. The fake identity publishes a
JWKS of the test's own Ed25519 key and exchanges API keys; fake services record every request they get,
so a test can assert that a rejected request never reached them.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import httpx
import jwt
import uvicorn
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwt.algorithms import OKPAlgorithm

from wellflow_gateway.bootstrap import create_app
from wellflow_gateway.settings import GatewaySettings, load_gateway_settings
from wellflow_servicekit.testing import until

ISSUER = "wellflow-identity"
AUDIENCE = "wellflow"
KID = "test-key-1"
ORG_A = UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d01")
ORG_B = UUID("0190f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d02")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def refused_url() -> str:
    """A URL where nothing listens (the port was just released)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@dataclass
class Signer:
    key: ed25519.Ed25519PrivateKey = field(default_factory=ed25519.Ed25519PrivateKey.generate)
    kid: str = KID

    def jwks(self) -> dict[str, Any]:
        jwk = OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update(kid=self.kid, use="sig", alg="EdDSA")
        return {"keys": [jwk]}

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(uuid4()),
            "org": str(ORG_A),
            "role": "owner",
            "iat": now,
            "exp": now + 900,
            "jti": uuid4().hex,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, *, kid: str | None = None, key: Any = None, **claims: Any) -> str:
        return jwt.encode(
            self.claims(**claims), key or self.key, algorithm="EdDSA", headers={"kid": kid or self.kid, "typ": "at+jwt"}
        )


@dataclass
class Recorded:
    method: str
    path_qs: str
    headers: dict[str, str]
    raw_headers: list[tuple[str, str]]
    body: bytes


class FakeService:
    """An upstream that records requests. Paths ending in /slow sleep, /stream streams, others echo."""

    def __init__(self, name: str, *, openapi: dict[str, Any] | None = None, signer: Signer | None = None) -> None:
        self.name = name
        self.openapi = openapi or {"openapi": "3.1.0", "info": {"title": name, "version": "1"}, "paths": {}}
        self.signer = signer
        self.requests: list[Recorded] = []
        self.ready_status = 200
        self.slow_seconds = 1.5
        self.api_keys: dict[str, dict[str, Any]] = {}  # identity only: key -> claims overrides
        self.exchanges = 0
        self.canned: dict[str, tuple[int, Any]] = {}  # path -> (status, JSON body) answered instead of the echo
        self.url = ""
        self._runner: web.AppRunner | None = None

    def proxied(self) -> list[Recorded]:
        """Requests that came through the gateway's proxy (not its health checks, OpenAPI or JWKS fetches)."""
        own = ("/health/ready", "/openapi.json", "/.well-known/jwks.json", "/api/v1/auth/token/api-key")
        return [r for r in self.requests if not r.path_qs.startswith(own)]

    async def start(self, *, tls: ssl.SSLContext | None = None) -> None:
        """Listen on a free port of 127.0.0.1; over HTTPS with ``tls`` (a server context), as identity in a
        deployment."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = bound_socket()
        site = web.SockSite(self._runner, sock, ssl_context=tls)
        await site.start()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(
            Recorded(
                request.method,
                request.path_qs,
                {k.lower(): v for k, v in request.headers.items()},
                [(k.lower(), v) for k, v in request.headers.items()],
                body,
            )
        )
        path = request.path
        if path in self.canned:
            status, answer = self.canned[path]
            return web.json_response(answer, status=status)
        if path == "/health/ready":
            return web.json_response(
                {"status": "ready" if self.ready_status == 200 else "no"}, status=self.ready_status
            )
        if path == "/openapi.json":
            return web.json_response(self.openapi)
        if path == "/.well-known/jwks.json" and self.signer is not None:
            return web.json_response(self.signer.jwks())
        if path == "/api/v1/auth/token/api-key" and self.signer is not None:
            self.exchanges += 1
            key = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if key not in self.api_keys:
                return web.json_response({"title": "unknown key"}, status=401)
            token = self.signer.token(**self.api_keys[key])
            return web.json_response({"access_token": token, "expires_in": 900, "token_type": "Bearer"})
        if path.endswith("/broken"):
            assert request.transport is not None
            request.transport.abort()  # no answer at all: the connection just dies
            return web.Response()
        if path.endswith("/slow"):
            await asyncio.sleep(self.slow_seconds)
        if path.endswith("/stream"):
            response = web.StreamResponse(headers={"Content-Type": "text/plain", "X-Upstream": self.name})
            await response.prepare(request)
            for index in range(5):
                await response.write(f"chunk-{index};".encode())
                await asyncio.sleep(0.01)
            await response.write_eof()
            return response
        return web.json_response(
            {"upstream": self.name, "method": request.method, "path": request.path_qs, "body_bytes": len(body)},
            headers={"X-Upstream": self.name, "Connection": "keep-alive", "Keep-Alive": "timeout=5"},
        )


def gateway_settings(default_cell: dict[str, str], **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {
        "wellflow_service_urls": json.dumps({**default_cell, "gateway": "http://127.0.0.1:1"}),
        "jwks_url": default_cell["identity"] + "/.well-known/jwks.json",
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwt_algorithms": "EdDSA",
    }
    values.update(overrides)
    return load_gateway_settings(**values)


@asynccontextmanager
async def running_gateway(settings: GatewaySettings, **options: Any) -> AsyncIterator[str]:
    """The gateway under uvicorn in this event loop; yields its base URL. `options` go to `create_app`."""
    app = create_app(settings, **options)
    sock = bound_socket()
    config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False, proxy_headers=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))

    async def started() -> bool:
        if task.done():
            task.result()  # a server that could not start raises its error here
        return bool(server.started)

    try:
        await until(started, timeout=60, what="the gateway under uvicorn to start", every=0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def problem(response: httpx.Response, status: int) -> dict:
    """The problem body of ``response``, after checking it is one with ``status``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://wellflow.dev/problems/")
    return body
