"""The integrations schema: feeds, webhook endpoints, the events kept for them, deliveries and attempts
(tenant tables, RLS forced), and ``webhook_tenants``, the one cross-tenant table: which organizations have
endpoints, so the dispatcher knows whose deliveries to look at (ids only, like the outbox; no RLS)."""

from __future__ import annotations

from sqlalchemy import ARRAY, BigInteger, Boolean, Column, Identity, Index, Integer, LargeBinary, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import UUID

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

metadata = MetaData()

feeds = tenant_table(
    "feeds",
    metadata,
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("consumer", Text, nullable=False),
    Column("start", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
)
Index("feeds_name", feeds.c.organization_id, feeds.c.name, unique=True)

webhook_endpoints = tenant_table(
    "webhook_endpoints",
    metadata,
    uuid_column("id"),
    Column("url", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("event_types", ARRAY(Text), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("secret", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
)

webhook_events = tenant_table(
    "webhook_events",
    metadata,
    uuid_column("id"),  # the event's id (ce-id)
    Column("event_type", Text, nullable=False),
    Column("ordering_key", Text, nullable=True),
    Column("payload", LargeBinary, nullable=False),
    timestamp_column("occurred_at"),
    timestamp_column("received_at"),
)
Index("webhook_events_time", webhook_events.c.organization_id, webhook_events.c.occurred_at)

webhook_deliveries = tenant_table(
    "webhook_deliveries",
    metadata,
    uuid_column("id"),
    # arrival order: events of one aggregate arrive in stream order, and are delivered in this order
    Column("seq", BigInteger, Identity(always=True), nullable=False),
    uuid_column("endpoint_id"),
    uuid_column("event_id"),
    Column("event_type", Text, nullable=False),
    Column("ordering_key", Text, nullable=True),
    Column("status", Text, nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False),
    timestamp_column("next_attempt_at"),
    uuid_column("replay_of", nullable=True),
    timestamp_column("created_at"),
    timestamp_column("finished_at", nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
)
Index(
    "webhook_deliveries_due",
    webhook_deliveries.c.organization_id,
    webhook_deliveries.c.next_attempt_at,
    postgresql_where=webhook_deliveries.c.status == "pending",
)
Index(
    "webhook_deliveries_order",
    webhook_deliveries.c.organization_id,
    webhook_deliveries.c.endpoint_id,
    webhook_deliveries.c.ordering_key,
    webhook_deliveries.c.seq,
    postgresql_where=webhook_deliveries.c.status == "pending",
)
Index("webhook_deliveries_endpoint", webhook_deliveries.c.organization_id, webhook_deliveries.c.endpoint_id)

webhook_attempts = tenant_table(
    "webhook_attempts",
    metadata,
    uuid_column("id"),
    uuid_column("delivery_id"),
    timestamp_column("attempted_at"),
    Column("status_code", Integer, nullable=True),
    Column("outcome", Text, nullable=False),  # delivered, failed, refused
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
    Column("response_excerpt", Text, nullable=True),
)
Index("webhook_attempts_delivery", webhook_attempts.c.organization_id, webhook_attempts.c.delivery_id)

# Cross-tenant: which organizations have (or had) endpoints. Named tenant_id, not organization_id: it holds no
# tenant data and is read by the dispatcher outside any tenant (as the outbox is by the relay).
webhook_tenants = Table(
    "webhook_tenants",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("since"),
)

TENANT_TABLES = ("feeds", "webhook_endpoints", "webhook_events", "webhook_deliveries", "webhook_attempts")
