"""What the use cases need from the outside: repositories, the unit of work, the blob store, staging of an
incoming file, and the content processor (sniffing, image re-encoding, thumbnails)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from wellflow_servicekit import kernel
from wellflow_servicekit.kernel import PageOf

Row = dict[str, Any]
MAX_PAGE = 200


class Documents(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, document_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def update(self, document_id: UUID, changes: Row) -> Row | None: ...
    async def delete(self, document_id: UUID) -> None: ...
    async def search(self, filters: Row, *, limit: int, offset: int) -> PageOf[Row]: ...
    async def set_links(self, document_id: UUID, links: list[Row]) -> None: ...
    async def links(self, document_ids: list[UUID]) -> dict[UUID, list[Row]]: ...
    async def expiring(self, until: date) -> list[Row]: ...


class Versions(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, document_id: UUID, number: int) -> Row | None: ...
    async def of_document(self, document_id: UUID) -> list[Row]: ...
    async def delete_of_document(self, document_id: UUID) -> list[str]: ...


class Blobs(Protocol):
    async def keep(self, row: Row) -> None: ...
    async def unreferenced(self, sha256s: list[str]) -> list[Row]: ...
    async def forget(self, sha256: str) -> None: ...


class Uploads(Protocol):
    async def add(self, row: Row) -> Row: ...
    async def get(self, upload_id: UUID, *, lock: bool = False) -> Row | None: ...
    async def update(self, upload_id: UUID, changes: Row) -> None: ...
    async def add_part(self, row: Row) -> None: ...
    async def parts(self, upload_id: UUID) -> list[Row]: ...
    async def delete(self, upload_id: UUID) -> None: ...
    async def stale(self, before: datetime, limit: int) -> list[Row]: ...


class Reminders(Protocol):
    async def sent(self, version_id: UUID, expires_on: date) -> list[int]: ...
    async def mark(self, rows: list[Row]) -> bool: ...


class Tenants(Protocol):
    """The cross-tenant list of organizations that have documents or uploads (ids only, no tenant data)."""

    async def mark(self, organization_id: UUID, at: datetime) -> None: ...
    async def organizations(self) -> list[UUID]: ...


class DocumentsWork(kernel.Work, Protocol):
    documents: Documents
    versions: Versions
    blobs: Blobs
    uploads: Uploads
    reminders: Reminders
    tenants: Tenants


class BlobStore(Protocol):
    """Where the bytes live (a folder, or an S3-compatible bucket). Keys carry the tenant."""

    name: str

    async def put(self, key: str, source: Path) -> None:
        """Store the local file ``source`` under ``key`` (and remove ``source``). Storing the same key again
        with the same content is harmless (content-addressed)."""
        ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes ``start``..``end`` (inclusive; None: to the end) of ``key`` (an async generator)."""
        ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


@dataclass
class Staged:
    """A file received into local staging: its path, SHA-256, size and first bytes."""

    path: Path
    sha256: str
    size: int
    head: bytes


class Staging(Protocol):
    async def receive(self, chunks: AsyncIterator[bytes], *, limit: int) -> Staged:
        """Write ``chunks`` to a new staging file while hashing them; ``TooLarge`` (the file removed) as soon as
        more than ``limit`` bytes came."""
        ...

    def discard(self, staged: Staged | Path | None) -> None: ...


@dataclass(frozen=True)
class Prepared:
    """A staged file made ready to keep: what it is, and (for images) re-encoded, with a thumbnail."""

    staged: Staged
    media_type: str
    thumbnail: Staged | None
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    stripped: bool = False  # EXIF/GPS removed by re-encoding


class Unacceptable(Exception):
    """The content is no type the service accepts (415)."""

    def __init__(self, detail: str, seen: str | None = None) -> None:
        super().__init__(detail)
        self.seen = seen


class Processor(Protocol):
    async def prepare(self, staged: Staged, *, keep_location: bool) -> Prepared:
        """Sniff the content and, for an image, re-encode it without metadata (unless ``keep_location``) and
        make a thumbnail; a PDF gets a thumbnail of its first page. ``Unacceptable`` otherwise."""
        ...
