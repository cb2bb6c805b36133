"""Events reach the right people once: email through a real SMTP conversation, SMS through the provider stand-in,
the console's bell; bounces and opt-outs are honoured and failures are listed."""

from __future__ import annotations

from datetime import date

from wellflow_contracts.events.accounting import AfeOverrunDetected
from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.testing import until


def alert(org, message="Well Caprock 1H has no reading for December 6"):  # type: ignore[no-untyped-def]
    return AlertRaised(
        tenant_id=org, alert_id=uuid7(), kind="missing_reading", day=date(2026, 12, 6), well_id=uuid7(), message=message
    )


async def roster_ready(n) -> None:  # type: ignore[no-untyped-def]
    async def known() -> bool:
        response = await n.client.get(
            "/api/v1/notifications/preferences", headers=n.headers(member=n.members["pumper"])
        )
        return response.status_code == 200

    await until(known, timeout=20, what="the members are known")


async def test_an_alert_published_twice_mails_the_pumper_and_manager_once(notifications) -> None:
    n = notifications
    await n.organization()
    await roster_ready(n)
    event = alert(n.org, "Well <b>Caprock</b> 1H & 2H have no reading")
    await n.publish(event)
    await n.publish(event, msg_id=f"again-{event.event_id}")  # past JetStream's duplicate window too

    manager, pumper = n.members["manager"], n.members["pumper"]
    mail = await n.mail.wait_for(manager.email, timeout=30)
    await n.mail.wait_for(pumper.email, timeout=30)
    assert mail["Subject"] == "[Caprock Energy] Production alert: Well <b>Caprock</b> 1H & 2H have no reading"
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Well &lt;b&gt;Caprock&lt;/b&gt; 1H &amp; 2H" in html and "<b>Caprock" not in html
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "https://wellflow.example.com/console/#/alerts" in text and "Hello Manny Manager" in text

    async def settled() -> bool:
        page = await n.get("/api/v1/notifications/deliveries", n.members["owner"], channel="email")
        return all(item["status"] in ("sent", "digest") for item in page["items"]) and page["total"] == 3

    await until(settled, timeout=30, what="every email sent or held")
    assert len(n.mail.to(manager.email)) == 1 and len(n.mail.to(pumper.email)) == 1
    assert n.mail.to(n.members["owner"].email) == []  # an owner's mail waits for the morning digest
    assert n.mail.to(n.members["accountant"].email) == []  # production alerts do not reach the office

    bell = await n.get("/api/v1/notifications", pumper)
    assert bell["total"] == 1 and bell["unread"] == 1
    assert bell["items"][0]["kind"] == "production_alert" and bell["items"][0]["link"] == "alerts"


async def test_a_member_reads_marks_and_filters_their_bell(notifications) -> None:
    n = notifications
    await n.organization()
    await roster_ready(n)
    manager = n.members["manager"]
    await n.publish(alert(n.org))
    await n.publish(
        AfeOverrunDetected(
            tenant_id=n.org,
            afe_id=uuid7(),
            afe_number="AFE-2026-014",
            approved_estimate="850000.00",
            actual="1020000.00",
            overrun_percent="20.00",
            threshold_percent="10.00",
        )
    )

    async def two() -> bool:
        return (await n.get("/api/v1/notifications/unread-count", manager))["unread"] == 2

    await until(two, timeout=30, what="two unread notifications")
    afe = await n.get("/api/v1/notifications", manager, kind="afe_overrun")
    assert afe["total"] == 1 and afe["items"][0]["title"] == "AFE AFE-2026-014 is 20.00% over its estimate"
    assert afe["items"][0]["link"].startswith("accounting/afes/")
    marked = await n.client.post(
        "/api/v1/notifications/read", json={"ids": [afe["items"][0]["id"]]}, headers=n.headers(member=manager)
    )
    assert marked.json() == {"changed": 1, "unread": 1}
    other = n.headers(member=n.members["pumper"])
    untouched = await n.client.post("/api/v1/notifications/read", json={"ids": [afe["items"][0]["id"]]}, headers=other)
    assert untouched.json()["changed"] == 0  # another member's notification is not theirs to mark
    assert (await n.get("/api/v1/notifications", manager, unread="true"))["total"] == 1
    everything = await n.client.post("/api/v1/notifications/read", json={}, headers=n.headers(member=manager))
    assert everything.json() == {"changed": 1, "unread": 0}


async def test_preferences_default_by_role_and_refuse_bad_values_by_name(notifications) -> None:
    n = notifications
    await n.organization()
    await roster_ready(n)
    pumper = n.members["pumper"]
    mine = await n.get("/api/v1/notifications/preferences", pumper)
    assert mine["channels"] == {"production_alert": ["email", "sms", "in_app"]} and mine["digest"] is False
    owner = await n.get("/api/v1/notifications/preferences", n.members["owner"])
    assert owner["digest"] is True and set(owner["channels"]) >= {"production_alert", "filing_deadline"}

    headers = n.headers(member=pumper)
    for body, field in (
        ({"sms_number": "432-555-0123"}, "body.sms_number"),
        ({"channels": {"afe_overrun": ["email"]}}, "body.channels.afe_overrun"),
        ({"time_zone": "Texas/Midland"}, "body.time_zone"),
        ({"quiet_start": "21:00"}, "body.quiet_end"),
    ):
        refused = await n.client.patch("/api/v1/notifications/preferences", json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert any(error["field"] == field for error in refused.json()["errors"]), refused.text
    assert await n.get("/api/v1/notifications/preferences", pumper) == mine  # nothing changed

    changed = await n.client.patch(
        "/api/v1/notifications/preferences",
        json={"sms_number": "+14325550123", "channels": {"production_alert": ["sms", "in_app"]}},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["channels"]["production_alert"] == ["sms", "in_app"]
    await n.publish(alert(n.org, "Tank 2 of the Caprock battery is 95% full"))
    sms = await n.sms.wait_for("+14325550123", timeout=30)
    assert sms.body.startswith("WellFlow Caprock Energy: Production alert: Tank 2") and "#/alerts" in sms.body
    await n.mail.wait_for(n.members["manager"].email, timeout=30)
    assert n.mail.to(pumper.email) == []  # email turned off for this kind


async def test_a_bounced_address_and_an_opted_out_number_are_not_tried_again(notifications) -> None:
    n = notifications
    await n.organization()
    await roster_ready(n)
    pumper = n.members["pumper"]
    await n.client.patch(
        "/api/v1/notifications/preferences", json={"sms_number": "+14325550199"}, headers=n.headers(member=pumper)
    )
    n.mail.refuse = True
    n.sms.opted_out.add("+14325550199")
    await n.publish(alert(n.org))
    owner = n.members["owner"]

    async def failed() -> list:  # type: ignore[type-arg]
        page = await n.get("/api/v1/notifications/deliveries", owner, status="failed")
        return page["items"] if page["total"] == 3 else []

    items = await until(failed, timeout=30, what="three failed deliveries (2 emails, 1 SMS)")
    assert {item["channel"] for item in items} == {"email", "sms"}
    metrics = n.client._transport.app.state.runtime.metrics  # type: ignore[attr-defined]
    await metrics.refresh_business(force=True)
    figure = metrics.registry.get_sample_value
    assert figure("notifications_deliveries_failed", {"channel": "email"}) == 2  # the business gauge
    assert figure("notifications_deliveries_failed", {"channel": "sms"}) == 1
    suppressed = await n.get("/api/v1/notifications/suppressions", owner)
    reasons = {(item["channel"], item["address"]): item["reason"] for item in suppressed["items"]}
    assert reasons[("sms", "+14325550199")] == "opted_out"
    assert reasons[("email", pumper.email)] == "bounced"
    n.mail.refuse = False
    await n.publish(alert(n.org, "a second alert"))

    async def second() -> list:  # type: ignore[type-arg]
        page = await n.get("/api/v1/notifications/deliveries", owner, status="suppressed")
        return page["items"] if page["total"] == 3 else []

    await until(second, timeout=30, what="the second alert's deliveries suppressed")
    assert n.mail.to(pumper.email) == [] and n.sms.to("+14325550199") == []
    retry = await n.client.post(
        f"/api/v1/notifications/deliveries/{items[0]['id']}/retry", headers=n.headers(member=owner)
    )
    assert retry.status_code == 409 and "suppress" in retry.json()["detail"]


async def test_a_transient_sms_failure_is_retried_then_sent(notifications) -> None:
    n = notifications
    await n.organization()
    await roster_ready(n)
    pumper = n.members["pumper"]
    await n.client.patch(
        "/api/v1/notifications/preferences", json={"sms_number": "+14325550142"}, headers=n.headers(member=pumper)
    )
    n.sms.fail_next = 2
    await n.publish(alert(n.org))
    await n.sms.wait_for("+14325550142", timeout=30)
    owner = n.members["owner"]

    async def sent() -> dict:  # type: ignore[type-arg]
        page = await n.get("/api/v1/notifications/deliveries", owner, channel="sms", status="sent")
        return page if page["total"] else {}

    page = await until(sent, timeout=20, what="the SMS recorded as sent")
    detail = await n.get(f"/api/v1/notifications/deliveries/{page['items'][0]['id']}", owner)
    assert [a["outcome"] for a in detail["attempts_made"]] == ["retry", "retry", "sent"]
    metrics = (await n.client.get("/metrics")).text
    assert 'notifications_delivery_attempts_total{channel="sms",outcome="retry"} 2.0' in metrics
    assert 'notifications_delivery_attempts_total{channel="sms",outcome="sent"} 1.0' in metrics


async def test_another_organization_sees_none_of_it(notifications) -> None:
    n = notifications
    await n.organization()
    await roster_ready(n)
    await n.publish(alert(n.org))
    owner = n.members["owner"]

    async def one() -> dict:  # type: ignore[type-arg]
        page = await n.get("/api/v1/notifications/deliveries", owner)
        return page if page["total"] else {}

    page = await until(one, timeout=30, what="a delivery")
    stranger = n.headers("owner", org=uuid7())
    response = await n.client.get(f"/api/v1/notifications/deliveries/{page['items'][0]['id']}", headers=stranger)
    assert response.status_code == 404
    listed = await n.client.get("/api/v1/notifications/deliveries", headers=stranger)
    assert listed.json()["total"] == 0
    pumper_page = await n.client.get("/api/v1/notifications/deliveries", headers=n.headers(member=n.members["pumper"]))
    assert pumper_page.status_code == 403


async def test_every_tenant_table_has_forced_rls_and_the_runtime_role_is_plain(notifications) -> None:
    from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems

    app = notifications.client._transport.app  # type: ignore[attr-defined]
    async with app.state.notifications.database.engine.connect() as conn:
        assert await find_rls_gaps(conn) == []
        assert await runtime_role_problems(conn) == []


async def test_an_expiring_document_is_told_to_the_office(notifications) -> None:
    """documents.document_expiring.v1 by its contract: the office hears of it, the field does not."""
    from wellflow_contracts.events.documents import DocumentExpiring, DocumentLink

    n = notifications
    await n.organization()
    await roster_ready(n)
    lease = uuid7()
    await n.publish(
        DocumentExpiring(
            tenant_id=n.org,
            document_id=uuid7(),
            version=1,
            version_id=uuid7(),
            document_type="permit",
            title="Form P-5 organization report",
            expires_on=date(2027, 1, 31),
            days_before=30,
            days_left=30,
            links=[DocumentLink(kind="lease", id=lease)],
        )
    )
    mail = await n.mail.wait_for(n.members["manager"].email, timeout=30)
    assert mail["Subject"] == "[Caprock Energy] Form P-5 organization report expires in 30 days (January 31, 2027)"
    assert f"#/leases/{lease}" in mail.get_body(preferencelist=("plain",)).get_content()
    assert n.mail.to(n.members["pumper"].email) == []  # documents are the office's


async def test_a_provider_refusing_our_credentials_blames_no_number(notifications) -> None:
    """401 is the account's configuration: retried, the member's number not suppressed."""
    from wellflow_notifications.adapters.sms import TwilioCompatibleSms
    from wellflow_notifications.app.ports import Outgoing

    sms = TwilioCompatibleSms(
        notifications.sms.url, notifications.sms.account_sid, "wrong-token", sender="+15005550006"
    )
    try:
        result = await sms.send(Outgoing("sms", "+14325550123", "x", "hello", None, "k"))
        assert not result.sent and not result.permanent and "20003" in (result.error or "")
        notifications.sms.opted_out.add("+14325550124")
        sms.auth = (notifications.sms.account_sid, notifications.sms.auth_token)
        stopped = await sms.send(Outgoing("sms", "+14325550124", "x", "hello", None, "k"))
        assert stopped.permanent and stopped.opted_out and stopped.suppress
    finally:
        await sms.close()
