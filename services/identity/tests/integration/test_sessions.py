"""Signing up, in and out, refreshing, switching organization, and the tokens that come out."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from uuid import UUID

import jwt
import pytest

from wellflow_servicekit.problems import Unauthorized
from wellflow_servicekit.testing import until


async def test_sign_up_creates_the_organization_and_its_owner_and_records_both_events(service):
    session = await service.sign_up(org="Caprock Oil & Gas")
    assert session["role"] == "owner" and session["token_type"] == "Bearer"
    assert session["refresh_token"].startswith("wfr_")
    principal = await service.verifier().verify(session["access_token"])
    assert principal.organization_id == UUID(session["organization_id"])
    assert principal.subject == session["user_id"] and principal.role == "owner" and principal.kind == "user"

    claims = jwt.decode(session["access_token"], options={"verify_signature": False})
    assert set(claims) >= {"sub", "org", "role", "iss", "aud", "exp", "iat", "jti", "kind"}
    assert abs(claims["exp"] - claims["iat"] - 900) < 1  # iat to the millisecond, exp in whole seconds
    assert jwt.get_unverified_header(session["access_token"])["alg"] == "EdDSA"

    events = await service.owner_query(
        "SELECT event_type FROM outbox WHERE tenant_id = :org ORDER BY id", org=session["organization_id"]
    )
    assert [e.event_type for e in events] == [
        "identity.organization_created.v1",
        "identity.organization_updated.v1",  # the profile as it starts, for the services that print it
        "identity.member_joined.v1",
    ]

    async def all_published() -> bool:  # the relay publishes them to JetStream and marks them sent
        pending = await service.owner_query("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        return pending[0][0] == 0

    await until(all_published, timeout=10, what="the relay published the sign-up's events", every=0.05)

    current = await service.client.get("/api/v1/organizations/current", headers=service.bearer(session))
    assert current.status_code == 200
    assert current.json()["name"] == "Caprock Oil & Gas" and current.json()["rrc_operator_number"] == "123456"


async def test_sign_in_answers_tokens_and_a_wrong_password_looks_exactly_like_an_unknown_email(service):
    owner = await service.sign_up()
    response = await service.sign_in(owner["email"].upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["organization_id"] == owner["organization_id"] and body["role"] == "owner"
    assert body["expires_in"] == 900 and response.headers["cache-control"] == "no-store"

    wrong = await service.sign_in(owner["email"], "not the password at all")
    unknown = await service.sign_in("nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: {k: v for k, v in r.json().items() if k != "request_id"}  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert wrong.headers["content-type"] == "application/problem+json"


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family(service):
    owner = await service.sign_up()
    first = owner["refresh_token"]
    rotated = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    await service.verifier().verify(rotated.json()["access_token"])

    replay = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    assert "already used" in replay.json()["detail"]
    # the thief's replay also killed the legitimate holder's newer token
    after = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401

    # another sign-in (another family) is unaffected
    other = (await service.sign_in(owner["email"])).json()
    assert (
        await service.client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    ).status_code == 200


async def test_sign_out_revokes_the_refresh_token_family(service):
    owner = await service.sign_up()
    out = await service.client.post("/api/v1/auth/signout", json={"refresh_token": owner["refresh_token"]})
    assert out.status_code == 204
    again = await service.client.post("/api/v1/auth/refresh", json={"refresh_token": owner["refresh_token"]})
    assert again.status_code == 401
    assert (await service.client.post("/api/v1/auth/signout", json={"refresh_token": "wfr_nope"})).status_code == 204


async def test_a_person_in_two_organizations_signs_in_to_either_and_switches_between_them(service):
    person = await service.sign_up(org="Alpha Energy")
    other_owner = await service.sign_up(org="Bravo Petroleum")
    joined = await service.invite_and_accept(other_owner, "accountant", email=person["email"], full_name=None)
    assert joined["organization_id"] == other_owner["organization_id"] and joined["role"] == "accountant"

    into_bravo = await service.sign_in(person["email"], organization_id=other_owner["organization_id"])
    assert into_bravo.status_code == 200 and into_bravo.json()["role"] == "accountant"
    assert {o["name"] for o in into_bravo.json()["organizations"]} == {"Alpha Energy", "Bravo Petroleum"}

    switched = await service.client.post(
        "/api/v1/auth/switch-organization",
        json={"organization_id": person["organization_id"]},
        headers=service.bearer(into_bravo.json()),
    )
    assert switched.status_code == 200, switched.text
    principal = await service.verifier().verify(switched.json()["access_token"])
    assert str(principal.organization_id) == person["organization_id"] and principal.role == "owner"

    me = await service.client.get("/api/v1/me", headers=service.bearer(switched.json()))
    assert me.json()["email"] == person["email"] and len(me.json()["organizations"]) == 2

    stranger = await service.sign_up(org="Charlie Resources")
    refused = await service.client.post(
        "/api/v1/auth/switch-organization",
        json={"organization_id": stranger["organization_id"]},
        headers=service.bearer(person),
    )
    assert refused.status_code == 404


async def test_failed_sign_ins_slow_down_then_lock_the_account_and_success_resets(service):
    owner = await service.sign_up()
    email = owner["email"]
    for _ in range(5):
        assert (await service.sign_in(email, "wrong password guess")).status_code == 401
    waits = []
    for _ in range(5):
        throttled = await service.sign_in(email, service.password)  # even the right password must wait
        assert throttled.status_code == 429, throttled.text
        waits.append(int(throttled.headers["retry-after"]))
        service.clock.advance(waits[-1])
        assert (await service.sign_in(email, "wrong password guess")).status_code == 401
    assert waits == [1, 2, 4, 8, 16]
    locked = await service.sign_in(email, service.password)
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) == 900
    assert locked.json()["retry_after"] == 900

    service.clock.advance(900)
    assert (await service.sign_in(email, service.password)).status_code == 200
    # the success reset the count: five more free failures
    for _ in range(5):
        assert (await service.sign_in(email, "wrong password guess")).status_code == 401
    rows = await service.owner_query("SELECT count(*) FROM account_events WHERE action = 'account.locked'")
    assert rows[0][0] == 1
    metrics = (await service.client.get("/metrics")).text
    assert 'identity_sign_ins_total{outcome="throttled"} 6.0' in metrics
    assert 'identity_sign_ins_total{outcome="failed"} 15.0' in metrics


async def test_key_rotation_signs_with_the_new_key_and_keeps_the_old_one_published(service):
    from wellflow_identity.entrypoints.cli import list_keys, rotate_keys

    owner = await service.sign_up()
    old_kid = jwt.get_unverified_header(owner["access_token"])["kid"]
    new_kid = await rotate_keys(service.settings)
    assert new_kid != old_kid
    await service.identity.keys.reload()

    kids = [k["kid"] for k in (await service.client.get("/.well-known/jwks.json")).json()["keys"]]
    assert set(kids) == {old_kid, new_kid}
    fresh = (await service.sign_in(owner["email"])).json()
    assert jwt.get_unverified_header(fresh["access_token"])["kid"] == new_kid
    verifier = service.verifier()
    await verifier.verify(owner["access_token"])  # signed by the old key, still valid
    await verifier.verify(fresh["access_token"])
    assert any("retires" in line for line in await list_keys(service.settings))

    # two token lifetimes after the rotation (which ran on the real clock) the old key is gone
    service.clock.now = max(service.clock.now, datetime.now(UTC))
    service.clock.advance(2 * 900 + 1)
    await service.identity.keys.reload()
    kids = [k["kid"] for k in (await service.client.get("/.well-known/jwks.json")).json()["keys"]]
    assert kids == [new_kid]
    with pytest.raises(Unauthorized):
        await service.verifier().verify(owner["access_token"])


async def test_private_signing_keys_are_stored_encrypted(service):
    rows = await service.owner_query("SELECT public_jwk, private_key_encrypted FROM signing_keys")
    assert rows
    for public_jwk, blob in rows:
        assert "d" not in public_jwk  # no private part in what we publish
        assert len(blob) == 12 + 32 + 16  # nonce + Ed25519 seed + GCM tag, never the bare seed


async def test_the_rotate_keys_command_runs_from_the_service_environment(service, identity_db):
    env = {
        **os.environ,
        "SERVICE_NAME": "identity",
        "DATABASE_URL": identity_db.runtime_url,
        "NATS_URL": service.settings.nats_url,
        "JWKS_URL": service.settings.jwks_url,
        "JWT_ISSUER": service.settings.jwt_issuer,
        "JWT_AUDIENCE": service.settings.jwt_audience,
        "KEY_ENCRYPTION_KEY": service.settings.key_encryption_key.get_secret_value(),
    }
    command = [sys.executable, "-m", "wellflow_identity.entrypoints.cli"]
    rotated = await asyncio.to_thread(
        subprocess.run, [*command, "rotate-keys"], env=env, capture_output=True, text=True, timeout=60
    )
    assert rotated.returncode == 0, rotated.stderr
    new_kid = rotated.stdout.split()[3].rstrip(";")
    await service.identity.keys.reload()
    kids = [k["kid"] for k in (await service.client.get("/.well-known/jwks.json")).json()["keys"]]
    assert len(kids) == 2 and new_kid in kids

    wrong_key = {**env, "KEY_ENCRYPTION_KEY": "a different secret that is long enough!!"}
    refused = await asyncio.to_thread(
        subprocess.run, [*command, "rotate-keys"], env=wrong_key, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1 and "cannot be decrypted" in refused.stderr
