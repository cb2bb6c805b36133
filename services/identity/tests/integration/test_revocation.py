"""Revocation that revokes (issue 19, item 4): identity's admin routes act on the current membership and role,
a member's deactivation or demotion revokes their API keys, and every service refuses their earlier tokens
within seconds (``identity.access_revoked.v1`` and servicekit's revocation list)."""

from __future__ import annotations

import asyncio

import pytest


async def _deactivate(service, owner: dict, member: dict) -> None:
    response = await service.client.post(
        f"/api/v1/members/{member['user_id']}/deactivate", headers=service.bearer(owner)
    )
    assert response.status_code == 200, response.text


async def _demote(service, owner: dict, member: dict, role: str = "pumper") -> None:
    response = await service.client.patch(
        f"/api/v1/members/{member['user_id']}", json={"role": role}, headers=service.bearer(owner)
    )
    assert response.status_code == 200, response.text


async def test_a_demoted_owner_can_no_longer_mint_an_owner_key_or_invite_an_owner(service):
    first = await service.sign_up()
    second = await service.invite_and_accept(first, "owner")
    await _demote(service, first, second)
    old_token = service.bearer(second)  # still says owner, for up to 15 minutes
    key = await service.client.post("/api/v1/api-keys", json={"name": "x", "role": "owner"}, headers=old_token)
    assert key.status_code in (401, 403), key.text
    invite = await service.client.post(
        "/api/v1/invitations", json={"email": "accomplice@example.com", "role": "owner"}, headers=old_token
    )
    assert invite.status_code in (401, 403), invite.text
    settings = await service.client.patch("/api/v1/organizations/current", json={"name": "Mine"}, headers=old_token)
    assert settings.status_code in (401, 403), settings.text


async def test_a_deactivated_owner_is_refused_by_every_admin_route(service):
    first = await service.sign_up()
    second = await service.invite_and_accept(first, "owner")
    await _deactivate(service, first, second)
    old_token = service.bearer(second)
    for method, path, body in [
        ("GET", "/api/v1/members", None),
        ("PATCH", f"/api/v1/members/{first['user_id']}", {"role": "auditor"}),
        ("POST", "/api/v1/api-keys", {"name": "x", "role": "owner"}),
        ("GET", "/api/v1/api-keys", None),
        ("POST", "/api/v1/invitations", {"email": "a@example.com", "role": "owner"}),
    ]:
        response = await service.client.request(method, path, json=body, headers=old_token)
        assert response.status_code == 401, (path, response.text)
    owners = (
        await service.client.get("/api/v1/members?role=owner&status=active", headers=service.bearer(first))
    ).json()
    assert [m["user_id"] for m in owners["items"]] == [first["user_id"]], "the PATCH above demoted nobody"


@pytest.mark.parametrize("change", ["deactivate", "demote"])
async def test_deactivating_or_demoting_an_owner_revokes_the_api_keys_they_created(service, change):
    first = await service.sign_up()
    second = await service.invite_and_accept(first, "owner")
    created = await service.client.post(
        "/api/v1/api-keys", json={"name": "SCADA", "role": "owner"}, headers=service.bearer(second)
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    await (_deactivate if change == "deactivate" else _demote)(service, first, second)
    exchanged = await service.client.post("/api/v1/auth/token/api-key", headers={"Authorization": f"Bearer {key}"})
    assert exchanged.status_code == 401
    listed = (await service.client.get("/api/v1/api-keys", headers=service.bearer(first))).json()
    assert listed[0]["revoked_at"] is not None


def _at_an_instant_that_rounds_up(service) -> None:
    """Tokens and the revocation share the test's fixed clock; an instant 0.6 ms into a millisecond is the one a
    rounded ``iat`` put after the revocation (the token was then never refused)."""
    service.clock.now = service.clock.now.replace(microsecond=123_600)


async def _refused_within(service, token: str, seconds: float = 10.0) -> float:
    loop = asyncio.get_running_loop()
    started = loop.time()
    while loop.time() - started < seconds:
        me = await service.client.get("/api/v1/me", headers=service.bearer(token))
        if me.status_code == 401:
            assert "revoked" in me.json()["detail"]
            return loop.time() - started
        assert me.status_code == 200
        await asyncio.sleep(0.1)
    raise AssertionError(f"the token was still accepted after {seconds} s")


async def test_a_deactivated_members_token_is_refused_everywhere_within_seconds(service):
    """/me reads only the token: what refuses it is the revocation list every service keeps (ServiceRuntime),
    fed by the event identity published."""
    _at_an_instant_that_rounds_up(service)
    owner = await service.sign_up()
    pumper = await service.invite_and_accept(owner, "pumper")
    assert (await service.client.get("/api/v1/me", headers=service.bearer(pumper))).status_code == 200
    await _deactivate(service, owner, pumper)
    await _refused_within(service, pumper["access_token"])
    assert (await service.client.get("/api/v1/me", headers=service.bearer(owner))).status_code == 200


async def test_a_revoked_api_keys_tokens_are_refused_and_a_demoted_member_refreshes_into_the_new_role(service):
    _at_an_instant_that_rounds_up(service)
    owner = await service.sign_up()
    manager = await service.invite_and_accept(owner, "manager")
    created = await service.client.post(
        "/api/v1/api-keys", json={"name": "feed", "role": "pumper"}, headers=service.bearer(owner)
    )
    key, key_id = created.json()["key"], created.json()["id"]
    token = (
        await service.client.post("/api/v1/auth/token/api-key", headers={"Authorization": f"Bearer {key}"})
    ).json()["access_token"]
    await service.client.delete(f"/api/v1/api-keys/{key_id}", headers=service.bearer(owner))
    await _refused_within(service, token)

    await _demote(service, owner, manager, "auditor")
    await _refused_within(service, manager["access_token"])
    service.clock.advance(1)  # a token issued in the second of the change is refused too
    refreshed = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": manager["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["role"] == "auditor"
    me = await service.client.get("/api/v1/me", headers=service.bearer(refreshed.json()))
    assert me.status_code == 200 and me.json()["role"] == "auditor"
