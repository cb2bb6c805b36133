"""Invitations, roles, deactivation, the last-owner rule and tenant isolation."""

from __future__ import annotations

import asyncio
from uuid import uuid4


async def test_an_invited_pumper_accepts_signs_in_and_is_held_to_the_pumper_role(service):
    owner = await service.sign_up()
    invited = await service.client.post(
        "/api/v1/invitations", json={"email": "Pat@Example.com", "role": "pumper"}, headers=service.bearer(owner)
    )
    assert invited.status_code == 201, invited.text
    invitation = invited.json()
    assert invitation["token"].startswith("wfi_") and invitation["email"] == "pat@example.com"
    listed = await service.client.get("/api/v1/invitations", headers=service.bearer(owner))
    assert [i["id"] for i in listed.json()] == [invitation["id"]] and "token" not in listed.json()[0]

    missing_name = await service.client.post(
        "/api/v1/invitations/accept", json={"token": invitation["token"], "password": service.password}
    )
    assert missing_name.status_code == 422
    assert [e["field"] for e in missing_name.json()["errors"]] == ["body.full_name"]

    accepted = await service.client.post(
        "/api/v1/invitations/accept",
        json={"token": invitation["token"], "password": service.password, "full_name": "Pat Pumper"},
    )
    assert accepted.status_code == 200, accepted.text
    pumper = accepted.json()
    assert pumper["role"] == "pumper" and pumper["organization_id"] == owner["organization_id"]
    reused = await service.client.post(
        "/api/v1/invitations/accept",
        json={"token": invitation["token"], "password": service.password, "full_name": "Pat Again"},
    )
    assert reused.status_code == 409

    assert (await service.sign_in("pat@example.com")).status_code == 200
    forbidden = await service.client.get("/api/v1/members", headers=service.bearer(pumper))
    assert forbidden.status_code == 403 and forbidden.json()["resource"] == "members"
    assert (
        await service.client.get("/api/v1/organizations/current", headers=service.bearer(pumper))
    ).status_code == 200

    events = await service.owner_query(
        "SELECT event_type FROM outbox WHERE tenant_id = :org ORDER BY id", org=owner["organization_id"]
    )
    assert [e.event_type for e in events].count("identity.member_joined.v1") == 2


async def test_members_are_listed_paginated_and_filtered(service):
    owner = await service.sign_up()
    for role in ("pumper", "pumper", "accountant"):
        await service.invite_and_accept(owner, role)
    page = (await service.client.get("/api/v1/members?limit=2", headers=service.bearer(owner))).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["limit"] == 2
    pumpers = (await service.client.get("/api/v1/members?role=pumper", headers=service.bearer(owner))).json()
    assert pumpers["total"] == 2 and {m["role"] for m in pumpers["items"]} == {"pumper"}
    too_many = await service.client.get("/api/v1/members?limit=5000", headers=service.bearer(owner))
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "query.limit"


async def test_an_owner_changes_a_role_and_the_change_is_recorded(service):
    owner = await service.sign_up()
    pumper = await service.invite_and_accept(owner, "pumper")
    changed = await service.client.patch(
        f"/api/v1/members/{pumper['user_id']}", json={"role": "manager"}, headers=service.bearer(owner)
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "manager"
    # the next refresh carries the new role (a moment later: the test's clock stands still, and a token issued in
    # the very instant of the change is one the change's revocation refuses)
    service.clock.advance(1)
    refreshed = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": pumper["refresh_token"]})
    assert refreshed.json()["role"] == "manager"
    not_owner = await service.client.patch(
        f"/api/v1/members/{owner['user_id']}", json={"role": "pumper"}, headers=service.bearer(refreshed.json())
    )
    assert not_owner.status_code == 403

    events = await service.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'identity.member_role_changed.v1' AND tenant_id = :org",
        org=owner["organization_id"],
    )
    assert len(events) == 1
    audit = (
        await service.client.get("/api/v1/audit-log?action=member.role_changed", headers=service.bearer(owner))
    ).json()
    assert audit[0]["subject_id"] == pumper["user_id"] and audit[0]["details"]["to_role"] == "manager"


async def test_a_deactivated_member_cannot_refresh_and_the_event_is_recorded(service):
    owner = await service.sign_up()
    pumper = await service.invite_and_accept(owner, "pumper")
    deactivated = await service.client.post(
        f"/api/v1/members/{pumper['user_id']}/deactivate", headers=service.bearer(owner)
    )
    assert deactivated.status_code == 200 and deactivated.json()["status"] == "deactivated"
    refresh = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": pumper["refresh_token"]})
    assert refresh.status_code == 401
    assert (await service.sign_in(pumper["email"])).status_code == 401
    events = await service.owner_query(
        "SELECT count(*) FROM outbox WHERE event_type = 'identity.member_deactivated.v1' AND tenant_id = :org",
        org=owner["organization_id"],
    )
    assert events[0][0] == 1


async def test_the_last_owner_can_be_neither_demoted_nor_deactivated(service):
    owner = await service.sign_up()
    me = owner["user_id"]
    demote = await service.client.patch(
        f"/api/v1/members/{me}", json={"role": "manager"}, headers=service.bearer(owner)
    )
    assert demote.status_code == 409 and demote.json()["type"].endswith("/last-owner")
    deactivate = await service.client.post(f"/api/v1/members/{me}/deactivate", headers=service.bearer(owner))
    assert deactivate.status_code == 409

    second = await service.invite_and_accept(owner, "owner")
    demote = await service.client.patch(
        f"/api/v1/members/{me}", json={"role": "manager"}, headers=service.bearer(owner)
    )
    assert demote.status_code == 200
    last = await service.client.post(f"/api/v1/members/{second['user_id']}/deactivate", headers=service.bearer(second))
    assert last.status_code == 409


async def test_a_member_of_one_organization_gets_404_for_another_organizations_member(service):
    alpha = await service.sign_up(org="Alpha Energy")
    bravo = await service.sign_up(org="Bravo Petroleum")
    target = bravo["user_id"]
    for method, path, body in [
        ("GET", f"/api/v1/members/{target}", None),
        ("PATCH", f"/api/v1/members/{target}", {"role": "pumper"}),
        ("POST", f"/api/v1/members/{target}/deactivate", None),
    ]:
        response = await service.client.request(method, path, json=body, headers=service.bearer(alpha))
        assert response.status_code == 404, (method, path, response.text)
    members = (await service.client.get("/api/v1/members", headers=service.bearer(alpha))).json()
    assert [m["user_id"] for m in members["items"]] == [alpha["user_id"]]
    assert (await service.client.get(f"/api/v1/members/{uuid4()}", headers=service.bearer(alpha))).status_code == 404


async def test_two_owners_demoting_each_other_at_once_leave_exactly_one_owner(service):
    first = await service.sign_up()
    second = await service.invite_and_accept(first, "owner")
    results = await asyncio.gather(
        service.client.patch(
            f"/api/v1/members/{second['user_id']}", json={"role": "auditor"}, headers=service.bearer(first)
        ),
        service.client.patch(
            f"/api/v1/members/{first['user_id']}", json={"role": "auditor"}, headers=service.bearer(second)
        ),
    )
    # The loser is an auditor by the time its change runs: its current role may not change roles (403), whatever
    # its token still says.
    assert sorted(r.status_code for r in results) == [200, 403]
    winner = first if results[0].status_code == 200 else second
    owners = (await service.client.get("/api/v1/members?role=owner", headers=service.bearer(winner))).json()
    assert owners["total"] == 1


async def test_a_forged_tenant_header_changes_nothing_the_tenant_comes_from_the_token(service):
    alpha = await service.sign_up(org="Alpha Energy")
    bravo = await service.sign_up(org="Bravo Petroleum")
    forged = {
        **service.bearer(alpha),
        "X-Organization-Id": bravo["organization_id"],
        "X-Tenant-Id": bravo["organization_id"],
    }
    members = (await service.client.get("/api/v1/members", headers=forged)).json()
    assert [m["user_id"] for m in members["items"]] == [alpha["user_id"]]
    current = (await service.client.get("/api/v1/organizations/current", headers=forged)).json()
    assert current["organization_id"] == alpha["organization_id"]
