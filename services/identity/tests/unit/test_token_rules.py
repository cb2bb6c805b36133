"""Refresh tokens and API keys on in-memory repositories: rotation, a reused token revoking its whole
family, a deactivated member's sessions, sign-out, and a revoked API key."""

from __future__ import annotations

import pytest

from wellflow_identity.app.api_keys import create_api_key, revoke_api_key
from wellflow_identity.app.context import Caller
from wellflow_identity.app.sessions.machine_token import exchange_api_key
from wellflow_identity.app.sessions.refresh import refresh, sign_out
from wellflow_identity.app.sessions.sign_in import sign_in
from wellflow_identity.app.sessions.sign_up import sign_up
from wellflow_servicekit.errors import Forbidden, Unauthorized

PASSWORD = "correct horse battery staple"


async def open_company(identity, email="olive@example.com"):
    organization = {"name": "Caprock Oil & Gas"}
    return await sign_up(identity, organization=organization, email=email, password=PASSWORD, full_name="Olive Owner")


def owner_of(session):
    return Caller(id=str(session.user_id), organization_id=session.organization_id, role="owner", kind="user")


def audit_actions(database):
    return [row["action"] for row in database.stores.get("audit_log", {}).values()]


async def test_a_reused_refresh_token_revokes_its_whole_family_and_only_that_family(identity, database):
    owner = await open_company(identity)
    rotated = await refresh(identity, owner.refresh_token)
    assert rotated.refresh_token != owner.refresh_token and rotated.role == "owner"

    with pytest.raises(Unauthorized) as replay:
        await refresh(identity, owner.refresh_token)
    assert "already used" in replay.value.detail and replay.value.slug == "invalid-credentials"
    # the thief's replay also killed the legitimate holder's newer token, and the revocation was kept
    with pytest.raises(Unauthorized) as after:
        await refresh(identity, rotated.refresh_token)
    assert "revoked" in after.value.detail
    tokens = database.stores["refresh_tokens"].values()
    assert len({t["family_id"] for t in tokens}) == 1 and all(t["revoked_at"] is not None for t in tokens)
    assert audit_actions(database).count("refresh_token.reused") == 1

    other = await sign_in(identity, email="olive@example.com", password=PASSWORD, organization_id=None)
    assert (await refresh(identity, other.refresh_token)).user_id == owner.user_id


async def test_malformed_unknown_and_expired_refresh_tokens_are_refused(identity, clock):
    owner = await open_company(identity)
    for token in ("not-a-token", "wfr_" + "x" * 200, "wfr_unknown"):
        with pytest.raises(Unauthorized, match="not valid"):
            await refresh(identity, token)
    clock.advance(30 * 24 * 3600)
    with pytest.raises(Unauthorized, match="expired"):
        await refresh(identity, owner.refresh_token)


async def test_sign_out_revokes_the_family_and_unknown_tokens_are_fine(identity, database):
    owner = await open_company(identity)
    await sign_out(identity, owner.refresh_token)
    with pytest.raises(Unauthorized, match="revoked"):
        await refresh(identity, owner.refresh_token)
    await sign_out(identity, "wfr_nope")
    await sign_out(identity, owner.refresh_token)  # already revoked: nothing more to record
    assert audit_actions(database).count("sign_out") == 1


async def test_an_api_key_is_exchanged_until_revoked_and_never_mints_keys(identity, database):
    owner = await open_company(identity)
    created = await create_api_key(identity, owner_of(owner), name="SCADA feed", role="pumper")
    token = await exchange_api_key(identity, created.key)
    assert (token.role, token.organization_id) == ("pumper", owner.organization_id)
    stored = database.stores["api_keys"][created.api_key["id"]]
    assert stored["last_used_at"] is not None and created.key not in str(stored)

    as_key = Caller(id=str(created.api_key["id"]), organization_id=owner.organization_id, role="owner", kind="api_key")
    with pytest.raises(Forbidden):
        await create_api_key(identity, as_key, name="more", role="owner")
    revoked = await revoke_api_key(identity, owner_of(owner), created.api_key["id"])
    assert revoked["revoked_at"] is not None
    with pytest.raises(Unauthorized, match="revoked"):
        await exchange_api_key(identity, created.key)
    with pytest.raises(Unauthorized, match="not valid"):
        await exchange_api_key(identity, created.key[:-4] + "AAAA")


async def test_a_key_whose_creator_is_no_longer_an_active_owner_is_void(identity, database):
    """Keys made before deactivation revoked them (or rows changed by hand) still die with their creator's access."""
    owner = await open_company(identity)
    created = await create_api_key(identity, owner_of(owner), name="SCADA feed", role="owner")
    membership = database.stores["memberships"][(owner.organization_id, owner.user_id)]
    membership["role"] = "auditor"  # the key row itself stays unrevoked
    with pytest.raises(Unauthorized, match="no longer an owner"):
        await exchange_api_key(identity, created.key)
    membership.update(role="owner", status="deactivated")
    with pytest.raises(Unauthorized, match="no longer an owner"):
        await exchange_api_key(identity, created.key)


async def test_revoking_a_key_announces_its_tokens_revoked_once(identity, database):
    owner = await open_company(identity)
    created = await create_api_key(identity, owner_of(owner), name="SCADA feed", role="pumper")
    await revoke_api_key(identity, owner_of(owner), created.api_key["id"])
    await revoke_api_key(identity, owner_of(owner), created.api_key["id"])
    revoked = [e for e in database.committed if e.type == "identity.access_revoked.v1"]
    assert [(e.subjects, e.reason) for e in revoked] == [([str(created.api_key["id"])], "api_key_revoked")]


async def test_a_refresh_chain_ends_the_session_lifetime_after_sign_in(identity, clock):
    """Refreshing every few weeks would otherwise keep a session forever (each token lasted 30 days from its own
    issue); SESSION_LIFETIME_SECONDS (30 days here) ends the chain however often it was refreshed."""
    session = await open_company(identity)
    for _ in range(2):
        clock.advance(14 * 24 * 3600)
        session = await refresh(identity, session.refresh_token)  # day 14, day 28: fine
    clock.advance(3 * 24 * 3600)  # day 31: the last token was issued 3 days ago, but the session is 31 days old
    with pytest.raises(Unauthorized, match="expired"):
        await refresh(identity, session.refresh_token)


def test_iat_is_the_millisecond_rounded_down_so_no_token_reads_as_issued_after_its_own_instant():
    from datetime import UTC, datetime

    from wellflow_identity.app.context import issued_at_millis

    instant = datetime(2026, 12, 7, 9, 33, 20, 123_600, tzinfo=UTC)
    assert issued_at_millis(instant) <= instant.timestamp()
    assert instant.timestamp() - issued_at_millis(instant) < 0.001
    exact = datetime(2026, 12, 7, 9, 33, 20, 123_000, tzinfo=UTC)
    assert abs(issued_at_millis(exact) - exact.timestamp()) < 0.001
