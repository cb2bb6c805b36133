"""Downloads: a version's bytes (whole or one range), its thumbnail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from wellflow_servicekit.errors import NotFound, Problem

from ..domain.content import ByteRange, Unsatisfiable, parse_range
from .common import Documents, blob_key


@dataclass
class Download:
    file_name: str
    media_type: str
    size: int
    sha256: str
    range: ByteRange | None
    body: AsyncIterator[bytes]


async def download(
    documents: Documents, organization_id: UUID, document_id: UUID, number: int | None, range_header: str | None
) -> Download:
    async with documents.tenant_uow(organization_id) as uow:
        document = await uow.documents.get(document_id)
        if document is None:
            raise NotFound(f"No document {document_id}.")
        version = await uow.versions.get(document_id, number or int(document["current_version"]))
    if version is None:
        raise NotFound(f"Document {document_id} has no version {number}.")
    size = int(version["size_bytes"])
    try:
        wanted = parse_range(range_header, size)
    except Unsatisfiable:
        raise Problem(
            f"The file has {size} bytes; the range asks for none of them.",
            status=416,
            slug="range-not-satisfiable",
            title="Range not satisfiable",
            headers={"Content-Range": f"bytes */{size}"},
        ) from None
    key = blob_key(organization_id, version["sha256"])
    body = documents.store.read(key, wanted.start, wanted.end) if wanted else documents.store.read(key)
    return Download(version["file_name"], version["media_type"], size, version["sha256"], wanted, body)


async def thumbnail(
    documents: Documents, organization_id: UUID, document_id: UUID, number: int | None
) -> AsyncIterator[bytes]:
    async with documents.tenant_uow(organization_id) as uow:
        document = await uow.documents.get(document_id)
        version = None
        if document is not None:
            version = await uow.versions.get(document_id, number or int(document["current_version"]))
    if version is None or version["thumbnail_sha256"] is None:
        raise NotFound(f"No thumbnail for document {document_id}.")
    return documents.store.read(blob_key(organization_id, version["thumbnail_sha256"]))
