"""API keys: created by an owner, shown once, exchanged for access tokens, revocable."""

from __future__ import annotations


async def test_an_api_key_is_shown_once_exchanged_for_a_token_and_dies_when_revoked(service):
    owner = await service.sign_up()
    created = await service.client.post(
        "/api/v1/api-keys", json={"name": "SCADA feed", "role": "pumper"}, headers=service.bearer(owner)
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    key_id = created.json()["id"]
    assert key.startswith(f"wfk_{key_id.replace('-', '')}_")
    listed = (await service.client.get("/api/v1/api-keys", headers=service.bearer(owner))).json()
    assert [k["id"] for k in listed] == [key_id] and "key" not in listed[0]

    exchanged = await service.client.post("/api/v1/auth/token/api-key", headers={"Authorization": f"Bearer {key}"})
    assert exchanged.status_code == 200, exchanged.text
    body = exchanged.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and body["role"] == "pumper"
    principal = await service.verifier().verify(body["access_token"])
    assert principal.kind == "api_key" and principal.subject == key_id
    assert str(principal.organization_id) == owner["organization_id"]
    minting = await service.client.post(
        "/api/v1/api-keys", json={"name": "x", "role": "owner"}, headers=service.bearer(body["access_token"])
    )
    assert minting.status_code == 403  # a pumper key, and keys never mint keys anyway
    me = (await service.client.get("/api/v1/me", headers=service.bearer(body["access_token"]))).json()
    assert me["kind"] == "api_key" and me["api_key_id"] == key_id

    used = (await service.client.get("/api/v1/audit-log?action=api_key.used", headers=service.bearer(owner))).json()
    assert len(used) == 1 and used[0]["actor_id"] == key_id

    revoked = await service.client.delete(f"/api/v1/api-keys/{key_id}", headers=service.bearer(owner))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused = await service.client.post("/api/v1/auth/token/api-key", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"


async def test_wrong_or_malformed_api_keys_are_401_and_only_owners_manage_keys(service):
    owner = await service.sign_up()
    created = (
        await service.client.post(
            "/api/v1/api-keys", json={"name": "feed", "role": "auditor"}, headers=service.bearer(owner)
        )
    ).json()
    tampered = created["key"][:-4] + "AAAA"
    for value in (tampered, "wfk_nope", "not-a-key", ""):
        response = await service.client.post("/api/v1/auth/token/api-key", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401, value
    manager = await service.invite_and_accept(owner, "manager")
    assert (
        await service.client.post(
            "/api/v1/api-keys", json={"name": "x", "role": "owner"}, headers=service.bearer(manager)
        )
    ).status_code == 403
    assert (await service.client.get("/api/v1/api-keys", headers=service.bearer(manager))).status_code == 403
    other = await service.sign_up()
    assert (
        await service.client.delete(f"/api/v1/api-keys/{created['id']}", headers=service.bearer(other))
    ).status_code == 404


async def test_even_an_owner_role_api_key_cannot_mint_more_api_keys(service):
    owner = await service.sign_up()
    key = (
        await service.client.post(
            "/api/v1/api-keys", json={"name": "ops", "role": "owner"}, headers=service.bearer(owner)
        )
    ).json()["key"]
    token = (
        await service.client.post("/api/v1/auth/token/api-key", headers={"Authorization": f"Bearer {key}"})
    ).json()["access_token"]
    minted = await service.client.post(
        "/api/v1/api-keys", json={"name": "x", "role": "owner"}, headers=service.bearer(token)
    )
    assert minted.status_code == 403
    assert (await service.client.get("/api/v1/api-keys", headers=service.bearer(token))).status_code == 200
