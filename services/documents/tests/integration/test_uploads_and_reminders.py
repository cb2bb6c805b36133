"""Resumable uploads (chunks with Content-Range, nothing visible until finished, abandoned ones removed) and
expiry reminders through the outbox."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from uuid import uuid4

from wellflow_documents.app.upkeep import remove_stale_uploads, send_expiry_reminders

from .conftest import SMALL_ORG, pdf_bytes


def chunks_of(data: bytes, size: int) -> list[tuple[int, bytes]]:
    return [(start, data[start : start + size]) for start in range(0, len(data), size)]


async def put(documents, upload_id, start: int, chunk: bytes, total: int, role: str = "pumper"):
    return await documents.client.put(
        f"/api/v1/documents/uploads/{upload_id}",
        content=chunk,
        headers={
            **documents.headers(role),
            "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{total}",
            "Content-Type": "application/octet-stream",
        },
    )


async def test_a_phone_sends_a_file_in_chunks_and_it_appears_only_when_finished(documents):
    data = pdf_bytes(pages=3, text_marker="x" * 3000)
    reading_id = str(uuid4())
    opened = await documents.client.post(
        "/api/v1/documents/uploads",
        json={"size_bytes": len(data), "file_name": "gauge.pdf", "title": "Gauge sheet", "document_type": "report",
              "links": [{"kind": "reading", "id": reading_id}]},
        headers=documents.headers("pumper"),
    )  # fmt: skip
    assert opened.status_code == 201, opened.text
    upload_id = opened.json()["id"]
    pieces = chunks_of(data, 1000)

    assert (await put(documents, upload_id, *pieces[0], len(data))).json()["received_bytes"] == 1000
    skipped = await put(documents, upload_id, *pieces[2], len(data))
    assert skipped.status_code == 409 and skipped.json()["received_bytes"] == 1000
    retried = await put(documents, upload_id, *pieces[0], len(data))  # the answer was lost: sent again
    assert retried.status_code == 200 and retried.json()["received_bytes"] == 1000

    early = await documents.client.post(
        f"/api/v1/documents/uploads/{upload_id}/complete", headers=documents.headers("pumper")
    )
    assert early.status_code == 409 and early.json()["received_bytes"] == 1000
    listed = await documents.client.get("/api/v1/documents", headers=documents.headers())
    assert listed.json()["total"] == 0

    for start, chunk in pieces[1:]:
        assert (await put(documents, upload_id, start, chunk, len(data))).status_code == 200
    state = await documents.client.get(f"/api/v1/documents/uploads/{upload_id}", headers=documents.headers("pumper"))
    assert state.json()["received_bytes"] == len(data)

    finished = await documents.client.post(
        f"/api/v1/documents/uploads/{upload_id}/complete", headers=documents.headers("pumper")
    )
    assert finished.status_code == 201, finished.text
    document = finished.json()
    assert document["id"] == upload_id
    assert document["version"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert document["links"] == [{"kind": "reading", "id": reading_id}]
    again = await documents.client.post(
        f"/api/v1/documents/uploads/{upload_id}/complete", headers=documents.headers("pumper")
    )
    assert again.status_code == 200 and again.json()["id"] == upload_id
    body = await documents.client.get(f"/api/v1/documents/{upload_id}/content", headers=documents.headers())
    assert body.content == data
    assert not (documents.storage / "uploads").exists() or not any((documents.storage / "uploads").rglob("*.*"))


async def test_a_resumable_upload_adds_a_version(documents):
    created = (await documents.upload(pdf_bytes(text_marker="one"), document_type="division_order")).json()
    data = pdf_bytes(text_marker="two")
    opened = await documents.client.post(
        "/api/v1/documents/uploads",
        json={"size_bytes": len(data), "document_id": created["id"], "reason": "owner's new address"},
        headers=documents.headers(),
    )
    upload_id = opened.json()["id"]
    assert (await put(documents, upload_id, 0, data, len(data), role="owner")).status_code == 200
    finished = await documents.client.post(
        f"/api/v1/documents/uploads/{upload_id}/complete", headers=documents.headers()
    )
    assert finished.status_code == 201
    assert finished.json()["id"] == created["id"] and finished.json()["current_version"] == 2


async def test_an_upload_over_the_limit_is_refused_when_opened(documents):
    opened = await documents.client.post(
        "/api/v1/documents/uploads",
        json={"size_bytes": 10_000, "title": "big", "document_type": "report"},
        headers=documents.headers(org=SMALL_ORG),
    )
    assert opened.status_code == 413


async def test_an_abandoned_upload_leaves_nothing(documents):
    data = pdf_bytes(text_marker="abandoned" * 200)
    opened = await documents.client.post(
        "/api/v1/documents/uploads",
        json={"size_bytes": len(data), "title": "half", "document_type": "photo"},
        headers=documents.headers("pumper"),
    )
    upload_id = opened.json()["id"]
    await put(documents, upload_id, 0, data[:500], len(data))
    parts = list((documents.storage / "uploads").rglob("*"))
    assert any(path.is_file() for path in parts)
    assert await remove_stale_uploads(documents.documents) == 0  # still within its day
    documents.clock.advance(hours=25)
    assert await remove_stale_uploads(documents.documents) == 1
    assert not any(path.is_file() for path in (documents.storage / "uploads").rglob("*"))
    gone = await documents.client.get(f"/api/v1/documents/uploads/{upload_id}", headers=documents.headers("pumper"))
    assert gone.status_code == 404
    assert (await documents.client.get("/api/v1/documents", headers=documents.headers())).json()["total"] == 0


async def test_another_tenants_upload_is_404(documents):
    opened = await documents.client.post(
        "/api/v1/documents/uploads", json={"size_bytes": 10, "title": "t", "document_type": "other"},
        headers=documents.headers(),
    )  # fmt: skip
    upload_id = opened.json()["id"]
    theirs = documents.headers(org=documents.org_b)
    assert (await documents.client.get(f"/api/v1/documents/uploads/{upload_id}", headers=theirs)).status_code == 404
    put_theirs = await documents.client.put(
        f"/api/v1/documents/uploads/{upload_id}", content=b"0123456789",
        headers={**theirs, "Content-Range": "bytes 0-9/10"},
    )  # fmt: skip
    assert put_theirs.status_code == 404
    assert (await documents.client.delete(f"/api/v1/documents/uploads/{upload_id}", headers=theirs)).status_code == 404


async def test_an_expiring_permit_is_reminded_once_per_threshold(documents):
    today = documents.clock().date()
    permit = (
        await documents.upload(pdf_bytes(text_marker="permit"), document_type="permit", title="W-1 Smith #2",
                               expires_on=(today + timedelta(days=40)).isoformat())
    ).json()  # fmt: skip
    await documents.upload(pdf_bytes(text_marker="far"), document_type="permit", title="far",
                           expires_on=(today + timedelta(days=400)).isoformat())  # fmt: skip

    assert await send_expiry_reminders(documents.documents) == 1  # 40 days out: the 60-day threshold
    assert await send_expiry_reminders(documents.documents) == 0  # once
    events = await documents.outbox("documents.document_expiring.v1")
    assert [(e["document_id"], e["days_before"], e["days_left"]) for e in events] == [(permit["id"], 60, 40)]

    documents.clock.advance(days=36)  # 4 days left: the 30 and the 7 day thresholds both passed; one reminder
    assert await send_expiry_reminders(documents.documents) == 1
    assert await send_expiry_reminders(documents.documents) == 0
    events = await documents.outbox("documents.document_expiring.v1")
    assert [e["days_before"] for e in events] == [60, 7]

    # a renewed permit (a new version) is reminded again
    await documents.client.post(
        f"/api/v1/documents/{permit['id']}/versions", data={"reason": "renewed"},
        files={"file": ("w1.pdf", pdf_bytes(text_marker="renewed"), "application/pdf")}, headers=documents.headers(),
    )  # fmt: skip
    assert await send_expiry_reminders(documents.documents) == 1
    documents.clock.advance(days=5)  # expired: no more reminders
    assert await send_expiry_reminders(documents.documents) == 0
