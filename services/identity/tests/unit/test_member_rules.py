"""Members and invitations on in-memory repositories: the last owner stays, a deactivated member loses
their sessions, and an invitation is used once, before it expires, by someone not yet a member."""

from __future__ import annotations

import pytest

from wellflow_identity.app.context import Caller
from wellflow_identity.app.members.accept import accept_invitation
from wellflow_identity.app.members.invite import invite
from wellflow_identity.app.members.roles import change_role, deactivate
from wellflow_identity.app.sessions.refresh import refresh
from wellflow_identity.app.sessions.sign_up import sign_up
from wellflow_servicekit.errors import Conflict, NotFound, Problem, Unauthorized, UnprocessableContent

PASSWORD = "correct horse battery staple"


async def open_company(identity, email="olive@example.com", name="Caprock Oil & Gas"):
    organization = {"name": name}
    return await sign_up(identity, organization=organization, email=email, password=PASSWORD, full_name="Olive Owner")


def acting(session):
    return Caller(id=str(session.user_id), organization_id=session.organization_id, role=session.role, kind="user")


async def join(identity, owner, role, email):
    invited = await invite(identity, acting(owner), email=email, role=role)
    return await accept_invitation(identity, token=invited.token, password=PASSWORD, full_name="Pat Member")


def event_types(database):
    return [event.type for event in database.committed]


async def test_the_last_owner_can_be_neither_demoted_nor_deactivated(identity, database):
    owner = await open_company(identity)
    with pytest.raises(Conflict) as demoted:
        await change_role(identity, acting(owner), owner.user_id, "manager")
    assert demoted.value.slug == "last-owner"
    with pytest.raises(Conflict) as deactivated:
        await deactivate(identity, acting(owner), owner.user_id)
    assert deactivated.value.slug == "last-owner"
    assert "identity.member_role_changed.v1" not in event_types(database)

    second = await join(identity, owner, "owner", "second@example.com")
    assert (await change_role(identity, acting(owner), owner.user_id, "manager"))["role"] == "manager"
    with pytest.raises(Conflict):
        await deactivate(identity, acting(second), second.user_id)
    assert event_types(database).count("identity.member_role_changed.v1") == 1


async def test_a_role_change_to_the_same_role_changes_nothing_and_unknown_members_are_404(identity, database):
    owner = await open_company(identity)
    pumper = await join(identity, owner, "pumper", "pat@example.com")
    unchanged = await change_role(identity, acting(owner), pumper.user_id, "pumper")
    assert unchanged["role"] == "pumper" and "identity.member_role_changed.v1" not in event_types(database)
    stranger = await open_company(identity, email="bravo@example.com", name="Bravo Petroleum")
    with pytest.raises(NotFound):
        await change_role(identity, acting(owner), stranger.user_id, "pumper")


async def test_a_deactivated_member_loses_every_session_and_may_be_invited_back(identity, database):
    owner = await open_company(identity)
    pumper = await join(identity, owner, "pumper", "pat@example.com")
    member = await deactivate(identity, acting(owner), pumper.user_id)
    assert member["status"] == "deactivated"
    with pytest.raises(Unauthorized, match="revoked"):
        await refresh(identity, pumper.refresh_token)
    assert event_types(database).count("identity.member_deactivated.v1") == 1

    back = await join(identity, owner, "accountant", "pat@example.com")  # an existing account: password only
    assert back.user_id == pumper.user_id and back.role == "accountant"


async def test_an_invitation_is_used_once_and_not_by_a_member_and_not_after_it_expires(identity, clock):
    owner = await open_company(identity)
    invited = await invite(identity, acting(owner), email="Pat@Example.com", role="pumper")
    assert invited.invitation["email"] == "pat@example.com"
    with pytest.raises(UnprocessableContent) as unnamed:
        await accept_invitation(identity, token=invited.token, password=PASSWORD, full_name=None)
    assert [e["field"] for e in unnamed.value.errors] == ["body.full_name"]
    await accept_invitation(identity, token=invited.token, password=PASSWORD, full_name="Pat Pumper")
    with pytest.raises(Conflict) as used:
        await accept_invitation(identity, token=invited.token, password=PASSWORD, full_name="Pat Again")
    assert used.value.slug == "invitation-used"
    with pytest.raises(Conflict) as member:
        await invite(identity, acting(owner), email="pat@example.com", role="manager")
    assert member.value.slug == "already-a-member"

    late = await invite(identity, acting(owner), email="late@example.com", role="auditor")
    clock.advance(7 * 24 * 3600)
    with pytest.raises(Problem) as expired:
        await accept_invitation(identity, token=late.token, password=PASSWORD, full_name="Lee Late")
    assert expired.value.status == 410
    with pytest.raises(NotFound):
        await accept_invitation(identity, token="wfi_unknown", password=PASSWORD, full_name="Nobody")
