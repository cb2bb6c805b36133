"""With INVITATION_SEAL_KEY set, an invitation is handed to the notifications service: ``MemberInvited`` is
written to the outbox in the transaction that makes (or renews) the invitation, carrying the link sealed, never
in the clear; the owner is not shown the token; the sealed link opens (with the key, for that sending only) to a
link that joins."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wellflow_identity.bootstrap import create_app

KEY = bytes(range(32))


def opened(sealed: str, context: str) -> str:
    """What notifications does with the sealed link (written out here from the algorithm, AES-256-GCM)."""
    version, _, payload = sealed.partition(".")
    assert version == "v1"
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return AESGCM(KEY).decrypt(raw[:12], raw[12:], context.encode()).decode()


@pytest.fixture
async def sealing(service):
    import httpx

    changes = {"invitation_seal_key": KEY.hex(), "console_url": "https://wellflow.test/console"}
    settings = type(service.settings).model_validate(service.settings.model_dump() | changes)
    app = create_app(settings, clock=service.clock)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=str(service.client.base_url)) as client,
    ):
        yield type(service)(app, client, service.clock, settings, service.owner_url)


async def invited_events(service) -> list[dict]:
    rows = await service.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'identity.member_invited.v1' ORDER BY id"
    )
    return [json.loads(bytes(row[0])) for row in rows]


async def test_an_invitation_goes_to_notifications_sealed_and_its_link_joins(sealing):
    service = sealing
    owner = await service.sign_up()
    made = await service.client.post(
        "/api/v1/invitations", json={"email": "Lee@Example.com", "role": "pumper"}, headers=service.bearer(owner)
    )
    assert made.status_code == 201, made.text
    assert made.json()["delivery"] == "queued" and made.json()["token"] is None
    [event] = await invited_events(service)
    assert event["email"] == "lee@example.com" and event["role"] == "pumper" and event["send_count"] == 1
    assert event["organization_name"] == "Permian Basin Operating LLC" and event["invited_by_name"] == "Olive Owner"
    assert "token" not in json.dumps(event) and "wfi_" not in json.dumps(event)  # the link travels sealed only
    context = f"invitation:{made.json()['id']}:1"
    link = opened(event["sealed_link"], context)
    assert link.startswith("https://wellflow.test/console/#/accept?token=")
    with pytest.raises(InvalidTag):
        opened(event["sealed_link"], f"invitation:{made.json()['id']}:2")

    resent = await service.client.post(f"/api/v1/invitations/{made.json()['id']}/resend", headers=service.bearer(owner))
    assert resent.status_code == 200 and resent.json()["delivery"] == "queued"
    _, second = await invited_events(service)
    new_link = opened(second["sealed_link"], f"invitation:{made.json()['id']}:2")
    token = parse_qs(urlsplit(new_link).fragment.split("?", 1)[1])["token"][0]
    body = {"token": token, "password": service.password, "full_name": "Lee Ortiz"}
    accepted = await service.client.post("/api/v1/invitations/accept", json=body)
    assert accepted.status_code == 200, accepted.text
    joined = await service.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'identity.member_joined.v1' ORDER BY id"
    )
    last = json.loads(bytes(joined[-1][0]))
    assert (last["email"], last["full_name"], last["role"]) == ("lee@example.com", "Lee Ortiz", "pumper")
