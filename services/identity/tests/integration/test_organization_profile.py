"""The organization's profile: the owner fills it in (validated, audited, published as
identity.organization_updated.v1 through the outbox), every member reads it, nobody else changes it."""

from __future__ import annotations

import base64
import json
import struct
import zlib

from wellflow_servicekit.testing import until

PATH = "/api/v1/organizations/current"


def tiny_png() -> bytes:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND), so a PDF renderer can draw it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x8b\x45\x13")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def data_url(data: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


PROFILE = {
    "legal_name": "Caprock Energy LLC",
    "mailing_address": {
        "line1": "410 N Main St",
        "line2": "Suite 200",
        "city": "Midland",
        "state": "tx",
        "postal_code": "79701",
    },
    "phone": "(432) 555-0142",
    "email": "Owners@CaprockEnergy.example",
    "rrc_operator_number": "130742",
    "tax_id": "75-1234567",
}


async def test_the_owner_fills_in_the_profile_and_every_member_reads_it(service):
    owner = await service.sign_up(org="Caprock Energy")
    pumper = await service.invite_and_accept(owner, "pumper")
    before = (await service.client.get(PATH, headers=service.bearer(owner))).json()
    assert before["version"] == 1 and set(before["missing"]) == {"legal_name", "mailing_address", "phone"}

    response = await service.client.patch(
        PATH, json={**PROFILE, "logo": data_url(tiny_png())}, headers=service.bearer(owner)
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["mailing_address"] == {
        "line1": "410 N Main St",
        "line2": "Suite 200",
        "city": "Midland",
        "state": "TX",
        "postal_code": "79701",
    }
    assert (saved["phone"], saved["email"], saved["tax_id"]) == (
        "432-555-0142",
        "owners@caprockenergy.example",
        "**-***4567",
    )
    assert saved["logo"] == data_url(tiny_png()) and saved["missing"] == [] and saved["version"] == 2

    seen = (await service.client.get(PATH, headers=service.bearer(pumper))).json()
    assert seen["legal_name"] == "Caprock Energy LLC" and seen["logo_sha256"] == saved["logo_sha256"]

    # Sending the same values again changes nothing: no new version, no event, no audit entry.
    again = await service.client.patch(PATH, json={"phone": "432-555-0142"}, headers=service.bearer(owner))
    assert again.json()["version"] == 2
    cleared = await service.client.patch(PATH, json={"logo": None, "phone": None}, headers=service.bearer(owner))
    assert cleared.json()["logo"] is None and cleared.json()["missing"] == ["phone"] and cleared.json()["version"] == 3

    trail = await service.client.get("/api/v1/audit-log?action=organization.updated", headers=service.bearer(owner))
    assert [entry["details"]["fields"] for entry in trail.json()] == [
        ["logo", "phone"],
        ["email", "legal_name", "logo", "mailing_address", "phone", "rrc_operator_number", "tax_id"],
    ]


async def test_each_change_is_published_whole_through_the_outbox(service):
    owner = await service.sign_up(org="Caprock Energy")
    await service.client.patch(PATH, json={**PROFILE, "logo": data_url(tiny_png())}, headers=service.bearer(owner))
    org = owner["organization_id"]

    async def published() -> bool:
        rows = await service.owner_query(
            "SELECT count(*) FROM outbox WHERE tenant_id = :org AND published_at IS NULL", org=org
        )
        return rows[0][0] == 0

    await until(published, timeout=10, what="the relay published the profile events", every=0.05)
    rows = await service.owner_query(
        "SELECT payload FROM outbox WHERE tenant_id = :org AND event_type = 'identity.organization_updated.v1' "
        "ORDER BY id",
        org=org,
    )
    first, second = (json.loads(bytes(row.payload)) for row in rows)
    assert (first["version"], first["name"], first["mailing_address"], first["phone"]) == (
        1,
        "Caprock Energy",
        None,
        None,
    )
    assert second["version"] == 2 and second["legal_name"] == "Caprock Energy LLC"
    assert second["mailing_address"]["city"] == "Midland" and second["phone"] == "432-555-0142"
    assert second["logo"]["content_type"] == "image/png"
    assert base64.b64decode(second["logo"]["data_base64"]) == tiny_png()
    assert "tax_id" not in second  # the company's EIN stays in identity


async def test_bad_values_are_refused_naming_the_field_and_change_nothing(service):
    owner = await service.sign_up()
    headers = service.bearer(owner)
    gif = data_url(b"GIF89a\x01\x00\x01\x00", "image/gif")
    cases = [
        ({"phone": "555-0142"}, "body.phone"),
        ({"phone": "call me"}, "body.phone"),
        ({"logo": gif}, "body.logo"),
        ({"logo": data_url(b"not really a png")}, "body.logo"),
        ({"logo": data_url(b"\x89PNG\r\n\x1a\n" + bytes(70 * 1024))}, "body.logo"),
        ({"logo": "https://example.com/logo.png"}, "body.logo"),
        (
            {"mailing_address": {"line1": "1 Main", "city": "Midland", "state": "Texas", "postal_code": "79701"}},
            "body.mailing_address.state",
        ),
        ({"mailing_address": {"line1": "1 Main", "state": "TX", "postal_code": "79701"}}, "body.mailing_address.city"),
        (
            {"mailing_address": {"line1": "1 Main", "city": "M", "state": "TX", "postal_code": "7970"}},
            "body.mailing_address.postal_code",
        ),
        ({"rrc_operator_number": "12345"}, "body.rrc_operator_number"),
        ({"tax_id": "12-345"}, "body.tax_id"),
        ({"email": "owners at caprock"}, "body.email"),
        ({"website": "caprock.example"}, "body.website"),
    ]
    for body, field in cases:
        response = await service.client.patch(PATH, json={"legal_name": "Should Not Stick", **body}, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in [error["field"] for error in response.json()["errors"]], (body, response.json())
    after = (await service.client.get(PATH, headers=headers)).json()
    assert after["version"] == 1 and after["legal_name"] is None


async def test_only_the_owner_changes_the_profile(service):
    owner = await service.sign_up()
    for role in ("manager", "accountant", "pumper", "auditor"):
        member = await service.invite_and_accept(owner, role)
        refused = await service.client.patch(PATH, json={"phone": "432-555-0100"}, headers=service.bearer(member))
        assert refused.status_code == 403, (role, refused.text)
        assert (await service.client.get(PATH, headers=service.bearer(member))).status_code == 200
    after = (await service.client.get(PATH, headers=service.bearer(owner))).json()
    assert after["phone"] is None and after["version"] == 1
    published = await service.owner_query(
        "SELECT count(*) FROM outbox WHERE tenant_id = :org AND event_type = 'identity.organization_updated.v1'",
        org=owner["organization_id"],
    )
    assert published[0][0] == 1  # sign-up's only


async def test_an_organization_from_before_profiles_publishes_on_its_first_save(service):
    owner = await service.sign_up(org="Older Oil")
    org = owner["organization_id"]
    from sqlalchemy import text

    from wellflow_servicekit.database import Database

    database = Database(service.owner_url, service="identity", pool_size=1)
    try:  # as migration 0003 leaves an organization created before it
        async with database.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE organizations NO FORCE ROW LEVEL SECURITY"))
            await conn.execute(
                text("UPDATE organizations SET profile_published_at = NULL WHERE organization_id = :org"), {"org": org}
            )
            await conn.execute(text("ALTER TABLE organizations FORCE ROW LEVEL SECURITY"))
    finally:
        await database.dispose()

    first = await service.client.patch(PATH, json={"name": "Older Oil"}, headers=service.bearer(owner))
    second = await service.client.patch(PATH, json={"name": "Older Oil"}, headers=service.bearer(owner))
    assert (first.json()["version"], second.json()["version"]) == (2, 2)  # published once, then nothing new
    rows = await service.owner_query(
        "SELECT count(*) FROM outbox WHERE tenant_id = :org AND event_type = 'identity.organization_updated.v1'",
        org=org,
    )
    assert rows[0][0] == 2  # sign-up's, and the first save's
