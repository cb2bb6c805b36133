"""Prices and revenue distribution: runs, sales, owner lines, settlements, suspense."""

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
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, VOLUME, metadata

prices = tenant_table(
    "prices",
    metadata,
    uuid_column("id"),
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),
    uuid_column("lease_id", nullable=True),  # NULL: the price for every lease without its own
    Column("price", Numeric(12, 4), nullable=False),
    Column("source", Text, nullable=False),
    uuid_column("purchaser_id", nullable=True),
    decimal_column("volume", VOLUME, nullable=True),
    decimal_column("gross_value", MONEY, nullable=True),
    decimal_column("deductions", MONEY, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    CheckConstraint("product IN ('oil', 'gas', 'condensate')", name="price_product"),
    CheckConstraint("source IN ('entered', 'purchaser_statement')", name="price_source"),
    CheckConstraint("source = 'entered' OR lease_id IS NOT NULL", name="statement_has_lease"),
)
Index(
    "prices_unique",
    prices.c.organization_id,
    prices.c.month,
    prices.c.product,
    prices.c.lease_id,
    unique=True,
    postgresql_nulls_not_distinct=True,
)

distribution_runs = tenant_table(
    "distribution_runs",
    metadata,
    uuid_column("id"),
    Column("month", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("totals", JSONB, nullable=False),
    Column("warnings", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("finalized_by", Text, nullable=True),
    timestamp_column("finalized_at", nullable=True),
    UniqueConstraint("organization_id", "month", name="distribution_runs_month_unique"),
    CheckConstraint("status IN ('draft', 'finalized')", name="run_status"),
)

distribution_sales = tenant_table(
    "distribution_sales",
    metadata,
    uuid_column("id"),
    uuid_column("run_id"),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),  # the sales month (earlier than the run's for an adjustment)
    Column("product", Text, nullable=False),
    Column("revision", Integer, nullable=False),  # the lease-month revision valued (production)
    Column("tax_revision", Integer, nullable=False),  # the severance tax revision used (compliance; 0: computed)
    decimal_column("volume", VOLUME),
    Column("price", Numeric(12, 4), nullable=False),
    decimal_column("gross_value", MONEY),
    decimal_column("severance_tax", MONEY),
    decimal_column("deductions", MONEY),
    Column("tax_source", Text, nullable=False),
    Column("price_source", Text, nullable=False),
    Column("is_adjustment", Boolean, nullable=False),
    Column("explanation", Text, nullable=True),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["distribution_runs.organization_id", "distribution_runs.id"], ondelete="CASCADE"
    ),
)
Index("distribution_sales_run", distribution_sales.c.organization_id, distribution_sales.c.run_id)
Index(
    "distribution_sales_lease_month",
    distribution_sales.c.organization_id,
    distribution_sales.c.lease_id,
    distribution_sales.c.month,
)

owner_lines = tenant_table(
    "owner_lines",
    metadata,
    uuid_column("id"),
    uuid_column("run_id"),
    uuid_column("sale_id"),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("product", Text, nullable=False),
    uuid_column("partner_id"),
    Column("interest_type", Text, nullable=False),
    Column("decimal", Numeric(10, 8), nullable=False),
    decimal_column("gross", MONEY),
    decimal_column("tax", MONEY),
    decimal_column("deductions", MONEY),
    decimal_column("net", MONEY),
    Column("is_adjustment", Boolean, nullable=False),
    Column("disposition", Text, nullable=False),  # pay or title_hold
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["distribution_runs.organization_id", "distribution_runs.id"], ondelete="CASCADE"
    ),
)
Index("owner_lines_run_partner", owner_lines.c.organization_id, owner_lines.c.run_id, owner_lines.c.partner_id)
Index("owner_lines_lease_month", owner_lines.c.organization_id, owner_lines.c.lease_id, owner_lines.c.month)

owner_settlements = tenant_table(
    "owner_settlements",
    metadata,
    uuid_column("run_id"),
    uuid_column("partner_id"),
    decimal_column("earned", MONEY),
    decimal_column("title_held", MONEY),
    decimal_column("released_title", MONEY),
    decimal_column("prior_minimum", MONEY),
    decimal_column("paid", MONEY),
    decimal_column("minimum_delta", MONEY),
    Column("reason", Text, nullable=False),
    Column("title_detail", JSONB, nullable=False),  # {"held": {lease: amount}, "released": {lease: amount}}
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["distribution_runs.organization_id", "distribution_runs.id"], ondelete="CASCADE"
    ),
    key=("run_id", "partner_id"),
)

suspense_entries = tenant_table(
    "suspense_entries",
    metadata,
    uuid_column("id"),
    uuid_column("partner_id"),
    uuid_column("lease_id", nullable=True),  # set for a title hold
    Column("reason", Text, nullable=False),
    decimal_column("amount", MONEY),  # + held, - released
    uuid_column("run_id", nullable=True),  # NULL: released by an escheat report, not a run
    Column("month", Date, nullable=False),
    timestamp_column("created_at"),
    # Set on the release that reported the balance to the Comptroller as unclaimed property (migration 0005).
    uuid_column("escheat_report_id", nullable=True),
    CheckConstraint("reason IN ('title_hold', 'minimum_payment')", name="suspense_reason"),
)
Index("suspense_partner", suspense_entries.c.organization_id, suspense_entries.c.partner_id)
