"""AFEs: estimates, elections, history, and the alerts they raise."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, metadata

afes = tenant_table(
    "afes",
    metadata,
    uuid_column("id"),
    Column("afe_number", Text, nullable=False),
    Column("title", Text, nullable=False),
    uuid_column("lease_id"),
    uuid_column("well_id", nullable=True),
    uuid_column("parent_afe_id", nullable=True),  # a supplemental AFE's original
    Column("status", Text, nullable=False),
    Column("overrun_percent", Numeric(6, 2), nullable=False),
    Column("description", Text, nullable=True),
    decimal_column("last_alerted_actual", MONEY, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    UniqueConstraint("organization_id", "afe_number", name="afes_number_unique"),
    ForeignKeyConstraint(["organization_id", "parent_afe_id"], ["afes.organization_id", "afes.id"]),
)
Index("afes_lease", afes.c.organization_id, afes.c.lease_id, afes.c.status)

afe_lines = tenant_table(
    "afe_lines",
    metadata,
    uuid_column("afe_id"),
    Column("line_no", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("description", Text, nullable=True),
    decimal_column("amount", MONEY),
    ForeignKeyConstraint(["organization_id", "afe_id"], ["afes.organization_id", "afes.id"], ondelete="CASCADE"),
    CheckConstraint("kind IN ('intangible', 'tangible')", name="afe_line_kind"),
    key=("afe_id", "line_no"),
)

afe_elections = tenant_table(
    "afe_elections",
    metadata,
    uuid_column("afe_id"),
    uuid_column("partner_id"),
    Column("election", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("recorded_at"),
    ForeignKeyConstraint(["organization_id", "afe_id"], ["afes.organization_id", "afes.id"], ondelete="CASCADE"),
    CheckConstraint("election IN ('consent', 'non_consent')", name="afe_election"),
    key=("afe_id", "partner_id"),
)

afe_history = tenant_table(
    "afe_history",
    metadata,
    uuid_column("id"),
    uuid_column("afe_id"),
    Column("from_status", Text, nullable=True),
    Column("to_status", Text, nullable=False),
    Column("changed_by", Text, nullable=False),
    timestamp_column("changed_at"),
    Column("note", Text, nullable=True),
    ForeignKeyConstraint(["organization_id", "afe_id"], ["afes.organization_id", "afes.id"], ondelete="CASCADE"),
)
Index("afe_history_afe", afe_history.c.organization_id, afe_history.c.afe_id)

alerts = tenant_table(
    "alerts",
    metadata,
    uuid_column("id"),
    Column("kind", Text, nullable=False),
    uuid_column("afe_id", nullable=True),
    Column("message", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    timestamp_column("raised_at"),
    Column("acknowledged_by", Text, nullable=True),
    timestamp_column("acknowledged_at", nullable=True),
)
Index("alerts_open", alerts.c.organization_id, alerts.c.acknowledged_at, alerts.c.raised_at)
