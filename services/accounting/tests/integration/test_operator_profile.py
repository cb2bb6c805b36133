"""The operator's profile on statements: identity's identity.organization_updated.v1 lands in accounting's copy
(over NATS, once, the newest version kept); owner and JIB statements print the operator's name, mailing
address and phone (Nat. Res. Code 91.502, item 12) or say "not set"; owners are named by their owner number
(new partners numbered 1001, 1002, ...; existing ones by migration 0003); files have names people can read."""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib
from datetime import date
from pathlib import Path

import nats
from pypdf import PdfReader
from sqlalchemy import select, text

from wellflow_accounting.adapters.tables import operator_profiles
from wellflow_contracts import encode, to_headers
from wellflow_contracts.events.identity import MailingAddress, OrganizationLogo, OrganizationUpdated
from wellflow_contracts.subjects import event_subject
from wellflow_servicekit.testing import load_test_module

MARCH = date(2026, 3, 1)
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0003_operator_profile.py"


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x8b\x45\x13"))
        + chunk(b"IEND", b"")
    )


def profile(org, version: int = 2, **changes) -> OrganizationUpdated:
    values = {
        "tenant_id": org,
        "organization_id": org,
        "version": version,
        "name": "Caprock Energy",
        "legal_name": "Caprock Energy LLC",
        "mailing_address": MailingAddress(
            line1="410 N Main St", line2="Suite 200", city="Midland", state="TX", postal_code="79701"
        ),
        "phone": "432-555-0142",
        "email": "owners@caprockenergy.example",
        "rrc_operator_number": "130742",
        "logo": OrganizationLogo(
            content_type="image/png", data_base64=base64.b64encode(tiny_png()).decode(), sha256="x"
        ),
        **changes,
    }
    return OrganizationUpdated(**values)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")


async def _run_with_owner(books, **owner):
    lease = await books.lease()
    royalty = await books.partner("Ada Whitfield", "royalty_owner", **owner)
    operator = await books.partner("Caprock WI", "working_interest_partner", kind="company")
    await books.deck(lease, [(royalty, "royalty", "0.125"), (operator, "working_interest", "0.875")])
    await books.volumes(lease, MARCH, 1, oil="100")
    await books.ok("PUT", "/api/v1/prices", {"month": MARCH.isoformat(), "product": "oil", "price": "70.00"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": MARCH.isoformat()}, status=201)
    return run, royalty


async def test_the_profile_event_over_nats_fills_the_copy_once_and_an_older_version_changes_nothing(
    books, infra, root, until
):
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()

    async def publish(event, msg_id: str) -> None:
        headers = {**to_headers(event, source="/wellflow/identity"), "Nats-Msg-Id": msg_id}
        await js.publish(event_subject(event.tenant_id, event.type, root), encode(event), headers=headers)

    try:
        newer = profile(books.org_a, version=3, phone="432-555-0199")
        await publish(newer, "profile-3")
        await publish(newer, "profile-3-again")  # past JetStream's dedup: the inbox makes it count once
        await publish(profile(books.org_a, version=2, phone="432-555-0001"), "profile-2")  # late and older

        async def applied() -> bool:
            rows = await books.owner_query(
                "SELECT count(*) FROM inbox WHERE consumer = 'accounting-organization-updated'"
            )
            return rows[0][0] >= 2

        await until(applied)
        async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
            row = (await uow.connection.execute(select(operator_profiles))).mappings().one()
        assert (row["version"], row["phone"], row["city"]) == (3, "432-555-0199", "Midland")
        assert bytes(row["logo"]) == tiny_png()
    finally:
        await nc.close()


async def test_a_statement_carries_the_operators_name_address_and_phone_and_a_readable_file_name(books):
    await books.apply(profile(books.org_a))
    run, owner = await _run_with_owner(books)
    path = f"/api/v1/revenue/runs/{run['id']}/statements/{owner}"
    statement = await books.ok("GET", path)
    assert statement["operator"] == {
        "name": "Caprock Energy LLC",
        "address": "410 N Main St, Suite 200, Midland, TX 79701",
        "phone": "432-555-0142",
        "email": "owners@caprockenergy.example",
        "rrc_operator_number": "130742",
        "missing": [],
        "notice": None,
    }
    assert statement["owner"]["owner_number"] == "1001"
    assert statement["file_name"] == "caprock-energy-owner-1001-statement-2026-03"

    pdf = await books.get(path, params={"format": "pdf"})
    assert pdf.status_code == 200, pdf.text
    assert (
        pdf.headers["content-disposition"] == 'attachment; filename="caprock-energy-owner-1001-statement-2026-03.pdf"'
    )
    words = _text(pdf.content)
    for expected in ("Caprock Energy LLC", "410 N Main St, Suite 200, Midland, TX 79701", "432-555-0142", "owner 1001"):
        assert expected in words, (expected, words[:600])
    assert "tax id none" not in words and "not set" not in words
    assert not UUID_TEXT.search(words), "a statement names owners and leases, never internal ids"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages[0].images) == 1  # the logo

    csv_answer = await books.get(path, params={"format": "csv"})
    assert csv_answer.headers["content-disposition"].endswith(
        'filename="caprock-energy-owner-1001-statement-2026-03.csv"'
    )
    assert "432-555-0142" in csv_answer.text and "410 N Main St" in csv_answer.text
    assert not UUID_TEXT.search(csv_answer.text)


async def test_without_a_profile_the_statement_says_not_set_instead_of_a_blank_and_a_comma(books):
    run, owner = await _run_with_owner(books, tax_id="123-45-6789")
    path = f"/api/v1/revenue/runs/{run['id']}/statements/{owner}"
    statement = await books.ok("GET", path)
    assert statement["operator"]["missing"] == ["legal_name", "mailing_address", "phone"]
    assert "Organization page" in statement["operator"]["notice"]
    assert statement["file_name"] == "owner-1001-statement-2026-03"
    words = _text((await books.get(path, params={"format": "pdf"})).content)
    assert "mailing address not set" in words and "telephone not set" in words
    assert "***-**-6789" in words and ", ," not in words

    await books.apply(profile(books.org_a, phone=None))  # filled in, all but the phone
    again = await books.ok("GET", path)
    assert again["operator"]["missing"] == ["phone"] and again["operator"]["address"].startswith("410 N Main")


async def test_a_jib_statement_names_the_operator_and_the_partner_by_number(books):
    await books.apply(profile(books.org_a))
    lease = await books.lease()
    partner = await books.partner("Llano WI", "working_interest_partner", kind="company", owner_number="WI-7")
    await books.deck(lease, [(partner, "working_interest", "1")], kind="cost")
    body = {
        "incurred_on": "2026-03-10",
        "lease_id": str(lease),
        "vendor_name": "Acme",
        "category": "workover",
        "amount": "100.00",
    }
    await books.ok("POST", "/api/v1/jib/costs", body, status=201)
    run = await books.ok("POST", "/api/v1/jib/runs", {"month": "2026-03-01"}, status=201)
    path = f"/api/v1/jib/runs/{run['id']}/statements/{partner}"
    pdf = await books.get(path, params={"format": "pdf"})
    assert pdf.headers["content-disposition"] == 'attachment; filename="caprock-energy-partner-wi-7-jib-2026-03.pdf"'
    words = _text(pdf.content)
    assert "410 N Main St" in words and "432-555-0142" in words and "partner WI-7" in words
    other = await books.get(path, org=books.org_b)
    assert other.status_code == 404


async def test_another_organizations_statement_is_not_found(books):
    await books.apply(profile(books.org_a))
    await books.apply(profile(books.org_b, name="Other Oil", legal_name="Other Oil Inc"))
    run, owner = await _run_with_owner(books)
    for fmt in ("json", "pdf", "csv"):
        answer = await books.get(
            f"/api/v1/revenue/runs/{run['id']}/statements/{owner}", org=books.org_b, params={"format": fmt}
        )
        assert answer.status_code == 404, (fmt, answer.text)


async def test_partners_get_owner_numbers_per_organization(books):
    first = await books.ok("GET", f"/api/v1/partners/{await books.partner('A')}")
    chosen = await books.ok("GET", f"/api/v1/partners/{await books.partner('B', owner_number='2000')}")
    lettered = await books.ok("GET", f"/api/v1/partners/{await books.partner('C', owner_number='R-7')}")
    after = await books.ok("GET", f"/api/v1/partners/{await books.partner('D')}")
    assert [p["owner_number"] for p in (first, chosen, lettered, after)] == ["1001", "2000", "R-7", "2001"]
    elsewhere = await books.ok("GET", f"/api/v1/partners/{await books.partner('E', org=books.org_b)}", org=books.org_b)
    assert elsewhere["owner_number"] == "1001"
    cleared = await books.request("PATCH", f"/api/v1/partners/{first['id']}", {"owner_number": None})
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "body.owner_number"


async def test_migration_0003_numbers_the_partners_that_have_none(books):
    """Partners saved before numbering existed are numbered per organization, after the highest numeric one,
    in the order they were created."""
    migration = load_test_module(MIGRATION, "accounting_migration_0003")
    await books.partner("Numbered", owner_number="1500")
    ids = [await books.partner(name) for name in ("Old One", "Old Two")]
    other = await books.partner("Elsewhere", org=books.org_b)
    from wellflow_servicekit.database import Database

    database = Database(books.owner_url, service="accounting", pool_size=1)
    try:
        async with database.engine.begin() as conn:  # as before 0003: no numbers on these
            await conn.execute(text("ALTER TABLE partners NO FORCE ROW LEVEL SECURITY"))
            await conn.execute(
                text("UPDATE partners SET owner_number = NULL WHERE id = ANY(:ids)"), {"ids": [*ids, other]}
            )
            await conn.execute(text(migration.NUMBER_EXISTING))
            rows = (await conn.execute(text("SELECT id::text, owner_number FROM partners"))).all()
            await conn.execute(text("ALTER TABLE partners FORCE ROW LEVEL SECURITY"))
    finally:
        await database.dispose()
    numbers = dict(rows)
    assert [numbers[i] for i in ids] == ["1501", "1502"] and numbers[other] == "1001"
