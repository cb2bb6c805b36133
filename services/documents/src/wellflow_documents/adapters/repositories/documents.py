"""Documents with their links, and their versions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import and_, delete, exists, func, insert, select, update

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, escape_like, without_tenant

from ...app.ports import MAX_PAGE, Row
from ..tables import document_links, document_versions, documents


class SqlDocuments(Repository):
    async def add(self, row: Row) -> Row:
        statement = insert(documents).values({**row, "organization_id": self.organization_id}).returning(documents)
        return without_tenant(await self.one(statement))

    async def get(self, document_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(documents).where(documents.c.id == document_id)
        if lock:
            query = query.with_for_update()
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def update(self, document_id: UUID, changes: Row) -> Row | None:
        statement = update(documents).where(documents.c.id == document_id).values(changes).returning(documents)
        row = await self.optional(statement)
        return without_tenant(row) if row is not None else None

    async def delete(self, document_id: UUID) -> None:
        await self.execute(delete(document_links).where(document_links.c.document_id == document_id))
        await self.execute(delete(documents).where(documents.c.id == document_id))

    async def search(self, filters: Row, *, limit: int, offset: int) -> PageOf[Row]:
        query = select(documents, func.count().over().label("_total"))
        if filters.get("document_type"):
            query = query.where(documents.c.document_type == filters["document_type"])
        if filters.get("tag"):
            query = query.where(documents.c.tags.any(filters["tag"]))
        if filters.get("q"):
            query = query.where(documents.c.title.ilike(f"%{escape_like(filters['q'])}%", escape="\\"))
        if filters.get("expires_before"):
            query = query.where(documents.c.expires_on <= filters["expires_before"])
        if filters.get("link_kind"):
            linked = and_(document_links.c.document_id == documents.c.id, document_links.c.kind == filters["link_kind"])
            if filters.get("link_id"):
                linked = and_(linked, document_links.c.target_id == filters["link_id"])
            query = query.where(exists(select(document_links.c.document_id).where(linked)))
        query = query.order_by(documents.c.created_at.desc(), documents.c.id.desc())
        page = await self.page(query, limit=limit, offset=offset, maximum=MAX_PAGE)
        return PageOf([without_tenant(row) for row in page.items], page.total, page.limit, page.offset)

    async def set_links(self, document_id: UUID, links: list[Row]) -> None:
        await self.execute(delete(document_links).where(document_links.c.document_id == document_id))
        if links:
            rows = [{"organization_id": self.organization_id, "document_id": document_id, **link} for link in links]
            await self.execute(insert(document_links), rows)

    async def links(self, document_ids: list[UUID]) -> dict[UUID, list[Row]]:
        out: dict[UUID, list[Row]] = {document_id: [] for document_id in document_ids}
        if not document_ids:
            return out
        query = (
            select(document_links.c.document_id, document_links.c.kind, document_links.c.target_id)
            .where(document_links.c.document_id.in_(document_ids))
            .order_by(document_links.c.kind, document_links.c.target_id)
        )
        for row in await self.all(query):
            out[row["document_id"]].append({"kind": row["kind"], "id": row["target_id"]})
        return out

    async def expiring(self, until: date) -> list[Row]:
        query = (
            select(documents, document_versions.c.id.label("version_id"))
            .join(
                document_versions,
                and_(
                    document_versions.c.organization_id == documents.c.organization_id,
                    document_versions.c.document_id == documents.c.id,
                    document_versions.c.number == documents.c.current_version,
                ),
            )
            .where(documents.c.expires_on.isnot(None), documents.c.expires_on <= until)
            .order_by(documents.c.expires_on, documents.c.id)
        )
        return [without_tenant(row) for row in await self.all(query)]


class SqlVersions(Repository):
    async def add(self, row: Row) -> Row:
        values = {**row, "organization_id": self.organization_id}
        statement = insert(document_versions).values(values).returning(document_versions)
        return without_tenant(await self.one(statement))

    async def get(self, document_id: UUID, number: int) -> Row | None:
        query = select(document_versions).where(
            document_versions.c.document_id == document_id, document_versions.c.number == number
        )
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None

    async def of_document(self, document_id: UUID) -> list[Row]:
        query = (
            select(document_versions)
            .where(document_versions.c.document_id == document_id)
            .order_by(document_versions.c.number.desc())
        )
        return [without_tenant(row) for row in await self.all(query)]

    async def delete_of_document(self, document_id: UUID) -> list[str]:
        """Delete the versions; answers the blobs (files and thumbnails) they referenced."""
        statement = (
            delete(document_versions)
            .where(document_versions.c.document_id == document_id)
            .returning(document_versions.c.sha256, document_versions.c.thumbnail_sha256)
        )
        shas: set[str] = set()
        for row in await self.all(statement):
            shas.add(row["sha256"])
            if row["thumbnail_sha256"]:
                shas.add(row["thumbnail_sha256"])
        return sorted(shas)
