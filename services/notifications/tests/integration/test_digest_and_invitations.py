"""An owner's mail waits for their daily digest, which lists it once; an invitation from identity is mailed with
its link opened only at sending, and the link is forgotten after."""

from __future__ import annotations

import base64
import os
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wellflow_contracts.events.identity import MemberInvited
from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.testing import until

SEAL_KEY = bytes(32)  # the fixture's INVITATION_SEAL_KEY, "00" * 32


async def _roster(n) -> None:  # type: ignore[no-untyped-def]
    async def known() -> bool:
        answer = await n.client.get("/api/v1/notifications/preferences", headers=n.headers(member=n.members["owner"]))
        return answer.status_code == 200

    await until(known, timeout=20, what="the members are known")


async def test_the_owners_digest_lists_what_was_held_once(notifications) -> None:
    n = notifications
    await n.organization()
    await _roster(n)
    owner = n.members["owner"]
    for message in ("Caprock 1H has no reading", "Tank 3 is 94% full"):
        await n.publish(
            AlertRaised(tenant_id=n.org, alert_id=uuid7(), kind="tank_high", day=date(2026, 12, 6), message=message)
        )

    async def held() -> bool:
        page = await n.get("/api/v1/notifications/deliveries", owner, status="digest", member_id=str(owner.id))
        return page["total"] == 2

    await until(held, timeout=30, what="two mails held for the owner's digest")
    assert n.mail.to(owner.email) == []
    sent = await n.client.post("/api/v1/notifications/digest", headers=n.headers(member=owner))
    assert sent.json() == {"notifications": 2}
    digest = await n.mail.wait_for(owner.email, timeout=30)
    assert digest["Subject"].startswith("[Caprock Energy] Your WellFlow digest for ") and ": 2 new" in digest["Subject"]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "- Production alert: Caprock 1H has no reading" in text and "- Production alert: Tank 3 is 94% full" in text
    again = await n.client.post("/api/v1/notifications/digest", headers=n.headers(member=owner))
    assert again.json() == {"notifications": 0}  # what a digest held is not listed again
    page = await n.get("/api/v1/notifications/deliveries", owner, status="digested")
    assert page["total"] == 2


def _seal(link: str, context: str) -> str:
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(SEAL_KEY).encrypt(nonce, link.encode(), context.encode())
    return "v1." + base64.urlsafe_b64encode(sealed).decode().rstrip("=")


async def test_an_invitation_is_mailed_with_its_link_opened_only_at_sending(notifications) -> None:
    n = notifications
    await n.organization()
    await _roster(n)
    invitation = uuid7()
    link = "https://wellflow.example.com/#/accept?token=wfi_secret-token-1234"
    await n.publish(
        MemberInvited(
            tenant_id=n.org,
            invitation_id=invitation,
            email="lee@example.com",
            role="pumper",
            organization_name="Caprock Energy",
            invited_by_name="Olivia Owner",
            expires_at=datetime.now(UTC) + timedelta(days=7),
            send_count=1,
            sealed_link=_seal(link, f"invitation:{invitation}:1"),
        )
    )
    mail = await n.mail.wait_for("lee@example.com", timeout=30)
    assert mail["Subject"] == "Join Caprock Energy on WellFlow"
    assert link in mail.get_body(preferencelist=("plain",)).get_content()
    assert f'href="{link}"' in mail.get_body(preferencelist=("html",)).get_content()

    async def sent() -> dict:  # type: ignore[type-arg]
        page = await n.get("/api/v1/notifications/deliveries", n.members["owner"], status="sent")
        return page if page["total"] else {}

    page = await until(sent, timeout=20, what="the invitation recorded as sent")
    detail = await n.get(f"/api/v1/notifications/deliveries/{page['items'][0]['id']}", n.members["owner"])
    assert detail["kind"] == "invitation" and "wfi_secret" not in str(detail)  # the link is not kept

    forged = uuid7()
    await n.publish(
        MemberInvited(
            tenant_id=n.org,
            invitation_id=forged,
            email="mallory@example.com",
            role="owner",
            organization_name="Caprock Energy",
            expires_at=datetime.now(UTC) + timedelta(days=7),
            send_count=1,
            sealed_link=_seal(link, f"invitation:{invitation}:1"),  # lifted from another invitation
        )
    )

    async def failed() -> dict:  # type: ignore[type-arg]
        page = await n.get("/api/v1/notifications/deliveries", n.members["owner"], status="failed")
        return page if page["total"] else {}

    refused = await until(failed, timeout=20, what="the forged invitation refused")
    assert "does not open" in refused["items"][0]["last_error"] and n.mail.to("mallory@example.com") == []
