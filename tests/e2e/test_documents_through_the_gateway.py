"""Documents through the gateway with the whole system running: a lease file uploaded and linked to the
lease wells registered, a new version, a ranged download, a pumper's photo sent in chunks, an expiring
permit's reminder on NATS, another organization's ids answering 404, and the 413 and 415 refusals."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import httpx
import nats

PASSWORD = "correct horse battery staple"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def pdf(marker: str, padding: int = 0) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(612, 792)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue() + f"\n% {marker}\n".encode() + b"%" * padding


def photo() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (800, 600), (40, 90, 130))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (32.0, 1.0, 2.0), 3: "W", 4: (101.0, 2.0, 3.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


async def upload(client: httpx.AsyncClient, token: str, data: bytes, **fields: str) -> httpx.Response:
    form = {"title": "Ranch A oil and gas lease", "document_type": "lease", **fields}
    files = {"file": ("lease.pdf", data, "application/pdf")}
    return await client.post("/api/v1/documents", data=form, files=files, headers=bearer(token))


async def test_a_lease_file_its_versions_a_photo_and_a_reminder(gateway, sign_up, e2e_stack, infra):
    owner = (await sign_up("Ranch Oil"))["access_token"]
    lease = await gateway.post(
        "/api/v1/leases",
        headers=bearer(owner),
        json={"name": "Ranch A", "rrc_district": "08", "rrc_lease_number": "23456", "lease_type": "oil"},
    )
    assert lease.status_code == 201, lease.text
    lease_id = lease.json()["id"]

    lease_pdf = pdf("Ranch A lease, recorded Vol. 412 p. 88")
    created = await upload(gateway, owner, lease_pdf, links=json.dumps([{"kind": "lease", "id": lease_id}]))
    assert created.status_code == 201, created.text
    document = created.json()
    url = f"/api/v1/documents/{document['id']}"

    version = await gateway.post(
        f"{url}/versions",
        data={"reason": "recorded copy from the county clerk", "expected_version": "1"},
        files={"file": ("lease-recorded.pdf", pdf("recorded copy"), "application/pdf")},
        headers=bearer(owner),
    )
    assert version.status_code == 201, version.text
    assert version.json()["current_version"] == 2
    first = await gateway.get(f"{url}/versions/1/content", headers={**bearer(owner), "range": "bytes=0-7"})
    assert first.status_code == 206
    assert first.content == lease_pdf[:8] and first.headers["content-range"] == f"bytes 0-7/{len(lease_pdf)}"
    assert first.headers["content-disposition"].startswith("attachment; filename=")

    on_lease = await gateway.get(
        "/api/v1/documents", params={"link_kind": "lease", "link_id": lease_id}, headers=bearer(owner)
    )
    assert [item["id"] for item in on_lease.json()["items"]] == [document["id"]]

    # a pumper's photo of a reading, sent in two chunks from the phone
    image = photo()
    half = len(image) // 2
    reading_id = "01938a10-0000-7000-8000-00000000abcd"
    opened = await gateway.post(
        "/api/v1/documents/uploads",
        json={"size_bytes": len(image), "file_name": "IMG_0001.JPG", "title": "Meter at 7 am",
              "document_type": "photo", "links": [{"kind": "reading", "id": reading_id}]},
        headers=bearer(owner),
    )  # fmt: skip
    assert opened.status_code == 201, opened.text
    upload_id = opened.json()["id"]
    for start, chunk in ((0, image[:half]), (half, image[half:])):
        sent = await gateway.put(
            f"/api/v1/documents/uploads/{upload_id}",
            content=chunk,
            headers={**bearer(owner), "content-range": f"bytes {start}-{start + len(chunk) - 1}/{len(image)}"},
        )
        assert sent.status_code == 200, sent.text
    finished = await gateway.post(f"/api/v1/documents/uploads/{upload_id}/complete", headers=bearer(owner))
    assert finished.status_code == 201, finished.text
    assert finished.json()["version"]["sha256"] != hashlib.sha256(image).hexdigest()  # GPS stripped
    thumbnail = await gateway.get(f"/api/v1/documents/{upload_id}/thumbnail", headers=bearer(owner))
    assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"

    # a permit expiring in five days: the seven-day reminder is published once
    connection = await nats.connect(infra.nats_url)
    reminders: list[dict] = []

    async def keep(message) -> None:
        reminders.append(json.loads(message.data))

    root = e2e_stack["subject_root"]
    await connection.subscribe(f"{root}.evt.*.documents.document_expiring.v1", cb=keep)
    try:
        expires = (datetime.now(UTC).date() + timedelta(days=5)).isoformat()
        permit = await upload(gateway, owner, pdf("W-1"), document_type="permit", title="W-1", expires_on=expires)
        assert permit.status_code == 201, permit.text
        for _ in range(100):
            if reminders:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.2)  # two more rounds of the job: still one reminder
    finally:
        await connection.close()
    assert [(r["document_id"], r["days_before"], r["days_left"]) for r in reminders] == [(permit.json()["id"], 7, 5)]

    # another organization: 404 on every id of ours
    intruder = (await sign_up("Bravo Gas"))["access_token"]
    for path in (url, f"{url}/content", f"{url}/versions", f"/api/v1/documents/uploads/{upload_id}"):
        assert (await gateway.get(path, headers=bearer(intruder))).status_code == 404, path
    assert (await gateway.delete(url, headers=bearer(intruder))).status_code == 404
    theirs = await gateway.get("/api/v1/documents", headers=bearer(intruder))
    assert theirs.json()["total"] == 0


async def test_too_large_and_not_allowed_content_are_refused(gateway, sign_up):
    owner = (await sign_up("Small Oil"))["access_token"]
    too_big = await upload(gateway, owner, pdf("big", padding=3 * 1024 * 1024))
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["max_bytes"] == 2 * 1024 * 1024
    declared = await gateway.post(
        "/api/v1/documents/uploads",
        json={"size_bytes": 50 * 1024 * 1024, "title": "survey", "document_type": "report"},
        headers=bearer(owner),
    )
    assert declared.status_code == 413
    script = await upload(gateway, owner, b"#!/bin/sh\nrm -rf /\x00\x01\x02", title="not a lease")
    assert script.status_code == 415, script.text
    listed = await gateway.get("/api/v1/documents", headers=bearer(owner))
    assert listed.json()["total"] == 0
