"""A production alert reaches the people who act on it, once: the pumper's and the manager's mailboxes (the
SMTP sink notifications mails to) each receive it exactly once even though the event is delivered twice, the
owner's mail waits for their morning digest, and the bell in the console shows it through the gateway."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

import nats

from wellflow_contracts import encode
from wellflow_contracts.envelope import source_for, to_headers
from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject, stream_name
from wellflow_servicekit.testing import until

PASSWORD = "correct horse battery staple"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _join(gateway, owner_token: str, email: str, role: str, name: str) -> str:
    invite = await gateway.post(
        "/api/v1/invitations", headers=_bearer(owner_token), json={"email": email, "role": role}
    )
    assert invite.status_code == 201, invite.text
    accepted = await gateway.post(
        "/api/v1/invitations/accept", json={"token": invite.json()["token"], "password": PASSWORD, "full_name": name}
    )
    assert accepted.status_code in (200, 201), accepted.text
    return str(accepted.json()["access_token"])


async def _publish(infra, e2e_stack, alert: AlertRaised, *, twice: bool = False) -> None:
    """As production's outbox publishes it; ``twice`` also under another Nats-Msg-Id (past the duplicate window)."""
    root = e2e_stack["subject_root"]
    connection = await nats.connect(infra.nats_url)
    try:
        js = connection.jetstream()
        headers = to_headers(alert, source=source_for("production"))
        subject = event_subject(alert.tenant_id, alert.type, root)
        await js.publish(subject, encode(alert), headers=headers, stream=stream_name(root))
        if twice:
            again = {**headers, "Nats-Msg-Id": f"again-{alert.event_id}"}
            await js.publish(subject, encode(alert), headers=again, stream=stream_name(root))
    finally:
        await connection.close()


async def test_an_alert_delivered_twice_reaches_the_pumper_and_manager_once(
    gateway, sign_up, mailbox, e2e_stack, infra
):
    owner = await sign_up("Caprock Notices")
    org = UUID(owner["organization_id"])
    pumper = await _join(gateway, owner["access_token"], "lee@caprocknotices.com", "pumper", "Lee Ortega")
    manager = await _join(gateway, owner["access_token"], "sam@caprocknotices.com", "manager", "Sam Field")

    async def roster_known() -> bool:
        answer = await gateway.get("/api/v1/notifications/preferences", headers=_bearer(manager))
        return answer.status_code == 200

    await until(roster_known, timeout=30, what="notifications knows the new members")

    alert = AlertRaised(
        tenant_id=org,
        alert_id=uuid7(),
        kind="zero_hours",
        day=date(2026, 12, 6),
        well_id=uuid7(),
        message="Caprock 2H recorded 0 hours on December 6",
        details={"hours_on": "0"},
    )
    # delivered a second time, past JetStream's duplicate window (a producer that published it again)
    await _publish(infra, e2e_stack, alert, twice=True)

    first = await mailbox.wait_for("lee@caprocknotices.com", timeout=30)
    await mailbox.wait_for("sam@caprocknotices.com", timeout=30)
    assert first["Subject"] == "[Caprock Notices] Production alert: Caprock 2H recorded 0 hours on December 6"

    async def bell() -> dict:
        answer = await gateway.get("/api/v1/notifications", headers=_bearer(pumper))
        assert answer.status_code == 200, answer.text
        return dict(answer.json()) if answer.json()["total"] else {}

    listed = await until(bell, timeout=20, what="the pumper's bell")
    assert listed["total"] == 1 and listed["unread"] == 1

    async def settled() -> bool:
        answer = await gateway.get("/api/v1/notifications/deliveries", headers=_bearer(owner["access_token"]))
        items = answer.json()["items"]
        return len(items) == 3 and all(item["status"] in ("sent", "digest") for item in items)

    await until(settled, timeout=30, what="every delivery sent or held for the digest")
    await asyncio.sleep(2)  # a second mail, were one to come, would have come by now (two delivery rounds)
    assert len(mailbox.to("lee@caprocknotices.com")) == 1
    assert len(mailbox.to("sam@caprocknotices.com")) == 1
    assert mailbox.to("owner@caprocknotices.com") == []  # an owner's mail waits for the morning digest


async def test_the_bell_counts_the_alert_and_the_pumper_reads_it_and_sets_an_sms_number(
    console, gateway, sign_up, infra, e2e_stack
):
    from console_kit import screenshot, sign_in

    owner = await sign_up("Caprock Bells")
    org = UUID(owner["organization_id"])
    pumper = await _join(gateway, owner["access_token"], "lee@caprockbells.com", "pumper", "Lee Ortega")

    async def roster_known() -> bool:
        answer = await gateway.get("/api/v1/notifications/preferences", headers=_bearer(pumper))
        return answer.status_code == 200

    await until(roster_known, timeout=30, what="notifications knows the pumper")
    alert = AlertRaised(
        tenant_id=org,
        alert_id=uuid7(),
        kind="tank_high",
        day=date(2026, 12, 6),
        message="Tank 2 of the Caprock battery is 92% full",
    )
    await _publish(infra, e2e_stack, alert)

    async def counted() -> bool:
        answer = await gateway.get("/api/v1/notifications/unread-count", headers=_bearer(pumper))
        return bool(answer.json()["unread"])

    await until(counted, timeout=30, what="the pumper's notification")
    page = await console.open()
    await sign_in(page, "lee@caprockbells.com", PASSWORD)
    bell = page.locator("a.bell")
    await bell.locator(".bell-count").filter(has_text="1").wait_for()
    await bell.click()
    item = page.locator("li.notification.unread")
    await item.get_by_role("heading", name="Production alert: Tank 2 of the Caprock battery is 92% full").wait_for()
    await screenshot(page, "notifications")
    await item.get_by_role("button", name="Mark read").click()
    await page.locator("li.notification:not(.unread)").wait_for()
    await bell.locator(".bell-count").wait_for(state="hidden")

    await page.get_by_role("link", name="Preferences").click()
    await page.get_by_label("Mobile number").fill("432-555-0123")
    await page.get_by_role("button", name="Save preferences").click()
    await page.get_by_text("must be a phone number in E.164 form").wait_for()
    await page.get_by_label("Mobile number").fill("+14325550123")
    await page.get_by_label("Production alerts by Email").uncheck()
    await page.get_by_role("button", name="Save preferences").click()
    await page.get_by_text("Preferences saved.").wait_for()
    await screenshot(page, "notification-preferences")
    phone = await console.open(phone=True)
    await sign_in(phone, "lee@caprockbells.com", PASSWORD)
    await phone.locator("a.bell").wait_for(state="visible")  # in the top bar, without opening the menu
    await screenshot(phone, "notifications-bell")
    saved = (await gateway.get("/api/v1/notifications/preferences", headers=_bearer(pumper))).json()
    assert saved["sms_number"] == "+14325550123"
    assert saved["channels"]["production_alert"] == ["sms", "in_app"]
