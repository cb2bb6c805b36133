"""The fan-out of one event to the organization's members, on in-memory repositories: who gets what on which
channel, held for a digest or quiet hours, suppressed, and never twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import UUID

from wellflow_contracts.events.production import AlertRaised
from wellflow_contracts.ids import uuid7
from wellflow_notifications.app import intake
from wellflow_notifications.app.common import Notifications
from wellflow_servicekit.testing import FakeClock, FakeDatabase

ORG = UUID("01938a10-0000-7000-8000-0000000000aa")
# 03:30 UTC on December 8 is 21:30 on December 7 in Midland (Central time)
NIGHT = datetime(2026, 12, 8, 3, 30, tzinfo=UTC)


async def _company(n: Notifications, **prefs_by_role: dict) -> dict[str, UUID]:  # type: ignore[type-arg]
    ids = {}
    async with n.database.unit_of_work(ORG) as uow:
        await uow.roster.keep_organization("Caprock Energy", 1, n.clock())
        for role in ("owner", "manager", "pumper", "accountant", "auditor"):
            ids[role] = uuid7()
            await uow.roster.keep_member(
                {
                    "id": ids[role],
                    "email": f"{role}@caprock.example.com",
                    "full_name": role.title(),
                    "role": role,
                    "active": True,
                    "updated_at": n.clock(),
                }
            )
            if role in prefs_by_role:
                await uow.preferences.put({"member_id": ids[role], **_prefs(**prefs_by_role[role])})
    return ids


def _prefs(**changes: object) -> dict:  # type: ignore[type-arg]
    base = {
        "channels": {},
        "quiet_start": None,
        "quiet_end": None,
        "time_zone": "America/Chicago",
        "digest": False,
        "digest_hour": 7,
        "sms_number": None,
    }
    return {**base, **changes}


def _alert() -> AlertRaised:
    return AlertRaised(tenant_id=ORG, alert_id=uuid7(), kind="zero_hours", day=date(2026, 12, 7), message="1H down")


def _handle(fakes) -> Notifications:  # type: ignore[no-untyped-def]
    return Notifications(FakeDatabase(fakes.FakeNotificationsWork), senders={}, clock=FakeClock(NIGHT))


async def _notify(n: Notifications, event: AlertRaised) -> int:
    async with n.database.unit_of_work(ORG) as uow:
        return await intake.notify(uow, n, event)


async def _deliveries(n: Notifications) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    async with n.database.unit_of_work(ORG) as uow:
        return {(row["address"].split("@")[0], row["channel"]): row for row in uow.deliveries.all_rows()}


async def test_an_alert_reaches_the_field_and_its_managers_and_never_the_office(fakes) -> None:
    n = _handle(fakes)
    await _company(n, pumper={"sms_number": "+14325550123"})
    assert await _notify(n, _alert()) == 4
    made = await _deliveries(n)
    assert set(made) == {("owner", "email"), ("manager", "email"), ("pumper", "email"), ("+14325550123", "sms")}
    assert made[("owner", "email")]["status"] == "digest"  # an owner's morning digest
    assert made[("owner", "email")]["next_attempt_at"] == datetime(2026, 12, 8, 13, 0, tzinfo=UTC)  # 07:00 CST
    assert made[("manager", "email")]["status"] == "pending" and made[("manager", "email")]["next_attempt_at"] == NIGHT


async def test_the_same_event_twice_makes_nothing_new(fakes) -> None:
    n = _handle(fakes)
    ids = await _company(n)
    event = _alert()
    assert await _notify(n, event) == 3
    assert await _notify(n, event) == 0
    async with n.database.unit_of_work(ORG) as uow:
        assert len(uow.in_app.mine(ids["pumper"])) == 1


async def test_quiet_hours_hold_mail_and_sms_until_morning_and_the_bell_rings_now(fakes) -> None:
    n = _handle(fakes)
    ids = await _company(n, pumper={"quiet_start": time(21), "quiet_end": time(6), "sms_number": "+14325550123"})
    await _notify(n, _alert())
    made = await _deliveries(n)
    six_am = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    assert made[("pumper", "email")]["next_attempt_at"] == six_am
    assert made[("+14325550123", "sms")]["next_attempt_at"] == six_am
    async with n.database.unit_of_work(ORG) as uow:
        assert [row["kind"] for row in uow.in_app.mine(ids["pumper"])] == ["production_alert"]


async def test_a_suppressed_address_is_not_tried_and_a_channel_turned_off_is_not_made(fakes) -> None:
    n = _handle(fakes)
    ids = await _company(n, manager={"channels": {"production_alert": ["in_app"]}})
    async with n.database.unit_of_work(ORG) as uow:
        await uow.suppressions.add("email", "pumper@caprock.example.com", "bounced", None, NIGHT)
    await _notify(n, _alert())
    made = await _deliveries(n)
    assert ("manager", "email") not in made
    assert made[("pumper", "email")]["status"] == "suppressed"
    async with n.database.unit_of_work(ORG) as uow:
        assert len(uow.in_app.mine(ids["manager"])) == 1


async def test_a_deactivated_member_hears_nothing(fakes) -> None:
    n = _handle(fakes)
    ids = await _company(n)
    async with n.database.unit_of_work(ORG) as uow:
        await uow.roster.change_member(ids["pumper"], {"active": False})
    await _notify(n, _alert())
    assert ("pumper", "email") not in await _deliveries(n)
