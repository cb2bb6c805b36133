"""Resumable uploads for phones on a bad signal: open an upload (what the document will be and its size),
send the bytes in chunks with ``Content-Range`` (each chunk kept in the blob store as it arrives, so any
replica can take the next one), finish it. Only the finish makes a document; an upload never finished is
removed with its chunks once it is past its time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound, Problem
from wellflow_servicekit.kernel import Actor, check_same_request, invalid

from ..domain.content import ChunkRange
from . import documents as docs
from .common import Documents, part_key
from .metadata import check_metadata
from .ports import Row, TooLarge

PUBLIC = ("id", "document_id", "file_name", "total_bytes", "received_bytes", "status", "result_document_id",
          "result_version", "created_at", "expires_at")  # fmt: skip


def too_large(limit: int) -> Problem:
    return Problem(
        f"The file is larger than this organization's limit of {limit} bytes.",
        status=413,
        slug="file-too-large",
        title="File too large",
        max_bytes=limit,
    )


def shape(row: Row) -> Row:
    return {name: row[name] for name in PUBLIC}


async def open_upload(documents: Documents, actor: Actor, data: Mapping[str, Any]) -> tuple[Row, bool]:
    """``(the upload, True)``; the same ``id`` and request again answers ``(the stored upload, False)``."""
    total = data["size_bytes"]
    limit = documents.options.upload_limit(actor.organization_id)
    if total > limit:
        raise too_large(limit)
    target = data.get("document_id")
    request: Row = {"keep_location": bool(data.get("keep_location")), "reason": data.get("reason") or ""}
    if target is None:
        request.update(check_metadata(data))
        request["links"] = [{"kind": ln["kind"], "id": str(ln["target_id"])} for ln in request["links"]]
        for name in ("expires_on", "retain_until"):
            request[name] = request[name].isoformat() if request[name] else None
    upload_id = data.get("id") or uuid7()
    now = documents.clock()
    async with documents.uow(actor) as uow:
        stored = await uow.uploads.get(upload_id)
        if stored is not None:
            check_same_request(
                {"size_bytes": stored["total_bytes"], "document_id": stored["document_id"]},
                {"size_bytes": total, "document_id": target},
                noun="upload",
            )
            return shape(stored), False
        if target is not None and await uow.documents.get(target) is None:
            raise NotFound(f"No document {target}.")
        row = await uow.uploads.add(
            {
                "id": upload_id,
                "document_id": target,
                "request": request,
                "file_name": data.get("file_name"),
                "total_bytes": total,
                "received_bytes": 0,
                "status": "open",
                "created_by": actor.id,
                "created_at": now,
                "updated_at": now,
                "expires_at": now + timedelta(seconds=documents.options.upload_ttl_seconds),
            }
        )
        await uow.tenants.mark(actor.organization_id, now)
    return shape(row), True


async def get_upload(documents: Documents, actor: Actor, upload_id: UUID) -> Row:
    async with documents.uow(actor) as uow:
        row = await uow.uploads.get(upload_id)
    if row is None:
        raise NotFound(f"No upload {upload_id}.")
    return shape(row)


async def receive_chunk(
    documents: Documents, actor: Actor, upload_id: UUID, chunk: ChunkRange, body: AsyncIterator[bytes]
) -> Row:
    """Keep one chunk. A chunk already received (a retry whose answer was lost) changes nothing; a chunk that
    does not start where the received bytes end is a 409 that says where to go on from."""
    async with documents.uow(actor) as uow:
        upload = await uow.uploads.get(upload_id)
    if upload is None:
        raise NotFound(f"No upload {upload_id}.")
    _check_chunk(upload, chunk)
    if chunk.end < upload["received_bytes"] or upload["status"] != "open":
        async for _ in body:  # a retry of what is already here: read and drop
            pass
        return shape(upload)
    try:
        staged = await documents.staging.receive(body, limit=chunk.length)
    except TooLarge:
        raise invalid("header.content-range", "the body is longer than Content-Range says") from None
    try:
        if staged.size != chunk.length:
            raise invalid(
                "header.content-range", f"Content-Range says {chunk.length} bytes, the body had {staged.size}"
            )
        async with documents.uow(actor) as uow:
            upload = await uow.uploads.get(upload_id, lock=True)
            if upload is None:
                raise NotFound(f"No upload {upload_id}.")
            if chunk.start != upload["received_bytes"]:
                raise _wrong_offset(upload)
            key = part_key(actor.organization_id, upload_id, chunk.start)
            await documents.store.put(key, staged.path)
            await uow.uploads.add_part({"upload_id": upload_id, "start_byte": chunk.start, "size_bytes": chunk.length,
                                        "storage_key": key})  # fmt: skip
            received = chunk.start + chunk.length
            await uow.uploads.update(upload_id, {"received_bytes": received, "updated_at": documents.clock()})
            return shape({**upload, "received_bytes": received})
    finally:
        documents.staging.discard(staged)


def _check_chunk(upload: Row, chunk: ChunkRange) -> None:
    if chunk.total is not None and chunk.total != upload["total_bytes"]:
        raise invalid("header.content-range", f"the upload was opened for {upload['total_bytes']} bytes")
    if chunk.end >= upload["total_bytes"]:
        raise invalid("header.content-range", f"the upload has {upload['total_bytes']} bytes")
    if chunk.start > upload["received_bytes"] or (chunk.start < upload["received_bytes"] <= chunk.end):
        raise _wrong_offset(upload)


def _wrong_offset(upload: Row) -> Problem:
    return Conflict(
        f"Send the bytes from {upload['received_bytes']} on.",
        slug="upload-offset",
        received_bytes=upload["received_bytes"],
    )


async def finish_upload(documents: Documents, actor: Actor, upload_id: UUID) -> tuple[Row, bool]:
    """The document (new, or with its new version): ``(document, True)``; a finished upload asked again
    answers ``(the document, False)``."""
    async with documents.uow(actor) as uow:
        upload = await uow.uploads.get(upload_id)
        parts = await uow.uploads.parts(upload_id) if upload is not None else []
    if upload is None:
        raise NotFound(f"No upload {upload_id}.")
    if upload["status"] == "complete":
        return await docs.get_document(documents, actor, upload["result_document_id"]), False
    if upload["received_bytes"] != upload["total_bytes"]:
        raise Conflict(
            f"{upload['total_bytes'] - upload['received_bytes']} bytes are missing; send them from "
            f"{upload['received_bytes']} on.",
            slug="upload-incomplete",
            received_bytes=upload["received_bytes"],
        )

    async def assembled() -> AsyncIterator[bytes]:
        for part in parts:
            async for block in documents.store.read(part["storage_key"]):
                yield block

    staged = await documents.staging.receive(assembled(), limit=upload["total_bytes"])
    request = upload["request"]
    prepared = await docs.prepare(documents, staged, keep_location=bool(request.get("keep_location")))
    if upload["document_id"] is None:
        document, _ = await docs.add_document(
            documents, actor, request, prepared, document_id=upload_id, file_name=upload["file_name"]
        )
    else:
        document = await docs.add_version(
            documents, actor, upload["document_id"], prepared, reason=request.get("reason") or "",
            file_name=upload["file_name"],
        )  # fmt: skip
    async with documents.uow(actor) as uow:
        await uow.uploads.update(
            upload_id,
            {"status": "complete", "result_document_id": document["id"],
             "result_version": document["current_version"], "updated_at": documents.clock()},
        )  # fmt: skip
    for part in parts:
        await documents.store.delete(part["storage_key"])
    return document, True


async def cancel_upload(documents: Documents, actor: Actor, upload_id: UUID) -> None:
    async with documents.uow(actor) as uow:
        upload = await uow.uploads.get(upload_id, lock=True)
        if upload is None:
            raise NotFound(f"No upload {upload_id}.")
        parts = await uow.uploads.parts(upload_id)
        await uow.uploads.delete(upload_id)
    for part in parts:
        await documents.store.delete(part["storage_key"])
