"""The compliance service's tables (SQLAlchemy Core). ``metadata`` is shared with the submission package,
which adds its own tables to it in its own migration.

Every table but ``tenants`` is a tenant table: ``organization_id`` first in its key and indexes, RLS forced
(see migration 0001). ``tenants`` lists only the organization ids compliance has heard of, so the deadline
task (system work, no tenant) knows whose calendars to walk; it holds no tenant data.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import decimal_column, organization_id_column, timestamp_column, uuid_column

metadata = MetaData()

VOLUME = Numeric(18, 4)  # barrels or MCF


tenants = Table(
    "tenants",
    metadata,
    Column("tenant_id", UUID(as_uuid=True), primary_key=True),
    timestamp_column("first_seen_at"),
)

operators = Table(
    "operators",
    metadata,
    organization_id_column(),
    Column("name", Text, nullable=True),
    Column("rrc_operator_number", Text, nullable=True),
    Column("source", Text, nullable=False),  # identity (organization event) or manual (endpoint)
    Column("updated_by", Text, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id"),
)

leases = Table(
    "leases",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("rrc_district", Text, nullable=False),
    Column("rrc_lease_number", Text, nullable=True),  # NULL: pending
    Column("lease_type", Text, nullable=False),
    Column("county", Text, nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("event_at"),  # when the fact happened: an older event arriving late changes nothing
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
)

wells = Table(
    "wells",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("name", Text, nullable=True),
    Column("api_number", Text, nullable=False),
    Column("gas_well_id", Text, nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("event_at"),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("wells_lease", wells.c.organization_id, wells.c.lease_id)

lease_months = Table(
    "lease_months",
    metadata,
    organization_id_column(),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("lease_type", Text, nullable=False),
    decimal_column("liquid_bbl", VOLUME),
    decimal_column("gas_mcf", VOLUME),
    decimal_column("beginning_stock_bbl", VOLUME, nullable=True),
    decimal_column("ending_stock_bbl", VOLUME, nullable=True),
    Column("liquid_dispositions", JSONB, nullable=False),  # [[code, "bbl"], ...]
    Column("gas_dispositions", JSONB, nullable=False),  # [{code, mcf, authority}, ...]
    timestamp_column("received_at"),
    PrimaryKeyConstraint("organization_id", "lease_id", "month"),
)
Index("lease_months_month", lease_months.c.organization_id, lease_months.c.month)

run_tickets = Table(
    "run_tickets",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("ticket_number", Text, nullable=False),
    Column("disposition_code", Text, nullable=False),
    decimal_column("net_bbl", VOLUME),
    timestamp_column("taken_at"),
    Column("purchaser", Text, nullable=False),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("run_tickets_lease_month", run_tickets.c.organization_id, run_tickets.c.lease_id, run_tickets.c.month)

form_pr_reports = Table(
    "form_pr_reports",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("period", Date, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("regenerated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "period", name="form_pr_reports_period_unique"),
)

form_pr_lines = Table(
    "form_pr_lines",
    metadata,
    organization_id_column(),
    Column("period", Date, nullable=False),
    uuid_column("lease_id"),
    Column("line", JSONB, nullable=False),
    Column("ending_stock", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "period", "lease_id"),
)

form_pr_adjustments = Table(
    "form_pr_adjustments",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("period", Date, nullable=False),
    uuid_column("lease_id"),
    Column("product", Text, nullable=False),
    Column("code", Text, nullable=True),
    decimal_column("volume", VOLUME),
    Column("authority", Text, nullable=True),
    Column("remark", Text, nullable=True),
    Column("reason", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("idempotency_key", Text, nullable=True),
    timestamp_column("voided_at", nullable=True),
    Column("voided_by", Text, nullable=True),
    Column("void_reason", Text, nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "idempotency_key", name="form_pr_adjustments_idempotency"),
    CheckConstraint("product IN ('liquid', 'gas', 'remark')", name="adjustment_product"),
)
Index("form_pr_adjustments_period", form_pr_adjustments.c.organization_id, form_pr_adjustments.c.period)

form_pr_versions = Table(
    "form_pr_versions",
    metadata,
    organization_id_column(),
    uuid_column("report_id"),
    Column("version", Integer, nullable=False),
    Column("period", Date, nullable=False),
    Column("kind", Text, nullable=False),  # original or amended
    Column("state", Text, nullable=False),  # submitted, accepted, rejected
    Column("payload", JSONB, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("submitted_by", Text, nullable=False),
    timestamp_column("submitted_at"),
    Column("submission", JSONB, nullable=True),
    Column("confirmation_number", Text, nullable=True),
    Column("reasons", JSONB, nullable=False),
    timestamp_column("decided_at", nullable=True),
    PrimaryKeyConstraint("organization_id", "report_id", "version"),
    CheckConstraint("state IN ('submitted', 'accepted', 'rejected')", name="version_state"),
)

severance_prices = Table(
    "severance_prices",
    metadata,
    organization_id_column(),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),  # liquid or gas
    Column("price", Numeric(18, 6), nullable=True),
    Column("gross_value", Numeric(18, 2), nullable=True),
    Column("marketing_costs", Numeric(18, 2), nullable=False),
    Column("entered_by", Text, nullable=False),
    timestamp_column("entered_at"),
    PrimaryKeyConstraint("organization_id", "lease_id", "month", "product"),
    CheckConstraint("product IN ('liquid', 'gas')", name="price_product"),
)

relief_grants = Table(
    "relief_grants",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("code", Text, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),
    Column("inputs", JSONB, nullable=False),
    Column("granted_by", Text, nullable=False),
    timestamp_column("created_at"),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("relief_grants_lease", relief_grants.c.organization_id, relief_grants.c.lease_id)

severance_taxes = Table(
    "severance_taxes",
    metadata,
    organization_id_column(),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("result", JSONB, nullable=False),
    Column("result_hash", Text, nullable=False),
    Column("total_tax", Numeric(18, 2), nullable=False),
    timestamp_column("computed_at"),
    PrimaryKeyConstraint("organization_id", "lease_id", "month"),
)
Index("severance_taxes_month", severance_taxes.c.organization_id, severance_taxes.c.month)

filing_obligations = Table(
    "filing_obligations",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("obligation", Text, nullable=False),
    Column("period", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("state", Text, nullable=False),
    timestamp_column("done_at", nullable=True),
    Column("done_by", Text, nullable=True),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "obligation", "period", name="filing_obligations_unique"),
)
Index("filing_obligations_due", filing_obligations.c.organization_id, filing_obligations.c.due_date)

deadline_notices = Table(
    "deadline_notices",
    metadata,
    organization_id_column(),
    uuid_column("obligation_id"),
    Column("kind", Text, nullable=False),  # "30", "7", "1" (days before) or "missed"
    timestamp_column("sent_at"),
    PrimaryKeyConstraint("organization_id", "obligation_id", "kind"),
)

TENANT_TABLES = (
    "operators",
    "leases",
    "wells",
    "lease_months",
    "run_tickets",
    "form_pr_reports",
    "form_pr_lines",
    "form_pr_adjustments",
    "form_pr_versions",
    "severance_prices",
    "relief_grants",
    "severance_taxes",
    "filing_obligations",
    "deadline_notices",
)
