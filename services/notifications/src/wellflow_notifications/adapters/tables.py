"""The notifications schema (tenant tables, RLS forced): the copy of the organization and its members kept from
identity's events, members' preferences, suppressed addresses (bounces, opt-outs), the notifications a member
sees in the console, and the deliveries by email and SMS with their attempts. ``notification_tenants`` is the
one cross-tenant table: which organizations exist, so the delivery and digest rounds know whose rows to look at
(ids only, like the outbox; no RLS)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text, Time
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

metadata = MetaData()

organization = tenant_table(
    "organization",
    metadata,
    Column("name", Text, nullable=False),
    Column("version", Integer, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id"),
    key=(),
)

members = tenant_table(
    "members",
    metadata,
    uuid_column("id"),  # identity's user id
    Column("email", Text, nullable=True),
    Column("full_name", Text, nullable=True),
    Column("role", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    timestamp_column("updated_at"),
)

preferences = tenant_table(
    "preferences",
    metadata,
    uuid_column("member_id"),
    # {kind: [channel, ...]}; a kind left out takes the role's default
    Column("channels", JSONB, nullable=False),
    Column("quiet_start", Time, nullable=True),
    Column("quiet_end", Time, nullable=True),
    Column("time_zone", Text, nullable=False),
    Column("digest", Boolean, nullable=False),
    Column("digest_hour", Integer, nullable=False),
    Column("sms_number", Text, nullable=True),
    timestamp_column("updated_at"),
    key=("member_id",),
)

suppressions = tenant_table(
    "suppressions",
    metadata,
    Column("channel", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("reason", Text, nullable=False),  # bounced, opted_out
    Column("detail", Text, nullable=True),
    timestamp_column("created_at"),
    key=("channel", "address"),
)

notifications = tenant_table(
    "notifications",
    metadata,
    uuid_column("id"),
    uuid_column("member_id"),
    uuid_column("event_id"),
    Column("kind", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("link", Text, nullable=True),
    timestamp_column("created_at"),
    timestamp_column("read_at", nullable=True),
)
# one notification per event and person, however often the event arrives
Index(
    "notifications_once",
    notifications.c.organization_id,
    notifications.c.event_id,
    notifications.c.member_id,
    unique=True,
)
Index("notifications_member", notifications.c.organization_id, notifications.c.member_id, notifications.c.created_at)

deliveries = tenant_table(
    "deliveries",
    metadata,
    uuid_column("id"),
    Column("dedup_key", Text, nullable=False),  # <event or digest>:<recipient>:<channel>
    uuid_column("notification_id", nullable=True),
    uuid_column("member_id", nullable=True),  # None: an invitee, not a member yet
    Column("kind", Text, nullable=False),
    Column("channel", Text, nullable=False),  # email, sms
    Column("address", Text, nullable=False),
    # pending, digest (waits for the member's daily digest), sent, failed, suppressed, digested
    Column("status", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=True),
    Column("sealed", Text, nullable=True),  # a secret (an invitation link) sealed until the moment of sending
    Column("attempts", Integer, nullable=False),
    timestamp_column("next_attempt_at"),
    timestamp_column("created_at"),
    timestamp_column("finished_at", nullable=True),
    Column("provider_id", Text, nullable=True),
    Column("last_error", Text, nullable=True),
)
Index("deliveries_once", deliveries.c.organization_id, deliveries.c.dedup_key, unique=True)
Index(
    "deliveries_due",
    deliveries.c.organization_id,
    deliveries.c.next_attempt_at,
    postgresql_where=deliveries.c.status == "pending",
)
Index("deliveries_status", deliveries.c.organization_id, deliveries.c.status, deliveries.c.created_at)

attempts = tenant_table(
    "delivery_attempts",
    metadata,
    uuid_column("id"),
    uuid_column("delivery_id"),
    timestamp_column("attempted_at"),
    Column("outcome", Text, nullable=False),  # sent, retry, failed, bounced
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
)
Index("delivery_attempts_delivery", attempts.c.organization_id, attempts.c.delivery_id)

# Cross-tenant: which organizations notifications knows (ids only), read by the rounds outside any tenant.
notification_tenants = Table(
    "notification_tenants",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("since"),
)

TENANT_TABLES = (
    "organization",
    "members",
    "preferences",
    "suppressions",
    "notifications",
    "deliveries",
    "delivery_attempts",
)
