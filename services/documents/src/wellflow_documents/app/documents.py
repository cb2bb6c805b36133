"""Adding documents and their versions, reading, changing their metadata, holding and deleting them.

A file is kept in three steps: it is received into staging (streamed and hashed), prepared (sniffed,
images re-encoded without metadata, thumbnails made), then kept: in one transaction the blob's row is
written (waiting on a deletion of the same content in flight), the bytes are put in the store, and the
document or version with its ``documents.document_added.v1`` event is written. Nothing is visible before
that transaction commits; a failure before it leaves at most a content-addressed object that the same
content reuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from wellflow_contracts.events.documents import DocumentAdded, DocumentLink
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound, Problem
from wellflow_servicekit.kernel import Actor, PageOf, invalid

from ..domain.content import safe_file_name
from ..domain.keeping import deletion_refusal
from .common import Documents, blob_key
from .metadata import check_metadata, public_links
from .ports import DocumentsWork, Prepared, Row, Staged, Unacceptable

VERSION_FIELDS = ("number", "file_name", "media_type", "size_bytes", "sha256", "reason", "location_kept",
                  "width", "height", "pages", "created_by", "created_at")  # fmt: skip


def unsupported(exc: Unacceptable) -> Problem:
    return Problem(str(exc), status=415, slug="unsupported-media-type", title="Unsupported media type",
                   detected=exc.seen)  # fmt: skip


async def prepare(documents: Documents, staged: Staged, *, keep_location: bool) -> Prepared:
    """The staged file made ready, or 415 (the staged file removed)."""
    try:
        return await documents.processor.prepare(staged, keep_location=keep_location)
    except Unacceptable as exc:
        documents.staging.discard(staged)
        raise unsupported(exc) from None


def discard(documents: Documents, prepared: Prepared) -> None:
    documents.staging.discard(prepared.staged)
    if prepared.thumbnail is not None:
        documents.staging.discard(prepared.thumbnail)


async def add_document(
    documents: Documents,
    actor: Actor,
    data: Mapping[str, Any],
    prepared: Prepared,
    *,
    document_id: UUID | None = None,
    file_name: str | None = None,
) -> tuple[Row, bool]:
    """A new document with ``prepared`` as version 1: ``(the document, True)``; a retry under the same
    ``document_id`` with the same content answers ``(the stored document, False)``, other content 409."""
    try:
        meta = check_metadata(data)
    except Problem:
        discard(documents, prepared)
        raise
    document_id = document_id or uuid7()
    now = documents.clock()
    try:
        async with documents.uow(actor) as uow:
            stored = await uow.documents.get(document_id)
            if stored is not None:
                first = await uow.versions.get(document_id, 1)
                if first is None or first["sha256"] != prepared.staged.sha256:
                    raise Conflict(
                        f"Document {document_id} exists with other content; choose a new id.", slug="id-in-use"
                    )
                return await _shaped(uow, stored), False
            links = meta.pop("links")
            row = {**meta, "id": document_id, "legal_hold": False, "current_version": 1, "created_by": actor.id,
                   "created_at": now, "updated_at": now}  # fmt: skip
            document = await uow.documents.add(row)
            await uow.documents.set_links(document_id, links)
            await uow.tenants.mark(actor.organization_id, now)
            version = await _keep_version(documents, uow, actor, document, prepared, 1, file_name, reason="")
            _record_added(uow, actor, document, version, links)
            return await _shaped(uow, document), True
    finally:
        discard(documents, prepared)


async def add_version(
    documents: Documents,
    actor: Actor,
    document_id: UUID,
    prepared: Prepared,
    *,
    reason: str,
    file_name: str | None = None,
    expected_version: int | None = None,
) -> Row:
    """A new version; the earlier ones stay as they were. ``expected_version`` (the version the client saw)
    makes a stale upload a 409 instead of silently going on top of someone else's."""
    if len(reason) > 500:
        discard(documents, prepared)
        raise invalid("body.reason", "at most 500 characters")
    try:
        async with documents.uow(actor) as uow:
            document = await uow.documents.get(document_id, lock=True)
            if document is None:
                raise NotFound(f"No document {document_id}.")
            current = int(document["current_version"])
            if expected_version is not None and expected_version != current:
                raise Conflict(
                    f"The document is at version {current}, not {expected_version}; reload it and upload again.",
                    slug="version-conflict",
                    current_version=current,
                )
            number = current + 1
            version = await _keep_version(documents, uow, actor, document, prepared, number, file_name, reason)
            changed = await uow.documents.update(document_id, {"current_version": number,
                                                               "updated_at": documents.clock()})  # fmt: skip
            assert changed is not None
            links = (await uow.documents.links([document_id]))[document_id]
            _record_added(uow, actor, changed, version, [{"kind": ln["kind"], "target_id": ln["id"]} for ln in links])
            return await _shaped(uow, changed)
    finally:
        discard(documents, prepared)


async def _keep_version(
    documents: Documents,
    uow: DocumentsWork,
    actor: Actor,
    document: Row,
    prepared: Prepared,
    number: int,
    file_name: str | None,
    reason: str,
) -> Row:
    staged, now = prepared.staged, documents.clock()
    await _keep_blob(documents, uow, actor, staged, prepared.media_type)
    thumbnail_sha = None
    if prepared.thumbnail is not None:
        await _keep_blob(documents, uow, actor, prepared.thumbnail, "image/jpeg")
        thumbnail_sha = prepared.thumbnail.sha256
    return await uow.versions.add(
        {
            "id": uuid7(),
            "document_id": document["id"],
            "number": number,
            "sha256": staged.sha256,
            "size_bytes": staged.size,
            "media_type": prepared.media_type,
            "file_name": safe_file_name(file_name, prepared.media_type, fallback=document["document_type"]),
            "reason": " ".join(reason.split()),
            "location_kept": not prepared.stripped and prepared.width is not None,
            "thumbnail_sha256": thumbnail_sha,
            "width": prepared.width,
            "height": prepared.height,
            "pages": prepared.pages,
            "created_by": actor.id,
            "created_at": now,
        }
    )


async def _keep_blob(documents: Documents, uow: DocumentsWork, actor: Actor, staged: Staged, media_type: str) -> None:
    key = blob_key(actor.organization_id, staged.sha256)
    await uow.blobs.keep({"sha256": staged.sha256, "size_bytes": staged.size, "media_type": media_type,
                          "storage_key": key, "created_at": documents.clock()})  # fmt: skip
    await documents.store.put(key, staged.path)


def _record_added(uow: DocumentsWork, actor: Actor, document: Row, version: Row, links: list[Row]) -> None:
    uow.record(
        DocumentAdded(
            tenant_id=actor.organization_id,
            document_id=document["id"],
            version=version["number"],
            document_type=document["document_type"],
            title=document["title"],
            file_name=version["file_name"],
            media_type=version["media_type"],
            size_bytes=version["size_bytes"],
            sha256=version["sha256"],
            links=[DocumentLink(kind=link["kind"], id=link["target_id"]) for link in links],
            tags=list(document["tags"]),
            expires_on=document["expires_on"],
            added_by=actor.id,
            reason=version["reason"],
        )
    )


async def _shaped(uow: DocumentsWork, document: Row, version: Row | None = None) -> Row:
    links = (await uow.documents.links([document["id"]]))[document["id"]]
    version = version or await uow.versions.get(document["id"], int(document["current_version"]))
    return shape(document, links, version)


def shape(document: Row, links: list[Row], version: Row | None) -> Row:
    return {**document, "links": public_links(links), "version": shape_version(version) if version else None}


def shape_version(version: Row) -> Row:
    out = {name: version[name] for name in VERSION_FIELDS}
    out["has_thumbnail"] = version["thumbnail_sha256"] is not None
    return out


async def get_document(documents: Documents, actor: Actor, document_id: UUID) -> Row:
    async with documents.uow(actor) as uow:
        document = await uow.documents.get(document_id)
        if document is None:
            raise NotFound(f"No document {document_id}.")
        return await _shaped(uow, document)


async def list_documents(documents: Documents, actor: Actor, filters: Row, *, limit: int, offset: int) -> PageOf[Row]:
    async with documents.uow(actor) as uow:
        page = await uow.documents.search(filters, limit=limit, offset=offset)
        ids = [row["id"] for row in page.items]
        links = await uow.documents.links(ids)
        items = []
        for row in page.items:
            version = await uow.versions.get(row["id"], int(row["current_version"]))
            items.append(shape(row, links[row["id"]], version))
    return PageOf(items, page.total, page.limit, page.offset)


async def list_versions(documents: Documents, actor: Actor, document_id: UUID) -> list[Row]:
    async with documents.uow(actor) as uow:
        if await uow.documents.get(document_id) is None:
            raise NotFound(f"No document {document_id}.")
        return [shape_version(version) for version in await uow.versions.of_document(document_id)]


async def update_document(documents: Documents, actor: Actor, document_id: UUID, data: Mapping[str, Any]) -> Row:
    changes = check_metadata(data, partial=True)
    links = changes.pop("links", None)
    async with documents.uow(actor) as uow:
        document = await uow.documents.get(document_id, lock=True)
        if document is None:
            raise NotFound(f"No document {document_id}.")
        if "retain_until" in changes and document["legal_hold"] and changes["retain_until"] != document["retain_until"]:
            raise Conflict("The document is under legal hold: its retention cannot change.", slug="legal-hold")
        if (
            "retain_until" in changes
            and document["retain_until"] is not None
            and (changes["retain_until"] is None or changes["retain_until"] < document["retain_until"])
            and actor.role != "owner"
        ):
            raise Problem("Only an owner may shorten a document's retention.", status=403)
        changed = await uow.documents.update(document_id, {**changes, "updated_at": documents.clock()})
        assert changed is not None
        if links is not None:
            await uow.documents.set_links(document_id, links)
        return await _shaped(uow, changed)


async def set_legal_hold(
    documents: Documents, actor: Actor, document_id: UUID, *, hold: bool, reason: str | None
) -> Row:
    if hold and not (reason or "").strip():
        raise invalid("body.reason", "say why the document is held (the matter, the request)")
    async with documents.uow(actor) as uow:
        changed = await uow.documents.update(
            document_id,
            {"legal_hold": hold, "legal_hold_reason": (reason or "").strip() or None, "updated_at": documents.clock()},
        )
        if changed is None:
            raise NotFound(f"No document {document_id}.")
        return await _shaped(uow, changed)


async def delete_document(documents: Documents, actor: Actor, document_id: UUID) -> None:
    """Refused (409) under legal hold or before the retention date. The document's blobs are removed from the
    store once no version of the organization references them; that happens before the commit, while their
    rows are locked, so an upload of the same content waits and then stores it again."""
    async with documents.uow(actor) as uow:
        document = await uow.documents.get(document_id, lock=True)
        if document is None:
            raise NotFound(f"No document {document_id}.")
        refusal = deletion_refusal(
            legal_hold=document["legal_hold"], retain_until=document["retain_until"], today=documents.clock().date()
        )
        if refusal is not None:
            raise Conflict(refusal, slug="document-kept")
        referenced = await uow.versions.delete_of_document(document_id)
        await uow.documents.delete(document_id)
        for blob in await uow.blobs.unreferenced(referenced):
            await uow.blobs.forget(blob["sha256"])
            await documents.store.delete(blob["storage_key"])
