"""The accounting service's tables (SQLAlchemy Core). Every table here is a tenant table: ``organization_id``
first in its key and indexes, RLS forced (see the migration). Money is numeric to the cent, volumes numeric,
ownership decimals numeric(10, 8)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from wellflow_servicekit.tables import decimal_column, organization_id_column, timestamp_column, uuid_column

metadata = MetaData()

MONEY = Numeric(16, 2)  # dollars to the cent
VOLUME = Numeric(16, 4)  # barrels or MCF


# ---------------------------------------------------------------- copies learned from events

leases = Table(
    "leases",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("rrc_district", Text, nullable=False),
    Column("rrc_lease_number", Text, nullable=True),
    Column("lease_type", Text, nullable=False),
    Column("county", Text, nullable=True),
    Column("royalty_rate", Numeric(10, 8), nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
)

wells = Table(
    "wells",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("name", Text, nullable=False),
    Column("api_number", Text, nullable=False),
    Column("county", Text, nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("wells_lease", wells.c.organization_id, wells.c.lease_id)

well_status_history = Table(
    "well_status_history",
    metadata,
    organization_id_column(),
    uuid_column("well_id"),
    Column("effective_date", Date, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("status", Text, nullable=False),
    PrimaryKeyConstraint("organization_id", "well_id", "effective_date", "seq"),
)

lease_months = Table(
    "lease_months",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "lease_id", "month"),
)
Index("lease_months_month", lease_months.c.organization_id, lease_months.c.month)

run_tickets = Table(
    "run_tickets",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("production_month", Date, nullable=False),
    Column("ticket_number", Text, nullable=False),
    decimal_column("net_bbl", VOLUME),
    Column("purchaser", Text, nullable=False),
    timestamp_column("taken_at"),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("run_tickets_lease_month", run_tickets.c.organization_id, run_tickets.c.lease_id, run_tickets.c.production_month)

severance_taxes = Table(
    "severance_taxes",
    metadata,
    organization_id_column(),
    uuid_column("lease_id"),
    Column("month", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("lines", JSONB, nullable=False),  # product -> tax (dollars, as text)
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "lease_id", "month"),
)

# ---------------------------------------------------------------- partners and ownership

partners = Table(
    "partners",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("roles", ARRAY(Text), nullable=False),
    Column("email", Text, nullable=True),
    Column("phone", Text, nullable=True),
    Column("address_line1", Text, nullable=True),
    Column("address_line2", Text, nullable=True),
    Column("city", Text, nullable=True),
    Column("state", Text, nullable=True),
    Column("postal_code", Text, nullable=True),
    Column("payment_method", Text, nullable=False),
    Column("bank_name", Text, nullable=True),
    Column("bank_routing_number", Text, nullable=True),
    Column("bank_account_number", Text, nullable=True),
    Column("tax_id", Text, nullable=True),  # nine digits; never answered unmasked
    Column("owner_number", Text, nullable=True),
    Column("status", Text, nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "owner_number", name="partners_owner_number_unique"),
    CheckConstraint("kind IN ('company', 'individual')", name="partner_kind"),
    CheckConstraint("status IN ('active', 'inactive')", name="partner_status"),
)
Index("partners_name", partners.c.organization_id, partners.c.name)

decks = Table(
    "decks",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("kind", Text, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date, nullable=True),  # exclusive
    Column("note", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    PrimaryKeyConstraint("organization_id", "id"),
    CheckConstraint("kind IN ('revenue', 'cost')", name="deck_kind"),
    CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="deck_period"),
)
Index("decks_lease", decks.c.organization_id, decks.c.lease_id, decks.c.kind, decks.c.effective_from)

deck_lines = Table(
    "deck_lines",
    metadata,
    organization_id_column(),
    uuid_column("deck_id"),
    uuid_column("partner_id"),
    Column("interest_type", Text, nullable=False),
    Column("decimal", Numeric(10, 8), nullable=False),
    PrimaryKeyConstraint("organization_id", "deck_id", "partner_id", "interest_type"),
    ForeignKeyConstraint(["organization_id", "deck_id"], ["decks.organization_id", "decks.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
)
Index("deck_lines_partner", deck_lines.c.organization_id, deck_lines.c.partner_id)

title_holds = Table(
    "title_holds",
    metadata,
    organization_id_column(),
    uuid_column("partner_id"),
    uuid_column("lease_id"),
    Column("status", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("changed_by", Text, nullable=False),
    timestamp_column("changed_at"),
    PrimaryKeyConstraint("organization_id", "partner_id", "lease_id"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint("status IN ('pay', 'suspend')", name="title_hold_status"),
    CheckConstraint("status = 'pay' OR reason IS NOT NULL", name="suspend_has_reason"),
)

# ---------------------------------------------------------------- prices and revenue distribution

prices = Table(
    "prices",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "id"),
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

distribution_runs = Table(
    "distribution_runs",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("month", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("totals", JSONB, nullable=False),
    Column("warnings", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("finalized_by", Text, nullable=True),
    timestamp_column("finalized_at", nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "month", name="distribution_runs_month_unique"),
    CheckConstraint("status IN ('draft', 'finalized')", name="run_status"),
)

distribution_sales = Table(
    "distribution_sales",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "id"),
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

owner_lines = Table(
    "owner_lines",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "id"),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["distribution_runs.organization_id", "distribution_runs.id"], ondelete="CASCADE"
    ),
)
Index("owner_lines_run_partner", owner_lines.c.organization_id, owner_lines.c.run_id, owner_lines.c.partner_id)
Index("owner_lines_lease_month", owner_lines.c.organization_id, owner_lines.c.lease_id, owner_lines.c.month)

owner_settlements = Table(
    "owner_settlements",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "run_id", "partner_id"),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["distribution_runs.organization_id", "distribution_runs.id"], ondelete="CASCADE"
    ),
)

suspense_entries = Table(
    "suspense_entries",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("partner_id"),
    uuid_column("lease_id", nullable=True),  # set for a title hold
    Column("reason", Text, nullable=False),
    decimal_column("amount", MONEY),  # + held, - released
    uuid_column("run_id"),
    Column("month", Date, nullable=False),
    timestamp_column("created_at"),
    PrimaryKeyConstraint("organization_id", "id"),
    CheckConstraint("reason IN ('title_hold', 'minimum_payment')", name="suspense_reason"),
)
Index("suspense_partner", suspense_entries.c.organization_id, suspense_entries.c.partner_id)

# ---------------------------------------------------------------- joint interest billing

agreements = Table(
    "agreements",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("lease_id"),
    Column("name", Text, nullable=False),
    decimal_column("drilling_overhead_rate", MONEY),  # per well per month while drilling (prorated by drilling days)
    decimal_column("producing_overhead_rate", MONEY),  # per producing well per month
    Column("rates_set_on", Date, nullable=False),  # April 1 adjustments after this date apply
    Column("afe_overrun_percent", Numeric(6, 2), nullable=False),
    timestamp_column("created_at"),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "lease_id", name="agreements_lease_unique"),
)

overhead_adjustments = Table(
    "overhead_adjustments",
    metadata,
    organization_id_column(),
    uuid_column("agreement_id"),
    Column("year", Integer, nullable=False),
    Column("percent", Numeric(7, 4), nullable=False),
    Column("entered_by", Text, nullable=False),
    timestamp_column("entered_at"),
    PrimaryKeyConstraint("organization_id", "agreement_id", "year"),
    ForeignKeyConstraint(
        ["organization_id", "agreement_id"], ["agreements.organization_id", "agreements.id"], ondelete="CASCADE"
    ),
)

costs = Table(
    "costs",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "id"),
    CheckConstraint(
        "category IN ('intangible_drilling', 'tangible', 'completion', 'lease_operating', 'workover', 'other')",
        name="cost_category",
    ),
)
Index("costs_unbilled", costs.c.organization_id, costs.c.jib_run_id, costs.c.incurred_on)
Index("costs_afe", costs.c.organization_id, costs.c.afe_number)
Index("costs_lease", costs.c.organization_id, costs.c.lease_id, costs.c.incurred_on)

jib_runs = Table(
    "jib_runs",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("month", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("totals", JSONB, nullable=False),
    Column("warnings", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("issued_by", Text, nullable=True),
    timestamp_column("issued_at", nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "month", name="jib_runs_month_unique"),
    CheckConstraint("status IN ('draft', 'issued')", name="jib_run_status"),
)

jib_lines = Table(
    "jib_lines",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "id"),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["jib_runs.organization_id", "jib_runs.id"], ondelete="CASCADE"
    ),
)
Index("jib_lines_run_partner", jib_lines.c.organization_id, jib_lines.c.run_id, jib_lines.c.partner_id)

jib_statements = Table(
    "jib_statements",
    metadata,
    organization_id_column(),
    uuid_column("run_id"),
    uuid_column("partner_id"),
    Column("month", Date, nullable=False),
    decimal_column("prior_balance", MONEY),
    decimal_column("billed", MONEY),
    decimal_column("payments", MONEY),
    decimal_column("balance_due", MONEY),
    PrimaryKeyConstraint("organization_id", "run_id", "partner_id"),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["jib_runs.organization_id", "jib_runs.id"], ondelete="CASCADE"
    ),
)

jib_payments = Table(
    "jib_payments",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("partner_id"),
    Column("received_on", Date, nullable=False),
    decimal_column("amount", MONEY),
    Column("reference", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    PrimaryKeyConstraint("organization_id", "id"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint("amount > 0", name="payment_positive"),
)
Index("jib_payments_partner", jib_payments.c.organization_id, jib_payments.c.partner_id, jib_payments.c.received_on)

# ---------------------------------------------------------------- AFEs

afes = Table(
    "afes",
    metadata,
    organization_id_column(),
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
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "afe_number", name="afes_number_unique"),
    ForeignKeyConstraint(["organization_id", "parent_afe_id"], ["afes.organization_id", "afes.id"]),
)
Index("afes_lease", afes.c.organization_id, afes.c.lease_id, afes.c.status)

afe_lines = Table(
    "afe_lines",
    metadata,
    organization_id_column(),
    uuid_column("afe_id"),
    Column("line_no", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("description", Text, nullable=True),
    decimal_column("amount", MONEY),
    PrimaryKeyConstraint("organization_id", "afe_id", "line_no"),
    ForeignKeyConstraint(["organization_id", "afe_id"], ["afes.organization_id", "afes.id"], ondelete="CASCADE"),
    CheckConstraint("kind IN ('intangible', 'tangible')", name="afe_line_kind"),
)

afe_elections = Table(
    "afe_elections",
    metadata,
    organization_id_column(),
    uuid_column("afe_id"),
    uuid_column("partner_id"),
    Column("election", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("recorded_by", Text, nullable=False),
    timestamp_column("recorded_at"),
    PrimaryKeyConstraint("organization_id", "afe_id", "partner_id"),
    ForeignKeyConstraint(["organization_id", "afe_id"], ["afes.organization_id", "afes.id"], ondelete="CASCADE"),
    CheckConstraint("election IN ('consent', 'non_consent')", name="afe_election"),
)

afe_history = Table(
    "afe_history",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    uuid_column("afe_id"),
    Column("from_status", Text, nullable=True),
    Column("to_status", Text, nullable=False),
    Column("changed_by", Text, nullable=False),
    timestamp_column("changed_at"),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
    ForeignKeyConstraint(["organization_id", "afe_id"], ["afes.organization_id", "afes.id"], ondelete="CASCADE"),
)
Index("afe_history_afe", afe_history.c.organization_id, afe_history.c.afe_id)

alerts = Table(
    "alerts",
    metadata,
    organization_id_column(),
    uuid_column("id"),
    Column("kind", Text, nullable=False),
    uuid_column("afe_id", nullable=True),
    Column("message", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    timestamp_column("raised_at"),
    Column("acknowledged_by", Text, nullable=True),
    timestamp_column("acknowledged_at", nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("alerts_open", alerts.c.organization_id, alerts.c.acknowledged_at, alerts.c.raised_at)

TENANT_TABLES = [
    "leases",
    "wells",
    "well_status_history",
    "lease_months",
    "run_tickets",
    "severance_taxes",
    "partners",
    "decks",
    "deck_lines",
    "title_holds",
    "prices",
    "distribution_runs",
    "distribution_sales",
    "owner_lines",
    "owner_settlements",
    "suspense_entries",
    "agreements",
    "overhead_adjustments",
    "costs",
    "jib_runs",
    "jib_lines",
    "jib_statements",
    "jib_payments",
    "afes",
    "afe_lines",
    "afe_elections",
    "afe_history",
    "alerts",
]
