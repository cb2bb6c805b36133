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
    root = e2e_stack["subject_root"]
    connection = await nats.connect(infra.nats_url)
    try:
        js = connection.jetstream()
        headers = to_headers(alert, source=source_for("production"))
        subject = event_subject(org, alert.type, root)
        await js.publish(subject, encode(alert), headers=headers, stream=stream_name(root))
        # delivered a second time, past JetStream's duplicate window (a producer that published it again)
        again = {**headers, "Nats-Msg-Id": f"again-{alert.event_id}"}
        await js.publish(subject, encode(alert), headers=again, stream=stream_name(root))
    finally:
        await connection.close()

    first = await mailbox.wait_for("lee@caprocknotices.com", timeout=30)
    await mailbox.wait_for("sam@caprocknotices.com", timeout=30)
    assert first["Subject"] == "[Caprock Notices] Production alert: Caprock 2H recorded 0 hours on December 6"

    async def bell() -> dict:
        answer = await gateway.get("/api/v1/notifications", headers=_bearer(pumper))
        assert answer.status_code == 200, answer.text
        return dict(answer.json()) if answer.json()["total"] else {}

    listed = await until(bell, timeout=10, what="the pumper's bell")
    assert listed["total"] == 1 and listed["unread"] == 1

    async def settled() -> bool:
        answer = await gateway.get("/api/v1/notifications/deliveries", headers=_bearer(owner["access_token"]))
        items = answer.json()["items"]
        return len(items) == 3 and all(item["status"] in ("sent", "digest") for item in items)

    await until(settled, timeout=15, what="every delivery sent or held for the digest")
    await asyncio.sleep(2)  # a second mail, were one to come, would have come by now (two delivery rounds)
    assert len(mailbox.to("lee@caprocknotices.com")) == 1
    assert len(mailbox.to("sam@caprocknotices.com")) == 1
    assert mailbox.to("owner@caprocknotices.com") == []  # an owner's mail waits for the morning digest
