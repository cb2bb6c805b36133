"""Signing up and in on in-memory repositories: one account per mailbox, the lockout back-off of failed
sign-ins, and a success that resets the count."""

from __future__ import annotations

import pytest

from wellflow_identity.app.sessions.sign_in import sign_in
from wellflow_identity.app.sessions.sign_up import sign_up
from wellflow_servicekit.errors import Conflict, NotFound, TooManyRequests, Unauthorized

PASSWORD = "correct horse battery staple"
WRONG = "wrong password guess"


async def open_company(identity, email="olive@example.com", name="Caprock Oil & Gas"):
    organization = {"name": name, "rrc_operator_number": "123456"}
    return await sign_up(identity, organization=organization, email=email, password=PASSWORD, full_name="Olive Owner")


def account_events(database, action):
    return [e for e in database.stores.get("account_events", {}).values() if e["action"] == action]


async def test_sign_up_makes_the_organization_and_its_owner_and_records_their_events(identity, database):
    session = await open_company(identity, email="  Olive@Example.COM ")
    assert session.role == "owner" and session.refresh_token.startswith("wfr_")
    assert [o["name"] for o in session.organizations] == ["Caprock Oil & Gas"]
    assert [e.type for e in database.committed] == [
        "identity.organization_created.v1",
        "identity.organization_updated.v1",  # the profile as it starts
        "identity.member_joined.v1",
    ]
    assert [p["email"] for p in database.stores["people"].values()] == ["olive@example.com"]

    with pytest.raises(Conflict) as taken:
        await open_company(identity, email="OLIVE@example.com", name="Another Company")
    assert taken.value.slug == "email-taken" and taken.value.errors[0]["field"] == "body.user.email"
    assert len(database.committed) == 3 and len(database.stores["organizations"]) == 1


async def test_failed_sign_ins_slow_down_then_lock_the_account_and_success_resets(identity, database, clock, sign_ins):
    await open_company(identity)
    for _ in range(5):
        with pytest.raises(Unauthorized):
            await sign_in(identity, email="olive@example.com", password=WRONG, organization_id=None)
    waits = []
    for _ in range(5):
        with pytest.raises(TooManyRequests) as throttled:  # even the right password must wait
            await sign_in(identity, email="olive@example.com", password=PASSWORD, organization_id=None)
        waits.append(throttled.value.extensions["retry_after"])
        clock.advance(waits[-1])
        with pytest.raises(Unauthorized):
            await sign_in(identity, email="olive@example.com", password=WRONG, organization_id=None)
    assert waits == [1, 2, 4, 8, 16]
    with pytest.raises(TooManyRequests) as locked:
        await sign_in(identity, email="olive@example.com", password=PASSWORD, organization_id=None)
    assert locked.value.headers["Retry-After"] == "900"
    assert len(account_events(database, "account.locked")) == 1

    clock.advance(900)
    session = await sign_in(identity, email="olive@example.com", password=PASSWORD, organization_id=None)
    assert session.role == "owner"
    counters = database.stores["sign_in_limits"]
    assert [c["failures"] for k, c in counters.items() if not k.startswith("address:")] == [0, 0]
    assert sign_ins.count("throttled") == 6 and sign_ins.count("failed") == 10


async def test_an_unknown_email_fails_like_a_wrong_password_and_is_recorded_without_a_person(identity, database):
    await open_company(identity)
    with pytest.raises(Unauthorized) as wrong:
        await sign_in(identity, email="olive@example.com", password=WRONG, organization_id=None)
    with pytest.raises(Unauthorized) as unknown:
        await sign_in(identity, email="nobody@example.com", password=WRONG, organization_id=None)
    assert (wrong.value.detail, wrong.value.slug) == (unknown.value.detail, unknown.value.slug)
    failed = account_events(database, "sign_in.failed")
    assert [(e["user_id"] is None, e.get("reason")) for e in failed] == [(False, None), (True, "unknown")]


async def test_sign_in_to_an_organization_one_does_not_belong_to_is_404(identity):
    await open_company(identity)
    other = await open_company(identity, email="bravo@example.com", name="Bravo Petroleum")
    with pytest.raises(NotFound) as refused:
        await sign_in(identity, email="olive@example.com", password=PASSWORD, organization_id=other.organization_id)
    assert refused.value.errors[0]["field"] == "body.organization_id"


async def guess(identity, email, address, password=WRONG):
    return await sign_in(identity, email=email, password=password, organization_id=None, address=address)


async def test_a_known_and_an_unknown_email_are_throttled_alike(identity):
    await open_company(identity)
    answers = {}
    for email, address in [("olive@example.com", "198.51.100.1"), ("nobody@example.com", "198.51.100.2")]:
        for _ in range(5):
            with pytest.raises(Unauthorized):
                await guess(identity, email, address)
        with pytest.raises(TooManyRequests) as throttled:
            await guess(identity, email, address)
        answers[email] = (throttled.value.detail, throttled.value.slug, throttled.value.headers)
    assert answers["olive@example.com"] == answers["nobody@example.com"]


async def test_a_guesser_elsewhere_does_not_lock_the_owner_out(identity, clock):
    await open_company(identity)
    for _ in range(5):
        with pytest.raises(Unauthorized):
            await guess(identity, "olive@example.com", "203.0.113.66")
    for _ in range(5):
        clock.advance(20)
        with pytest.raises(Unauthorized):
            await guess(identity, "olive@example.com", "203.0.113.66")
    with pytest.raises(TooManyRequests):  # that address is locked out of that account
        await guess(identity, "olive@example.com", "203.0.113.66", PASSWORD)
    session = await guess(identity, "olive@example.com", "198.51.100.7", PASSWORD)  # the owner, at the office
    assert session.role == "owner"


async def test_one_address_spraying_many_emails_is_slowed_down(identity):
    for n in range(50):
        with pytest.raises(Unauthorized):
            await guess(identity, f"user{n}@example.com", "203.0.113.9")
    with pytest.raises(TooManyRequests):
        await guess(identity, "user50@example.com", "203.0.113.9")
