"""Blobs (what is stored where), resumable uploads with their parts, expiry reminders, and the cross-tenant
list of organizations with documents."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import delete, exists, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, without_tenant

from ...app.ports import Row
from ..tables import blobs, document_versions, documents_tenants, expiry_reminders, upload_parts, uploads


class SqlBlobs(Repository):
    async def keep(self, row: Row) -> None:
        statement = (
            pg_insert(blobs)
            .values({**row, "organization_id": self.organization_id})
            .on_conflict_do_nothing(index_elements=[blobs.c.organization_id, blobs.c.sha256])
        )
        await self.execute(statement)

    async def unreferenced(self, sha256s: list[str]) -> list[Row]:
        """Those of ``sha256s`` no version of the tenant references any more (as its file or thumbnail),
        locked so a concurrent upload of the same content waits for the decision."""
        if not sha256s:
            return []
        referenced = exists(
            select(document_versions.c.id).where(
                document_versions.c.organization_id == blobs.c.organization_id,
                or_(
                    document_versions.c.sha256 == blobs.c.sha256, document_versions.c.thumbnail_sha256 == blobs.c.sha256
                ),
            )
        )
        query = select(blobs).where(blobs.c.sha256.in_(sha256s), ~referenced).with_for_update()
        return [without_tenant(row) for row in await self.all(query)]

    async def forget(self, sha256: str) -> None:
        await self.execute(delete(blobs).where(blobs.c.sha256 == sha256))


class SqlUploads(Repository):
    async def add(self, row: Row) -> Row:
        statement = insert(uploads).values({**row, "organization_id": self.organization_id}).returning(uploads)
        return without_tenant(await self.one(statement))

    async def get(self, upload_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(uploads).where(uploads.c.id == upload_id)
        if lock:
            query = query.with_for_update()
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def update(self, upload_id: UUID, changes: Row) -> None:
        await self.execute(update(uploads).where(uploads.c.id == upload_id).values(changes))

    async def add_part(self, row: Row) -> None:
        await self.execute(insert(upload_parts).values({**row, "organization_id": self.organization_id}))

    async def parts(self, upload_id: UUID) -> list[Row]:
        query = select(upload_parts).where(upload_parts.c.upload_id == upload_id).order_by(upload_parts.c.start_byte)
        return [without_tenant(row) for row in await self.all(query)]

    async def delete(self, upload_id: UUID) -> None:
        await self.execute(delete(upload_parts).where(upload_parts.c.upload_id == upload_id))
        await self.execute(delete(uploads).where(uploads.c.id == upload_id))

    async def stale(self, before: datetime, limit: int) -> list[Row]:
        """Open uploads past their time (abandoned), and finished ones kept past it for retries."""
        query = (
            select(uploads)
            .where(uploads.c.expires_at < before)
            .order_by(uploads.c.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [without_tenant(row) for row in await self.all(query)]


class SqlReminders(Repository):
    async def sent(self, version_id: UUID, expires_on: date) -> list[int]:
        query = select(expiry_reminders.c.days_before).where(
            expiry_reminders.c.version_id == version_id, expiry_reminders.c.expires_on == expires_on
        )
        return [row["days_before"] for row in await self.all(query)]

    async def mark(self, rows: list[Row]) -> bool:
        """Record reminders; False when another copy of the job recorded the first one already."""
        first, *others = rows
        statement = (
            pg_insert(expiry_reminders)
            .values({**first, "organization_id": self.organization_id})
            .on_conflict_do_nothing()
            .returning(expiry_reminders.c.version_id)
        )
        if await self.optional(statement) is None:
            return False
        for row in others:
            await self.execute(
                pg_insert(expiry_reminders)
                .values({**row, "organization_id": self.organization_id})
                .on_conflict_do_nothing()
            )
        return True


class SqlTenants(Repository):
    async def mark(self, organization_id: UUID, at: datetime) -> None:
        statement = pg_insert(documents_tenants).values(tenant_id=organization_id, since=at).on_conflict_do_nothing()
        await self.execute(statement)

    async def organizations(self) -> list[UUID]:
        return list((await self.execute(select(documents_tenants.c.tenant_id))).scalars())
