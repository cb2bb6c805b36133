"""The documents schema: documents, their versions and links, the blobs they reference, resumable uploads
and their parts, the expiry reminders sent (tenant tables, RLS forced), and ``documents_tenants``, the one
cross-tenant table: which organizations have documents, so the background jobs know whose to look at (ids
only, like the outbox; no RLS)."""

from __future__ import annotations

from sqlalchemy import ARRAY, BigInteger, Boolean, Column, Date, Index, Integer, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

metadata = MetaData()

documents = tenant_table(
    "documents",
    metadata,
    uuid_column("id"),
    Column("title", Text, nullable=False),
    Column("document_type", Text, nullable=False),
    Column("tags", ARRAY(Text), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("expires_on", Date, nullable=True),
    Column("retain_until", Date, nullable=True),
    Column("legal_hold", Boolean, nullable=False, server_default="false"),
    Column("legal_hold_reason", Text, nullable=True),
    Column("current_version", Integer, nullable=False),
    uuid_column("created_by"),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
)
Index("documents_type", documents.c.organization_id, documents.c.document_type, documents.c.created_at)
Index(
    "documents_expiry",
    documents.c.organization_id,
    documents.c.expires_on,
    postgresql_where=documents.c.expires_on.isnot(None),
)

document_links = tenant_table(
    "document_links",
    metadata,
    uuid_column("document_id"),
    Column("kind", Text, nullable=False),
    uuid_column("target_id"),
    key=("document_id", "kind", "target_id"),
)
Index("document_links_target", document_links.c.organization_id, document_links.c.kind, document_links.c.target_id)

document_versions = tenant_table(
    "document_versions",
    metadata,
    uuid_column("id"),
    uuid_column("document_id"),
    Column("number", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("location_kept", Boolean, nullable=False),
    Column("thumbnail_sha256", Text, nullable=True),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("pages", Integer, nullable=True),
    uuid_column("created_by"),
    timestamp_column("created_at"),
)
Index("document_versions_number", document_versions.c.organization_id, document_versions.c.document_id,
      document_versions.c.number, unique=True)  # fmt: skip
Index("document_versions_blob", document_versions.c.organization_id, document_versions.c.sha256)
Index("document_versions_thumbnail", document_versions.c.organization_id, document_versions.c.thumbnail_sha256)

# One row per stored object of the tenant (a file's bytes or a thumbnail), keyed by its SHA-256.
blobs = tenant_table(
    "blobs",
    metadata,
    Column("sha256", Text, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("storage_key", Text, nullable=False),
    timestamp_column("created_at"),
    key=("sha256",),
)

uploads = tenant_table(
    "uploads",
    metadata,
    uuid_column("id"),
    uuid_column("document_id", nullable=True),  # a new version of this document; None: a new document
    Column("request", JSONB, nullable=False),  # what the document will be: title, type, links, tags ...
    Column("file_name", Text, nullable=True),
    Column("total_bytes", BigInteger, nullable=False),
    Column("received_bytes", BigInteger, nullable=False),
    Column("status", Text, nullable=False),  # open, complete
    Column("result_document_id", UUID(as_uuid=True), nullable=True),
    Column("result_version", Integer, nullable=True),
    uuid_column("created_by"),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    timestamp_column("expires_at"),
)
Index("uploads_stale", uploads.c.organization_id, uploads.c.expires_at, postgresql_where=uploads.c.status == "open")

upload_parts = tenant_table(
    "upload_parts",
    metadata,
    uuid_column("upload_id"),
    Column("start_byte", BigInteger, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("storage_key", Text, nullable=False),
    key=("upload_id", "start_byte"),
)

expiry_reminders = tenant_table(
    "expiry_reminders",
    metadata,
    uuid_column("version_id"),
    Column("expires_on", Date, nullable=False),
    Column("days_before", Integer, nullable=False),
    uuid_column("document_id"),
    Column("event_sent", Boolean, nullable=False),
    timestamp_column("sent_at"),
    key=("version_id", "expires_on", "days_before"),
)

documents_tenants = Table(
    "documents_tenants",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("since"),
)

TENANT_TABLES = (
    "documents",
    "document_links",
    "document_versions",
    "blobs",
    "uploads",
    "upload_parts",
    "expiry_reminders",
)
