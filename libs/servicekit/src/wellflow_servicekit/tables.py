"""Messaging tables every service database carries: outbox, inbox and dead letters.

They are infrastructure, not tenant data: their tenant column is ``tenant_id`` (not ``organization_id``)
and they have no row-level security, because the outbox relay and the dead-letter tools work across
tenants. Only servicekit reads them; application queries never do.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

messaging_metadata = MetaData()

outbox = Table(
    "outbox",
    messaging_metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True, comment="commit order within an aggregate"),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("aggregate_key", Text, nullable=True),
    Column("headers", JSONB, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
    Index("outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    Index(
        "outbox_unpublished_by_aggregate",
        "aggregate_key",
        "id",
        postgresql_where=text("published_at IS NULL AND aggregate_key IS NOT NULL"),
    ),
    Index("outbox_published_at", "published_at", postgresql_where=text("published_at IS NOT NULL")),
)

inbox = Table(
    "inbox",
    messaging_metadata,
    Column("consumer", Text, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id", name="inbox_pkey"),
)

dead_letters = Table(
    "dead_letters",
    messaging_metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("consumer", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=True),
    Column("event_type", Text, nullable=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=True),
    Column("headers", JSONB, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("error", Text, nullable=False),
    Column("deliveries", Integer, nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replayed_at", DateTime(timezone=True), nullable=True),
    Column("replay_count", Integer, nullable=False, server_default=text("0")),
    Index("dead_letters_pending", "consumer", "failed_at", postgresql_where=text("replayed_at IS NULL")),
)
