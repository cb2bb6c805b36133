"""The documents API against real PostgreSQL and NATS: upload, versions, links, downloads with ranges,
retention and legal hold, limits and content checks, tenancy."""

from __future__ import annotations

import hashlib
import io
from uuid import uuid4

from PIL import Image
from sqlalchemy import text

from .conftest import SERVICE_DIR, SMALL_ORG, jpeg_with_gps, pdf_bytes


async def test_a_lease_is_uploaded_read_and_downloaded_whole_and_by_range(documents):
    data = pdf_bytes(pages=2, text_marker="smith lease")
    lease_id = uuid4()
    response = await documents.upload(
        data, file_name="../../etc/Pozo Niño (copy).PDF", links=[{"kind": "lease", "id": str(lease_id)}],
        tags="Recorded, Reeves County", expires_on="2027-01-31",
    )  # fmt: skip
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["version"]["media_type"] == "application/pdf"
    assert document["version"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert document["version"]["size_bytes"] == len(data)
    assert document["version"]["pages"] == 2
    assert document["version"]["has_thumbnail"] is True
    assert document["version"]["file_name"] == "Pozo Niño (copy).pdf"
    assert document["tags"] == ["recorded", "reeves county"]
    assert document["links"] == [{"kind": "lease", "id": str(lease_id)}]
    added = await documents.outbox("documents.document_added.v1")
    assert [event["document_id"] for event in added] == [document["id"]]

    whole = await documents.client.get(f"/api/v1/documents/{document['id']}/content", headers=documents.headers())
    assert whole.status_code == 200
    assert whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    disposition = whole.headers["content-disposition"]
    assert (
        disposition
        == "attachment; filename=\"Pozo Nino (copy).pdf\"; filename*=UTF-8''Pozo%20Ni%C3%B1o%20%28copy%29.pdf"
    )

    part = await documents.client.get(
        f"/api/v1/documents/{document['id']}/content", headers={**documents.headers(), "Range": "bytes=10-19"}
    )
    assert part.status_code == 206
    assert part.content == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    tail = await documents.client.get(
        f"/api/v1/documents/{document['id']}/content", headers={**documents.headers(), "Range": "bytes=-7"}
    )
    assert tail.status_code == 206 and tail.content == data[-7:]
    beyond = await documents.client.get(
        f"/api/v1/documents/{document['id']}/content",
        headers={**documents.headers(), "Range": f"bytes={len(data)}-"},
    )
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"

    thumbnail = await documents.client.get(f"/api/v1/documents/{document['id']}/thumbnail", headers=documents.headers())
    assert thumbnail.status_code == 200
    assert Image.open(io.BytesIO(thumbnail.content)).size[1] <= 320

    linked = await documents.client.get(
        "/api/v1/documents", params={"link_kind": "lease", "link_id": str(lease_id)}, headers=documents.headers()
    )
    assert [item["id"] for item in linked.json()["items"]] == [document["id"]]
    other = await documents.client.get(
        "/api/v1/documents", params={"link_kind": "lease", "link_id": str(uuid4())}, headers=documents.headers()
    )
    assert other.json()["total"] == 0


async def test_a_new_version_never_overwrites_the_old_one(documents):
    first = pdf_bytes(text_marker="v1")
    created = (await documents.upload(first, document_type="permit", title="W-1 permit")).json()
    second = pdf_bytes(text_marker="v2 amended")
    response = await documents.client.post(
        f"/api/v1/documents/{created['id']}/versions",
        data={"reason": "amended permit: new bottom-hole location", "expected_version": "1"},
        files={"file": ("w1-amended.pdf", second, "application/pdf")},
        headers=documents.headers("manager"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["current_version"] == 2
    versions = (
        await documents.client.get(f"/api/v1/documents/{created['id']}/versions", headers=documents.headers())
    ).json()
    assert [(v["number"], v["reason"]) for v in versions] == [
        (2, "amended permit: new bottom-hole location"),
        (1, ""),
    ]
    old = await documents.client.get(
        f"/api/v1/documents/{created['id']}/versions/1/content", headers=documents.headers()
    )
    assert old.content == first
    new = await documents.client.get(f"/api/v1/documents/{created['id']}/content", headers=documents.headers())
    assert new.content == second

    stale = await documents.client.post(
        f"/api/v1/documents/{created['id']}/versions",
        data={"reason": "late", "expected_version": "1"},
        files={"file": ("w1.pdf", pdf_bytes(text_marker="v3"), "application/pdf")},
        headers=documents.headers(),
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


async def test_a_retried_upload_answers_the_stored_document(documents):
    document_id = str(uuid4())
    data = pdf_bytes(text_marker="retry")
    first = await documents.upload(data, id=document_id)
    again = await documents.upload(data, id=document_id)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == document_id
    different = await documents.upload(pdf_bytes(text_marker="other"), id=document_id)
    assert different.status_code == 409


async def test_content_type_comes_from_the_bytes_not_the_claim(documents):
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 20
    response = await documents.upload(executable, file_name="invoice.pdf")
    assert response.status_code == 415
    assert response.headers["content-type"].startswith("application/problem+json")
    listed = await documents.client.get("/api/v1/documents", headers=documents.headers())
    assert listed.json()["total"] == 0
    assert documents.stored_files() == []


async def test_over_the_organizations_limit_is_413_before_anything_is_stored(documents):
    response = await documents.upload(pdf_bytes(pages=3) + b"%" * 5000, org=SMALL_ORG)
    assert response.status_code == 413
    assert response.json()["max_bytes"] == 4096
    assert documents.stored_files() == []
    staging = documents.storage / ".staging"
    assert not staging.exists() or list(staging.iterdir()) == []


async def test_a_photo_is_stripped_of_its_gps_unless_the_user_keeps_it(documents):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get(0x8825)
    stripped = (await documents.upload(photo, file_name="IMG_0042.JPG", document_type="photo", title="Tank")).json()
    assert stripped["version"]["location_kept"] is False
    assert stripped["version"]["sha256"] != hashlib.sha256(photo).hexdigest()
    body = (
        await documents.client.get(f"/api/v1/documents/{stripped['id']}/content", headers=documents.headers())
    ).content
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG" and image.size == (640, 480)
    assert not image.getexif()

    kept = (
        await documents.upload(
            photo, file_name="IMG_0043.JPG", document_type="photo", title="Meter", keep_location="true"
        )
    ).json()
    assert kept["version"]["location_kept"] is True
    assert kept["version"]["sha256"] == hashlib.sha256(photo).hexdigest()


async def test_legal_hold_and_retention_refuse_deletion(documents):
    held = (await documents.upload(pdf_bytes(text_marker="held"), retain_until="2026-06-30")).json()
    url = f"/api/v1/documents/{held['id']}"
    refused = await documents.client.delete(url, headers=documents.headers())
    assert refused.status_code == 409 and "2026-06-30" in refused.json()["detail"]
    shorter = await documents.client.patch(url, json={"retain_until": None}, headers=documents.headers("manager"))
    assert shorter.status_code == 403
    assert (await documents.client.put(f"{url}/legal-hold", json={"reason": "Reeves County suit"},
                                       headers=documents.headers())).status_code == 200  # fmt: skip
    documents.clock.advance(days=200)
    under_hold = await documents.client.delete(url, headers=documents.headers())
    assert under_hold.status_code == 409 and "legal hold" in under_hold.json()["detail"]
    pumper = await documents.client.delete(f"{url}/legal-hold", headers=documents.headers("pumper"))
    assert pumper.status_code == 403
    assert (await documents.client.delete(f"{url}/legal-hold", headers=documents.headers())).status_code == 200
    assert (await documents.client.delete(url, headers=documents.headers())).status_code == 204
    assert (await documents.client.get(url, headers=documents.headers())).status_code == 404


async def test_a_blob_goes_only_when_no_version_references_it(documents):
    data = pdf_bytes(text_marker="shared")
    one = (await documents.upload(data, title="copy one")).json()
    two = (await documents.upload(data, title="copy two")).json()
    files_before = documents.stored_files()
    assert len(files_before) == 2  # the PDF once (content-addressed) and its thumbnail
    assert (
        await documents.client.delete(f"/api/v1/documents/{one['id']}", headers=documents.headers())
    ).status_code == 204
    assert documents.stored_files() == files_before
    still = await documents.client.get(f"/api/v1/documents/{two['id']}/content", headers=documents.headers())
    assert still.content == data
    assert (
        await documents.client.delete(f"/api/v1/documents/{two['id']}", headers=documents.headers())
    ).status_code == 204
    assert documents.stored_files() == []


async def test_another_tenants_document_is_404(documents):
    mine = (await documents.upload(pdf_bytes(text_marker="mine"))).json()
    theirs = documents.headers(org=documents.org_b)
    for path in ("", "/content", "/versions", "/thumbnail", "/versions/1/content"):
        response = await documents.client.get(f"/api/v1/documents/{mine['id']}{path}", headers=theirs)
        assert response.status_code == 404, path
    assert (await documents.client.delete(f"/api/v1/documents/{mine['id']}", headers=theirs)).status_code == 404
    patched = await documents.client.patch(f"/api/v1/documents/{mine['id']}", json={"title": "x"}, headers=theirs)
    assert patched.status_code == 404
    assert (await documents.client.get("/api/v1/documents", headers=theirs)).json()["total"] == 0


async def test_bad_metadata_names_the_field_and_stores_nothing(documents):
    response = await documents.upload(pdf_bytes(), document_type="deed")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.document_type"
    response = await documents.upload(pdf_bytes(), links=[{"kind": "tank", "id": str(uuid4())}])
    assert response.json()["errors"][0]["field"] == "body.links[0].kind"
    assert documents.stored_files() == []


async def test_a_pumper_may_upload_and_an_auditor_may_only_read(documents):
    assert (await documents.upload(pdf_bytes(text_marker="p"), role="pumper")).status_code == 201
    assert (await documents.upload(pdf_bytes(text_marker="a"), role="auditor")).status_code == 403
    assert (await documents.client.get("/api/v1/documents", headers=documents.headers("auditor"))).status_code == 200


async def test_tenant_tables_have_rls_and_the_runtime_role_owns_nothing(documents, service_database):
    from wellflow_servicekit.database import Database
    from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems

    owner = Database(documents.database.owner_url, service="documents", pool_size=1)
    runtime = Database(documents.database.runtime_url, service="documents", pool_size=1)
    try:
        async with owner.engine.connect() as conn:
            assert await find_rls_gaps(conn) == []
        async with runtime.engine.connect() as conn:
            assert await runtime_role_problems(conn) == []
            # without a tenant the runtime role sees no documents at all
            await documents.upload(pdf_bytes(text_marker="rls"))
            assert (await conn.execute(text("SELECT count(*) FROM documents"))).scalar() == 0
    finally:
        await owner.dispose()
        await runtime.dispose()
    assert SERVICE_DIR.name == "documents"
