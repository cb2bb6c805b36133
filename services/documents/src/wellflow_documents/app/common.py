"""The use cases' handle: the database, the blob store, staging and processing of incoming files, the clock
and the service's options."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import Actor, Clock, utcnow

from .ports import BlobStore, DocumentsWork, Processor, Staging


@dataclass(frozen=True)
class Options:
    upload_limit: Callable[[UUID], int] = lambda _organization: 100 * 1024 * 1024
    reminder_days: tuple[int, ...] = (60, 30, 7)
    upload_ttl_seconds: float = 24 * 3600  # an unfinished resumable upload is removed after this
    cleanup_batch: int = 100


@dataclass
class Documents:
    database: Any  # wellflow_servicekit.database.Database (or the unit tests' FakeDatabase)
    store: BlobStore
    staging: Staging
    processor: Processor
    options: Options = field(default_factory=Options)
    clock: Clock = utcnow

    @asynccontextmanager
    async def uow(self, actor: Actor) -> AsyncIterator[DocumentsWork]:
        async with self.database.unit_of_work(actor.organization_id) as uow:
            yield uow

    @asynccontextmanager
    async def tenant_uow(self, organization_id: UUID) -> AsyncIterator[DocumentsWork]:
        async with self.database.unit_of_work(organization_id) as uow:
            yield uow

    @asynccontextmanager
    async def system_uow(self) -> AsyncIterator[DocumentsWork]:
        async with self.database.unit_of_work(None) as uow:
            yield uow


def blob_key(organization_id: UUID, sha256: str) -> str:
    """Content-addressed, with the tenant in the key: two organizations' identical files are two objects, so
    one's deletion or a bucket policy per prefix never reaches the other's."""
    return f"blobs/{organization_id}/{sha256[:2]}/{sha256}"


def part_key(organization_id: UUID, upload_id: UUID, start: int) -> str:
    return f"uploads/{organization_id}/{upload_id}/{start:015d}"
