"""What production computes and keeps: lease-month rollups, imports and their error lines, alerts, and the
pumpers' route assignments (revision 0002)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import tenant_table, timestamp_column, uuid_column

from .base import VOLUME, metadata

lease_months = tenant_table(
    "lease_months",
    metadata,
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("revision", BigInteger, nullable=False),
    Column("lease_type", Text, nullable=False),
    Column("oil_bbl", VOLUME, nullable=False),
    Column("condensate_bbl", VOLUME, nullable=False),
    Column("casinghead_gas_mcf", VOLUME, nullable=False),
    Column("gas_well_gas_mcf", VOLUME, nullable=False),
    Column("water_bbl", VOLUME, nullable=False),
    Column("liquid_bbl", VOLUME, nullable=False),
    Column("gas_mcf", VOLUME, nullable=False),
    Column("production_days", Integer, nullable=False),
    Column("reading_count", Integer, nullable=False),
    Column("beginning_oil_stock_bbl", VOLUME, nullable=True),
    Column("ending_oil_stock_bbl", VOLUME, nullable=True),
    Column("oil_disposed_bbl", VOLUME, nullable=False),
    Column("oil_dispositions", JSONB, nullable=False),
    Column("gas_disposed_mcf", VOLUME, nullable=False),
    Column("gas_dispositions", JSONB, nullable=False),
    Column("gas_disposition_mismatch_mcf", VOLUME, nullable=False),
    timestamp_column("updated_at"),
    # revision 0003: stock in net standard barrels, and what the Form PR must know about it
    Column("beginning_net_stock_bbl", VOLUME, nullable=True),
    Column("ending_net_stock_bbl", VOLUME, nullable=True),
    Column("month_end_gauged", Boolean, nullable=False, server_default="false"),
    Column("uncorrected_stock_gauges", JSONB, nullable=False, server_default="[]"),
    key=("lease_id", "month"),
)
Index("lease_months_month", lease_months.c.organization_id, lease_months.c.month)

imports = tenant_table(
    "imports",
    metadata,
    uuid_column("id"),
    Column("file_name", Text, nullable=True),
    Column("mode", Text, nullable=False),
    Column("status", Text, nullable=False),  # imported | rejected
    Column("rows_total", Integer, nullable=False),
    Column("rows_imported", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("first_date", Date, nullable=True),
    Column("last_date", Date, nullable=True),
    Column("well_count", Integer, nullable=False),
    Column("lease_ids", JSONB, nullable=False),
    Column("imported_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("duration_ms", Integer, nullable=False),
)

import_errors = tenant_table(
    "import_errors",
    metadata,
    uuid_column("import_id"),
    Column("line", BigInteger, nullable=False),
    Column("field", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("message", Text, nullable=False),
    key=("import_id", "line", "field"),
)

alerts = tenant_table(
    "alerts",
    metadata,
    uuid_column("id"),
    Column("kind", Text, nullable=False),
    Column("day", Date, nullable=False),
    uuid_column("well_id", nullable=True),
    uuid_column("lease_id", nullable=True),
    uuid_column("battery_id", nullable=True),
    uuid_column("tank_id", nullable=True),
    Column("dedup_key", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    timestamp_column("raised_at"),
    timestamp_column("acknowledged_at", nullable=True),
    Column("acknowledged_by", Text, nullable=True),
    Column("acknowledgement_note", Text, nullable=True),
    UniqueConstraint("organization_id", "dedup_key", name="alerts_dedup"),
)
Index("alerts_day", alerts.c.organization_id, alerts.c.day, alerts.c.kind)

# ---------------------------------------------------------------- pumpers' routes (revision 0002)

route_assignments = tenant_table(
    "route_assignments",
    metadata,
    uuid_column("user_id"),  # the member who walks the route (identity's user id)
    uuid_column("well_id"),
    Column("position", Integer, nullable=False),  # visiting order, 1 first
    Column("assigned_by", Text, nullable=False),
    timestamp_column("assigned_at"),
    CheckConstraint("position >= 1", name="route_assignments_position"),
    key=("user_id", "well_id"),
)

# ---------------------------------------------------------------- refused loads and prices (revision 0004)

run_ticket_rejections = tenant_table(
    "run_ticket_rejections",
    metadata,
    uuid_column("run_ticket_id"),
    Column("reason", Text, nullable=False),
    Column("photo_document_id", Text, nullable=True),  # an opaque document id (the documents service's)
    timestamp_column("rejected_at"),
    Column("recorded_by", Text, nullable=False),
    Column("dispute_state", Text, nullable=False),  # open | resolved
    timestamp_column("resolved_at", nullable=True),
    Column("resolved_by", Text, nullable=True),
    Column("resolution", Text, nullable=True),
    CheckConstraint("dispute_state IN ('open', 'resolved')", name="run_ticket_rejections_state"),
    CheckConstraint(
        "(dispute_state = 'resolved') = (resolved_at IS NOT NULL AND resolved_by IS NOT NULL)",
        name="run_ticket_rejections_resolved",
    ),
    key=("run_ticket_id",),
)

# production's copy of accounting's prices (accounting.price_recorded.v1); lease_key is the lease id, or
# '*' for a price of every lease of the organization
prices = tenant_table(
    "prices",
    metadata,
    Column("lease_key", Text, nullable=False),
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),  # oil | condensate | gas
    Column("price", Numeric(12, 4), nullable=False),
    uuid_column("price_id"),
    timestamp_column("recorded_at"),
    key=("lease_key", "month", "product"),
)
