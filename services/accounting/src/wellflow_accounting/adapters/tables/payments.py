"""Money out: payment runs, one payment per payee per run, what each payment pays (its lines), the ACH settings
of the organization (its bank, the ODFI) and the accounts already prenoted. Created by migration 0004
(docs/payments.md)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, VOLUME, metadata

payment_settings = tenant_table(
    "payment_settings",
    metadata,
    # The operator's bank (the ODFI) as NACHA's file and batch headers name it.
    Column("immediate_destination", Text, nullable=True),  # the ODFI's routing number (9 digits)
    Column("immediate_destination_name", Text, nullable=True),  # the bank's name, up to 23 characters
    Column("immediate_origin", Text, nullable=True),  # assigned by the bank, usually 1 + EIN (10 characters)
    Column("immediate_origin_name", Text, nullable=True),  # the operator's name, up to 23 characters
    Column("company_name", Text, nullable=True),  # batch header, up to 16 characters
    Column("company_id", Text, nullable=True),  # batch header, 10 characters (1 + EIN usually)
    Column("odfi_routing", Text, nullable=True),  # the ODFI's routing number; the batch carries its first 8 digits
    Column("entry_description", Text, nullable=False, server_default="ROYALTY"),  # up to 10 characters
    Column("require_two_approvers", Boolean, nullable=False, server_default=text("false")),
    Column("next_check_number", BigInteger, nullable=False, server_default=text("1001")),
    Column("check_account_number", Text, nullable=True),  # the account checks are drawn on (positive pay)
    # a new or changed account is prenoted; live credits go to it once the prenote is this many days old
    Column("prenote_wait_days", Integer, nullable=False, server_default=text("3")),
    Column("updated_by", Text, nullable=False),
    timestamp_column("updated_at"),
    PrimaryKeyConstraint("organization_id"),
    key=(),
)

payment_runs = tenant_table(
    "payment_runs",
    metadata,
    uuid_column("id"),
    uuid_column("distribution_run_id", nullable=True),  # the finalized revenue run paid, if any
    Column("include_jib_credits", Boolean, nullable=False),  # partners whose JIB balance is a credit are refunded
    Column("pay_date", Date, nullable=False),  # the effective entry date and the checks' date
    Column("status", Text, nullable=False),
    Column("totals", JSONB, nullable=False),
    Column("warnings", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    Column("first_approved_by", Text, nullable=True),  # set when two approvers are required and one has approved
    timestamp_column("first_approved_at", nullable=True),
    Column("approved_by", Text, nullable=True),
    timestamp_column("approved_at", nullable=True),
    Column("ach_file", LargeBinary, nullable=True),  # the NACHA file as generated, kept so a retry resends it unchanged
    Column("ach_file_id_modifier", Text, nullable=True),
    timestamp_column("files_generated_at", nullable=True),
    Column("sent_by", Text, nullable=True),
    timestamp_column("sent_at", nullable=True),
    CheckConstraint(
        "status IN ('draft', 'approved', 'files_generated', 'sent', 'cancelled')", name="payment_run_status"
    ),
)
Index(
    "payment_runs_distribution_run",
    payment_runs.c.organization_id,
    payment_runs.c.distribution_run_id,
    unique=True,
    postgresql_where=text("status <> 'cancelled' AND distribution_run_id IS NOT NULL"),
)
Index("payment_runs_created", payment_runs.c.organization_id, payment_runs.c.created_at)

payments = tenant_table(
    "payments",
    metadata,
    uuid_column("id"),
    uuid_column("run_id"),
    Column("payee_kind", Text, nullable=False),  # owner (revenue) or partner (a JIB credit)
    uuid_column("partner_id"),  # the owner or partner paid (both live in ``partners``)
    Column("method", Text, nullable=False),  # ach or check
    Column("status", Text, nullable=False),
    Column("hold_reason", Text, nullable=True),
    decimal_column("gross", MONEY),
    decimal_column("tax", MONEY),  # severance and other production taxes
    decimal_column("deductions", MONEY),
    decimal_column("netted", MONEY),  # JIB balance owed, netted against the payment where the JOA allows it
    decimal_column("backup_withholding", MONEY),
    decimal_column("interest", MONEY),  # late-payment interest (Nat. Res. Code 91.403)
    decimal_column("net", MONEY),  # what is paid: gross - tax - deductions - netted - backup_withholding + interest
    # ACH: the account as it was when the run was built (the account number is never answered, only its last 4)
    Column("routing_number", Text, nullable=True),
    Column("account_number", Text, nullable=True),
    Column("account_last4", Text, nullable=True),
    Column("account_type", Text, nullable=True),  # checking or savings
    Column("prenote", Boolean, nullable=False, server_default=text("false")),  # a prenote goes in this run's file
    Column("trace_number", Text, nullable=True),  # the ACH entry's trace number (15 digits)
    Column("check_number", BigInteger, nullable=True),
    uuid_column("reissue_of", nullable=True),  # a reissued check names the voided payment it replaces
    Column("void_reason", Text, nullable=True),
    timestamp_column("voided_at", nullable=True),
    timestamp_column("paid_at", nullable=True),
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["payment_runs.organization_id", "payment_runs.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint("payee_kind IN ('owner', 'partner')", name="payment_payee_kind"),
    CheckConstraint("method IN ('ach', 'check')", name="payment_method"),
    CheckConstraint("status IN ('pending', 'held', 'sent', 'void')", name="payment_status"),
    CheckConstraint("account_type IS NULL OR account_type IN ('checking', 'savings')", name="payment_account_type"),
)
Index("payments_run", payments.c.organization_id, payments.c.run_id, payments.c.partner_id)
Index("payments_partner", payments.c.organization_id, payments.c.partner_id)
Index(
    "payments_check_number",
    payments.c.organization_id,
    payments.c.check_number,
    unique=True,
    postgresql_where=text("check_number IS NOT NULL"),
)
Index(
    "payments_one_per_payee",
    payments.c.organization_id,
    payments.c.run_id,
    payments.c.partner_id,
    unique=True,
    postgresql_where=text("status <> 'void'"),
)

payment_lines = tenant_table(
    "payment_lines",
    metadata,
    uuid_column("id"),
    uuid_column("payment_id"),
    uuid_column("run_id"),
    # revenue (a revenue-run owner line), suspense_release (minimum-payment or title suspense paid now),
    # jib_credit (a JIB credit refunded), jib_netting (a JIB balance netted: negative), interest (91.403)
    Column("kind", Text, nullable=False),
    uuid_column("owner_line_id", nullable=True),
    uuid_column("lease_id", nullable=True),
    Column("sale_month", Date, nullable=True),
    Column("product", Text, nullable=True),  # oil or gas (condensate is paid as oil: 91.402)
    Column("decimal", Numeric(10, 8), nullable=True),
    decimal_column("volume", VOLUME, nullable=True),
    decimal_column("gross", MONEY),
    decimal_column("tax", MONEY),
    decimal_column("deductions", MONEY),
    decimal_column("net", MONEY),
    Column("due_on", Date, nullable=True),  # 91.402 due date of the sale paid (interest lines and revenue lines)
    Column("days_late", Integer, nullable=True),
    Column("note", Text, nullable=True),
    # written with their payment in one transaction, and thousands at a time: the foreign key names the run (one
    # row to check, as owner_lines do), which deletes them with it
    ForeignKeyConstraint(
        ["organization_id", "run_id"], ["payment_runs.organization_id", "payment_runs.id"], ondelete="CASCADE"
    ),
    CheckConstraint(
        "kind IN ('revenue', 'suspense_release', 'jib_credit', 'jib_netting', 'interest')", name="payment_line_kind"
    ),
    CheckConstraint("product IS NULL OR product IN ('oil', 'gas')", name="payment_line_product"),
)
Index("payment_lines_payment", payment_lines.c.organization_id, payment_lines.c.payment_id)
Index("payment_lines_run", payment_lines.c.organization_id, payment_lines.c.run_id)

ach_prenotes = tenant_table(
    "ach_prenotes",
    metadata,
    uuid_column("partner_id"),
    Column("routing_number", Text, nullable=False),
    Column("account_fingerprint", Text, nullable=False),  # sha256 of routing, account and type: no number kept here
    uuid_column("run_id"),
    Column("sent_on", Date, nullable=False),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    key=("partner_id", "account_fingerprint"),
)

PAYMENT_TENANT_TABLES = ("payment_settings", "payment_runs", "payments", "payment_lines", "ach_prenotes")
