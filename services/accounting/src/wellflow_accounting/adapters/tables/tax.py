"""Year-end 1099s: the filer's IRS settings, the files sent and the returns each carried, and payments made
outside WellFlow's payment runs that a 1099 must include (migration 0006, docs/1099.md).
The owners' TINs and B notices live on ``partners``."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, metadata

tax_filer_settings = tenant_table(
    "tax_filer_settings",
    metadata,
    Column("payer_tin", Text, nullable=True),  # the operator's EIN, nine digits
    Column("payer_name_control", Text, nullable=True),  # optional, 4 characters (Pub 1220 A record 21-24)
    Column("transmitter_tin", Text, nullable=True),  # when another firm transmits; else the payer's
    Column("transmitter_control_code", Text, nullable=True),  # the TCC the IRS assigned, 5 characters
    Column("contact_name", Text, nullable=True),
    Column("contact_phone", Text, nullable=True),
    Column("contact_email", Text, nullable=True),
    Column("combined_federal_state", Boolean, nullable=False, server_default=text("false")),
    Column("updated_by", Text, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id"),
    key=(),
)

form_1099_filings = tenant_table(
    "form_1099_filings",
    metadata,
    uuid_column("id"),
    Column("year", Integer, nullable=False),
    Column("kind", Text, nullable=False),  # original or correction
    Column("test", Boolean, nullable=False),  # a test file (T record position 28) files nothing
    Column("payees", Integer, nullable=False),
    Column("totals", JSONB, nullable=False),  # {"1099-MISC": {"2": "875.00", ...}, ...}
    Column("file", LargeBinary, nullable=False),  # the Pub 1220 file as generated
    Column("request", JSONB, nullable=False),  # the request body, for an Idempotency-Key retry
    Column("idempotency_key", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    CheckConstraint("kind IN ('original', 'correction')", name="form_1099_filing_kind"),
)
Index("form_1099_filings_year", form_1099_filings.c.organization_id, form_1099_filings.c.year)
Index(
    "form_1099_filings_key",
    form_1099_filings.c.organization_id,
    form_1099_filings.c.idempotency_key,
    unique=True,
    postgresql_where=text("idempotency_key IS NOT NULL"),
)

form_1099_filed_returns = tenant_table(
    "form_1099_filed_returns",
    metadata,
    uuid_column("filing_id"),
    Column("position", Integer, nullable=False),  # the B record's order in the file
    uuid_column("partner_id"),
    Column("form", Text, nullable=False),
    Column("corrected", Text, nullable=False),  # '', 'G' or 'C'
    Column("payee", JSONB, nullable=False),  # the return as sent: TIN, name, address, account, amounts
    ForeignKeyConstraint(
        ["organization_id", "filing_id"],
        ["form_1099_filings.organization_id", "form_1099_filings.id"],
        ondelete="CASCADE",
    ),
    CheckConstraint("form IN ('1099-MISC', '1099-NEC')", name="form_1099_form"),
    key=("filing_id", "position"),
)
Index(
    "form_1099_filed_returns_partner",
    form_1099_filed_returns.c.organization_id,
    form_1099_filed_returns.c.partner_id,
    form_1099_filed_returns.c.form,
)

form_1099_outside_payments = tenant_table(
    "form_1099_outside_payments",
    metadata,
    uuid_column("id"),
    uuid_column("partner_id"),
    Column("paid_on", Date, nullable=False),
    Column("kind", Text, nullable=False),  # royalty, working_interest, rent, other_income
    decimal_column("gross", MONEY),
    decimal_column("backup_withholding", MONEY),
    Column("memo", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint(
        "kind IN ('royalty', 'working_interest', 'rent', 'other_income')", name="form_1099_outside_payment_kind"
    ),
    CheckConstraint("backup_withholding >= 0", name="form_1099_outside_withholding"),
)
Index(
    "form_1099_outside_payments_paid",
    form_1099_outside_payments.c.organization_id,
    form_1099_outside_payments.c.paid_on,
)

TAX_TENANT_TABLES = (
    "tax_filer_settings",
    "form_1099_filings",
    "form_1099_filed_returns",
    "form_1099_outside_payments",
)
