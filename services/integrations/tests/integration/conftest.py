"""The integrations app on a freshly migrated database, real NATS (the devstack plugin), a fake clock, and a
small HTTP receiver on 127.0.0.1 standing in for a customer's webhook endpoint (the dev setting
WEBHOOK_ALLOW_LOCALHOST admits it)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import nats
import pytest

from wellflow_contracts import IntegrationEvent, encode
from wellflow_contracts.envelope import source_for, to_headers
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_devstack.pytest_plugin import service_settings
from wellflow_integrations.bootstrap import create_app
from wellflow_integrations.settings import IntegrationsSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Receiver:
    """Answers ``status`` to every POST and keeps what it was sent (headers lower-cased, body)."""

    status: int = 503
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    refused: int = 0
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = self.status
        if status == 200:
            self.received.append((headers, body))
        else:
            self.refused += 1
        writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok".encode())
        await writer.drain()
        writer.close()


@dataclass
class Integrations:
    client: httpx.AsyncClient
    mint: Any
    clock: FakeClock
    receiver: Receiver
    js: Any
    root: str
    org_a: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000a"))
    org_b: UUID = field(default=UUID("01938a10-0000-7000-8000-00000000000b"))

    def headers(self, role: str = "owner", org: UUID | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint.token(org or self.org_a, role)}"}

    async def publish(self, event: IntegrationEvent) -> None:
        headers = to_headers(event, source=source_for(event.producer))
        subject = event_subject(event.tenant_id, event.type, self.root)
        await self.js.publish(subject, encode(event), headers=headers, stream=stream_name(self.root))

    async def deliveries(self, **params: Any) -> dict[str, Any]:
        response = await self.client.get("/api/v1/webhooks/deliveries", params=params, headers=self.headers())
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
async def integrations(service_database, infra, root, token_mint):
    database = await service_database("integrations", migrations=SERVICE_DIR)
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    clock = FakeClock()
    settings = service_settings(
        IntegrationsSettings,
        "integrations",
        database,
        infra,
        root,
        webhook_allow_localhost=True,
        webhook_poll_interval=0.05,
        webhook_first_retry_seconds=30,
        webhook_max_retry_seconds=240,
        webhook_timeout_seconds=2,
    )
    app = create_app(settings, token_verifier=token_mint.verifier(), clock=clock)
    connection = await nats.connect(infra.nats_url)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://integrations.test") as client,
        ):
            yield Integrations(client, token_mint, clock, receiver, connection.jetstream(), root)
    finally:
        await connection.close()
        server.close()


def body_of(received: tuple[dict[str, str], bytes]) -> dict[str, Any]:
    return dict(json.loads(received[1]))
