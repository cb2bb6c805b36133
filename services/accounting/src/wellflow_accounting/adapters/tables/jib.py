"""Joint interest billing: operating agreements, overhead adjustments, costs, runs, lines, statements, payments."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, metadata

agreements = tenant_table(
    "agreements",
    metadata,
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("name", Text, nullable=False),
    decimal_column("drilling_overhead_rate", MONEY),  # per well per month while drilling (prorated by drilling days)
    decimal_column("producing_overhead_rate", MONEY),  # per producing well per month
    Column("rates_set_on", Date, nullable=False),  # April 1 adjustments after this date apply
    Column("afe_overrun_percent", Numeric(6, 2), nullable=False),
    # the JOA lets the operator net what a working-interest owner owes against its revenue (0004)
    Column("allow_revenue_netting", Boolean, nullable=False, server_default=text("false")),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    UniqueConstraint("organization_id", "lease_id", name="agreements_lease_unique"),
)

overhead_adjustments = tenant_table(
    "overhead_adjustments",
    metadata,
    uuid_column("agreement_id"),
    Column("year", Integer, nullable=False),
    Column("percent", Numeric(7, 4), nullable=False),
    Column("entered_by", Text, nullable=False),
    timestamp_column("entered_at"),
    ForeignKeyConstraint(
        ["organization_id", "agreement_id"], ["agreements.organization_id", "agreements.id"], ondelete="CASCADE"
    ),
    key=("agreement_id", "year"),
)

costs = tenant_table(
    "costs",
    metadata,
    uuid_column("id"),
    uuid_column("lease_id"),
    uuid_column("well_id", nullable=True),
    Column("incurred_on", Date, nullable=False),
    uuid_column("vendor_id", nullable=True),
    Column("vendor_name", Text, nullable=False),
    Column("invoice_number", Text, nullable=True),
    Column("category", Text, nullable=False),
    Column("description", Text, nullable=True),
    decimal_column("amount", MONEY),
    Column("afe_number", Text, nullable=True),
    uuid_column("jib_run_id", nullable=True),  # set when an issued JIB run billed it
    Column("source", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    CheckConstraint(
        "category IN ('intangible_drilling', 'tangible', 'completion', 'lease_operating', 'workover', 'other')",
        name="cost_category",
    ),
)
Index("costs_unbilled", costs.c.organization_id, costs.c.jib_run_id, costs.c.incurred_on)
Index("costs_afe", costs.c.organization_id, costs.c.afe_number)
Index("costs_lease", costs.c.organization_id, costs.c.lease_id, costs.c.incurred_on)

jib_runs = tenant_table(
    "jib_runs",
    metadata,
    uuid_column("id"),
    Column("month", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("totals", JSONB, nullable=False),
    Column("warnings", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("issued_by", Text, nullable=True),
    timestamp_column("issued_at", nullable=True),
    UniqueConstraint("organization_id", "month", name="jib_runs_month_unique"),
    CheckConstraint("status IN ('draft', 'issued')", name="jib_run_status"),
)

jib_lines = tenant_table(
    "jib_lines",
    metadata,
    uuid_column("id"),
    uuid_column("run_id"),
    uuid_column("partner_id"),
    uuid_column("cost_id", nullable=True),  # NULL for overhead
    uuid_column("lease_id"),
    uuid_column("well_id", nullable=True),
    Column("incurred_on", Date, nullable=False),
    Column("category", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("vendor_name", Text, nullable=True),
    Column("afe_number", Text, nullable=True),
    decimal_column("gross", MONEY),
    Column("decimal", Numeric(10, 8), nullable=False),
    decimal_column("net", MONEY),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["jib_runs.organization_id", "jib_runs.id"], ondelete="CASCADE"
    ),
)
Index("jib_lines_run_partner", jib_lines.c.organization_id, jib_lines.c.run_id, jib_lines.c.partner_id)

jib_statements = tenant_table(
    "jib_statements",
    metadata,
    uuid_column("run_id"),
    uuid_column("partner_id"),
    Column("month", Date, nullable=False),
    decimal_column("prior_balance", MONEY),
    decimal_column("billed", MONEY),
    decimal_column("payments", MONEY),
    decimal_column("balance_due", MONEY),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["jib_runs.organization_id", "jib_runs.id"], ondelete="CASCADE"
    ),
    key=("run_id", "partner_id"),
)

jib_payments = tenant_table(
    "jib_payments",
    metadata,
    uuid_column("id"),
    uuid_column("partner_id"),
    Column("received_on", Date, nullable=False),
    decimal_column("amount", MONEY),
    Column("reference", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    # set when a payment run netted the balance (a positive amount) or refunded a credit (negative); 0004
    uuid_column("payment_run_id", nullable=True),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint("amount > 0 OR (payment_run_id IS NOT NULL AND amount <> 0)", name="payment_positive"),
)
Index("jib_payments_partner", jib_payments.c.organization_id, jib_payments.c.partner_id, jib_payments.c.received_on)
