"""Column helpers for every service's tables, and the messaging tables every service database carries.

The helpers spell the columns all services share the same way: ``organization_id`` (the tenant column every
tenant table starts with), UUID ids, timezone-aware timestamps and NUMERIC decimals. Columns are NOT NULL
unless ``nullable=True`` says otherwise. A NUMERIC column takes its type from the service (``MONEY``,
``VOLUME``): precision and scale are each service's own choice, and the migrations spell the same ones.

The messaging tables (outbox, inbox and dead letters) are infrastructure, not tenant data: their tenant
column is ``tenant_id`` (not ``organization_id``) and they have no row-level security, because the outbox
relay and the dead-letter tools work across tenants. Only servicekit reads them; application queries never do.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    DDL,
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    event,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

TENANT_COLUMN = "organization_id"


def organization_id_column() -> Column[Any]:
    """The tenant column every tenant table starts with."""
    return uuid_column(TENANT_COLUMN)


def tenant_table(name: str, metadata: MetaData, *columns: Any, key: tuple[str, ...] = ("id",)) -> Table:
    """A tenant table: ``organization_id`` first, then ``columns`` (columns, constraints), and the primary key
    ``(organization_id, *key)`` (an empty ``key`` leaves the key to ``columns``)."""
    primary = (PrimaryKeyConstraint(TENANT_COLUMN, *key),) if key else ()
    return Table(name, metadata, organization_id_column(), *columns, *primary)


def lease_copy_table(metadata: MetaData, *extra: Any) -> Table:
    """A service's local copy of the wells service's leases, kept from its events (no foreign keys: events of
    different aggregates may arrive in any order); ``extra`` adds what this service needs besides."""
    return tenant_table(
        "leases",
        metadata,
        uuid_column("id"),
        Column("name", Text, nullable=False),
        Column("rrc_district", Text, nullable=False),
        Column("rrc_lease_number", Text, nullable=True),  # NULL: the RRC has not assigned it yet
        Column("lease_type", Text, nullable=False),
        Column("status", Text, nullable=False),
        timestamp_column("updated_at"),
        *extra,
    )


def well_copy_table(metadata: MetaData, *extra: Any) -> Table:
    """A service's local copy of the wells service's wells (see ``lease_copy_table``), indexed by lease."""
    table = tenant_table(
        "wells",
        metadata,
        uuid_column("id"),
        uuid_column("lease_id"),
        Column("api_number", Text, nullable=False),
        Column("status", Text, nullable=False),
        timestamp_column("updated_at"),
        *extra,
    )
    Index("wells_lease", table.c.organization_id, table.c.lease_id)
    return table


def uuid_column(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, UUID(as_uuid=True), nullable=nullable)


def timestamp_column(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


def decimal_column(name: str, numeric: Numeric[Any], *, nullable: bool = False) -> Column[Any]:
    """A NUMERIC column of the service's own precision and scale, e.g. ``decimal_column("net", MONEY)``."""
    return Column(name, numeric, nullable=nullable)


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

# The relay LISTENs on this channel. A statement-level trigger sends the notification from inside the
# committing transaction (PostgreSQL delivers it at commit and folds repeats into one), so a write costs
# no extra round trip for it.
OUTBOX_CHANNEL = "wellflow_outbox"
_notify_function = DDL(  # type: ignore[no-untyped-call]
    f"""
    CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{OUTBOX_CHANNEL}', '');
        RETURN NULL;
    END $$
    """
)
_notify_trigger = DDL(  # type: ignore[no-untyped-call]
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
)
event.listen(outbox, "after_create", _notify_function)
event.listen(outbox, "after_create", _notify_trigger)
event.listen(outbox, "after_drop", DDL("DROP FUNCTION IF EXISTS outbox_notify()"))  # type: ignore[no-untyped-call]

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
