"""How far a token is trusted: only access tokens (``typ``), signing keys no longer than documented once
withdrawn, and no token of someone whose access was revoked (issue 19, items 4 and 7)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from fastapi import APIRouter, FastAPI

from wellflow_contracts import encode, to_headers
from wellflow_contracts.events.identity import AccessRevoked
from wellflow_contracts.subjects import event_subject
from wellflow_servicekit.auth import CurrentPrincipal, Principal
from wellflow_servicekit.http import create_app
from wellflow_servicekit.metrics import Metrics
from wellflow_servicekit.problems import ServiceUnavailable, Unauthorized
from wellflow_servicekit.revocation import RevocationFeed, RevocationList
from wellflow_servicekit.settings import ServiceSettings

from .conftest import ORG, FakeClock, Identity, running


@pytest.mark.parametrize("typ", [None, "JWT", "id+jwt", "refresh"])
async def test_only_tokens_typed_as_access_tokens_are_accepted(identity: Identity, typ: str | None) -> None:
    with pytest.raises(Unauthorized) as error:
        await identity.verifier().verify(identity.token(typ=typ))
    assert "at+jwt" in (error.value.detail or "")


@pytest.mark.parametrize("typ", ["at+jwt", "AT+JWT", "application/at+jwt"])
async def test_access_token_types_of_rfc_9068_are_accepted(identity: Identity, typ: str) -> None:
    assert (await identity.verifier().verify(identity.token(typ=typ))).organization_id == ORG


async def test_a_withdrawn_key_is_dropped_at_the_next_refresh(identity: Identity) -> None:
    clock = FakeClock()
    verifier = identity.verifier(clock=clock, max_key_age=300, min_refetch_interval=30)
    token = identity.token()
    await verifier.verify(token)
    identity.publish({"ed-2": ed25519.Ed25519PrivateKey.generate()})  # ed-1 withdrawn
    clock.advance(301)
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_while_identity_is_down_cached_keys_are_trusted_no_longer_than_max_stale(identity: Identity) -> None:
    clock = FakeClock()
    verifier = identity.verifier(clock=clock, max_key_age=300, max_stale=3600, min_refetch_interval=30)
    await verifier.verify(identity.token())
    identity.jwks_status = 503
    clock.advance(3500)
    await verifier.verify(identity.token())  # stale, identity unreachable: still within max_stale
    clock.advance(101)
    with pytest.raises(ServiceUnavailable):
        await verifier.verify(identity.token())
    identity.jwks_status = 200
    clock.advance(30)
    await verifier.verify(identity.token())


def test_the_settings_give_the_jwks_bounds_to_the_verifier(settings: ServiceSettings) -> None:
    from wellflow_servicekit.auth import JwksTokenVerifier

    verifier = JwksTokenVerifier.from_settings(settings)
    assert (verifier.max_key_age, verifier.max_stale) == (
        settings.jwks_refresh_seconds,
        settings.jwks_max_stale_seconds,
    )


# --- revocation ------------------------------------------------------------------------------------


def principal(subject: str = "u-1", issued_at: int | None = 1000, org: UUID = ORG) -> Principal:
    return Principal(subject=subject, organization_id=org, role="owner", issued_at=issued_at)


def test_tokens_issued_up_to_the_second_of_a_revocation_are_refused() -> None:
    revocations = RevocationList(clock=lambda: 1000.0)
    revocations.revoke(ORG, ["u-1", "key-1"], 1000.4)
    assert revocations.refuses(principal(issued_at=999))
    assert revocations.refuses(principal(issued_at=1000))
    assert revocations.refuses(principal("key-1"))
    assert not revocations.refuses(principal(issued_at=1001)), "a token issued after the change is fine"
    assert not revocations.refuses(principal("u-2")), "someone else"
    assert not revocations.refuses(principal(org=UUID(int=7))), "the same person in another organization"


def test_revocations_are_forgotten_once_every_token_they_refuse_has_expired() -> None:
    clock = FakeClock()
    revocations = RevocationList(horizon=3660, clock=clock)
    revocations.revoke(ORG, ["u-1"], clock())
    clock.advance(3661)
    revocations.purge()
    assert len(revocations) == 0
    revocations.revoke(ORG, ["u-1"], clock() - 4000)
    assert len(revocations) == 0


router = APIRouter()


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict[str, str]:
    return {"subject": principal.subject}


async def test_a_service_refuses_a_revoked_members_token_even_from_its_cache(
    settings: ServiceSettings, identity: Identity
) -> None:
    app: FastAPI = create_app(
        settings=settings,
        title="t",
        version="1",
        metrics=Metrics(),
        routers=[router],
        token_verifier=identity.verifier(),
    )
    app.state.revocations = revocations = RevocationList()
    token = identity.token(sub="u-1", iat=int(time.time()) - 5)
    async with running(app) as client:
        assert (await client.get("/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200
        revocations.revoke(ORG, ["u-1"], time.time())
        refused = await client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


class FakeMsg:
    def __init__(self, subject: str, event: AccessRevoked) -> None:
        self.subject = subject
        self.headers, self.data = to_headers(event, source="identity"), encode(event)


async def test_the_feed_applies_revocations_only_on_their_own_organizations_subject() -> None:
    revocations = RevocationList()
    feed = RevocationFeed(broker=None, revocations=revocations, subject_root="wellflow")  # type: ignore[arg-type]
    event = AccessRevoked(
        tenant_id=ORG, subjects=["u-1"], reason="member_deactivated", revoked_at=datetime.now(UTC), user_id=uuid4()
    )
    await feed._on_message(FakeMsg(event_subject(uuid4(), event.type), event))  # type: ignore[arg-type]
    assert len(revocations) == 0
    await feed._on_message(FakeMsg(event_subject(ORG, event.type), event))  # type: ignore[arg-type]
    assert revocations.refuses(principal(issued_at=int(time.time()) - 1))
