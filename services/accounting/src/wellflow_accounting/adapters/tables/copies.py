"""Copies learned from the wells, production and compliance events."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    Numeric,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import (
    decimal_column,
    lease_copy_table,
    tenant_table,
    timestamp_column,
    uuid_column,
    well_copy_table,
)

from .common import VOLUME, metadata

leases = lease_copy_table(
    metadata,
    Column("county", Text, nullable=True),
    Column("royalty_rate", Numeric(10, 8), nullable=True),
)

wells = well_copy_table(
    metadata,
    Column("name", Text, nullable=False),
    Column("county", Text, nullable=True),
)

well_status_history = tenant_table(
    "well_status_history",
    metadata,
    uuid_column("well_id"),
    Column("effective_date", Date, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("status", Text, nullable=False),
    key=("well_id", "effective_date", "seq"),
)

lease_months = tenant_table(
    "lease_months",
    metadata,
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("lease_type", Text, nullable=False),
    decimal_column("oil_bbl", VOLUME),
    decimal_column("condensate_bbl", VOLUME),
    decimal_column("gas_mcf", VOLUME),
    decimal_column("liquid_sold_bbl", VOLUME),
    decimal_column("gas_sold_mcf", VOLUME),
    Column("gas_sold_estimated", Boolean, nullable=False),
    timestamp_column("updated_at"),
    key=("lease_id", "month"),
)
Index("lease_months_month", lease_months.c.organization_id, lease_months.c.month)

run_tickets = tenant_table(
    "run_tickets",
    metadata,
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("production_month", Date, nullable=False),
    Column("ticket_number", Text, nullable=False),
    decimal_column("net_bbl", VOLUME),
    Column("purchaser", Text, nullable=False),
    timestamp_column("taken_at"),
)
Index("run_tickets_lease_month", run_tickets.c.organization_id, run_tickets.c.lease_id, run_tickets.c.production_month)

# A purchaser refused a load after its ticket was written (production.run_ticket_rejected.v1); the settlement of
# the dispute (run_ticket_rejection_resolved.v1) is recorded beside it. Kept apart from run_tickets, and the
# refusal's own columns nullable, so the three events may arrive in any order (a settlement heard before its
# refusal writes the row, the refusal fills it in). Created by migration 0008 (REFUSAL_TENANT_TABLES), not 0001.
run_ticket_refusals = tenant_table(
    "run_ticket_refusals",
    metadata,
    uuid_column("ticket_id"),
    uuid_column("lease_id"),
    Column("production_month", Date, nullable=True),
    Column("reason", Text, nullable=True),
    timestamp_column("rejected_at", nullable=True),
    Column("resolution", Text, nullable=True),
    Column("resolved_by", Text, nullable=True),
    timestamp_column("resolved_at", nullable=True),
    key=("ticket_id",),
)
REFUSAL_TENANT_TABLES = ("run_ticket_refusals",)

severance_taxes = tenant_table(
    "severance_taxes",
    metadata,
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("lines", JSONB, nullable=False),  # product -> tax (dollars, as text)
    # compliance's values per product, tax on unsold volumes, sources, warnings (migration 0002)
    Column("detail", JSONB, nullable=True),
    timestamp_column("updated_at"),
    key=("lease_id", "month"),
)
