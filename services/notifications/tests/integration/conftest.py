"""The notifications app on a freshly migrated database, real NATS (the devstack plugin), the test mail server
(``MailCatcher``: real SMTP on 127.0.0.1) and the SMS stand-in, and helpers that publish other services' events
the way their outboxes do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import nats
import pytest

from wellflow_contracts import IntegrationEvent, encode
from wellflow_contracts.envelope import source_for, to_headers
from wellflow_contracts.events.identity import MemberJoined, OrganizationCreated
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_devstack.mail_catcher import MailCatcher
from wellflow_devstack.pytest_plugin import service_settings
from wellflow_devstack.sms_sink import SmsSink
from wellflow_notifications.bootstrap import create_app
from wellflow_notifications.settings import NotificationsSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]
SEAL_KEY = "00" * 32


@dataclass
class Member:
    id: UUID
    role: str
    email: str
    name: str


@dataclass
class Notifications:
    client: httpx.AsyncClient
    mint: Any
    mail: MailCatcher
    sms: SmsSink
    js: Any
    root: str
    org: UUID = field(default_factory=uuid7)
    members: dict[str, Member] = field(default_factory=dict)

    def headers(self, role: str = "owner", *, member: Member | None = None, org: UUID | None = None) -> dict[str, str]:
        subject = str(member.id) if member is not None else None
        token = self.mint.token(org or self.org, member.role if member else role, subject=subject)
        return {"Authorization": f"Bearer {token}"}

    async def publish(self, event: IntegrationEvent, *, msg_id: str | None = None) -> None:
        """As an outbox does; ``msg_id`` other than the event id gets past JetStream's duplicate window (a
        producer that published the same event twice)."""
        headers = to_headers(event, source=source_for(event.producer))
        if msg_id is not None:
            headers["Nats-Msg-Id"] = msg_id
        subject = event_subject(event.tenant_id, event.type, self.root)
        await self.js.publish(subject, encode(event), headers=headers, stream=stream_name(self.root))

    async def organization(self, name: str = "Caprock Energy") -> None:
        owner = self.add_member("owner", "olivia@caprock.example.com", "Olivia Owner")
        await self.publish(
            OrganizationCreated(tenant_id=self.org, organization_id=self.org, name=name, created_by_user_id=owner.id)
        )
        for role, email, person in (
            ("manager", "manny@caprock.example.com", "Manny Manager"),
            ("pumper", "pete@caprock.example.com", "Pete Pumper"),
            ("accountant", "ada@caprock.example.com", "Ada Accountant"),
        ):
            self.add_member(role, email, person)
        for member in self.members.values():
            await self.publish(
                MemberJoined(
                    tenant_id=self.org, user_id=member.id, role=member.role, email=member.email, full_name=member.name
                )
            )

    def add_member(self, role: str, email: str, name: str) -> Member:
        member = Member(uuid7(), role, email, name)
        self.members[role] = member
        return member

    async def get(self, path: str, member: Member, **params: Any) -> Any:
        response = await self.client.get(path, params=params, headers=self.headers(member=member))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def notifications(service_database, infra, root, token_mint):
    database = await service_database("notifications", migrations=SERVICE_DIR)
    async with MailCatcher() as mail, SmsSink() as sms:
        settings = service_settings(
            NotificationsSettings,
            "notifications",
            database,
            infra,
            root,
            smtp_host="127.0.0.1",
            smtp_port=mail.port,
            smtp_security="none",
            sms_api_base=sms.url,
            sms_account_sid=sms.account_sid,
            sms_auth_token=sms.auth_token,
            sms_from="+14325550100",
            invitation_seal_key=SEAL_KEY,
            delivery_poll_interval=0.5,
            delivery_first_retry_seconds=0.2,
            delivery_max_retry_seconds=0.5,
            delivery_retry_for_seconds=3,
            console_url="https://wellflow.example.com/console",
            digest_interval=0,
        )
        app = create_app(settings, token_verifier=token_mint.verifier())
        connection = await nats.connect(infra.nats_url)
        transport = httpx.ASGITransport(app=app)
        try:
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=transport, base_url="http://notifications.test") as client,
            ):
                yield Notifications(client, token_mint, mail, sms, connection.jetstream(), root)
        finally:
            await connection.close()
