"""Texas owner-payment law (Nat. Res. Code ch. 91 subch. J and L, Property Code escheat): the New York Fed rate
91.403 interest is priced on, the notices of late items already sent, owners' 91.504 information requests, and
escheat's due-diligence letters and reports. Created by migration 0005 (docs/owner-payment-law.md)."""

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
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from wellflow_servicekit.tables import decimal_column, tenant_table, timestamp_column, uuid_column

from .common import MONEY, metadata

RATE = Numeric(8, 6)  # a fraction: 5.50% is 0.055000

# The published rate history every organization shares (not tenant data: no organization_id, no RLS), seeded
# by migration 0005 from wellflow_texas/data/ny_fed_primary_credit.csv. The service never writes it.
fed_primary_credit_rates = Table(
    "fed_primary_credit_rates",
    metadata,
    Column("effective", Date, nullable=False),
    Column("annual_rate", RATE, nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("source", Text, nullable=False),
    PrimaryKeyConstraint("effective"),
)

# An organization's own entries: a change the shipped file does not have yet, or a correction of one (the
# organization's entry wins on the same day).
late_interest_rates = tenant_table(
    "late_interest_rates",
    metadata,
    uuid_column("id"),
    Column("effective", Date, nullable=False),
    Column("annual_rate", RATE, nullable=False),
    Column("source", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    UniqueConstraint("organization_id", "effective", name="late_interest_rates_effective_unique"),
    CheckConstraint("annual_rate >= 0 AND annual_rate < 1", name="late_interest_rate_range"),
)

# Organizations with a finalized revenue run or a payment run: the daily late-payment check and the business
# gauges visit these (tenant tables are invisible without a tenant). Not tenant data.
owner_law_tenants = Table(
    "owner_law_tenants",
    metadata,
    uuid_column("tenant_id"),
    timestamp_column("first_seen_at"),
    PrimaryKeyConstraint("tenant_id"),
)

# One row per late item announced (accounting.owner_payment_late.v1): the claim that makes the check idempotent.
late_payment_notices = tenant_table(
    "late_payment_notices",
    metadata,
    uuid_column("partner_id"),
    uuid_column("lease_id"),
    Column("sale_month", Date, nullable=False),
    Column("product", Text, nullable=False),
    Column("due_date", Date, nullable=False),
    decimal_column("unpaid", MONEY),
    timestamp_column("notified_at"),
    key=("partner_id", "lease_id", "sale_month", "product"),
)

# Nat. Res. Code 91.504 / 91.507: an owner's written request, answered within 60 days of receipt.
information_requests = tenant_table(
    "information_requests",
    metadata,
    uuid_column("id"),
    uuid_column("partner_id"),
    uuid_column("lease_id", nullable=True),
    Column("kind", Text, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("asked", Text, nullable=False),
    Column("period_from", Date, nullable=True),  # the sales months the answer covers
    Column("period_to", Date, nullable=True),
    Column("answered_on", Date, nullable=True),
    Column("answer_note", Text, nullable=True),
    Column("answered_by", Text, nullable=True),
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    CheckConstraint(
        "kind IN ('deductions', 'heating_value', 'lease_identification', 'payment_information')",
        name="information_request_kind",
    ),
    CheckConstraint("period_from IS NULL OR period_to IS NULL OR period_from <= period_to", name="request_period"),
)
Index("information_requests_due", information_requests.c.organization_id, information_requests.c.due_on)

# Escheat (Property Code ch. 74): the due-diligence letter sent to an owner whose suspense is presumed abandoned.
escheat_letters = tenant_table(
    "escheat_letters",
    metadata,
    uuid_column("id"),
    uuid_column("partner_id"),
    decimal_column("amount", MONEY),
    Column("last_activity", Date, nullable=False),  # the month the oldest unclaimed proceeds belong to
    Column("sent_on", Date, nullable=False),
    Column("report_year", Integer, nullable=False),
    Column("address", JSONB, nullable=False),  # the last known address as the letter printed it
    Column("claimed_on", Date, nullable=True),  # the owner answered: not reported
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    ForeignKeyConstraint(["organization_id", "partner_id"], ["partners.organization_id", "partners.id"]),
    UniqueConstraint("organization_id", "partner_id", "report_year", name="escheat_letters_one_per_year"),
)

escheat_reports = tenant_table(
    "escheat_reports",
    metadata,
    uuid_column("id"),
    Column("report_year", Integer, nullable=False),
    decimal_column("total", MONEY),
    Column("items", JSONB, nullable=False),  # [{partner_id, amount, lease ids, last_activity}]
    Column("file", Text, nullable=False),  # the NAUPA standard file as generated
    Column("created_by", Text, nullable=False),
    timestamp_column("created_at"),
    UniqueConstraint("organization_id", "report_year", name="escheat_reports_one_per_year"),
)

OWNER_LAW_TENANT_TABLES = (
    "late_interest_rates",
    "late_payment_notices",
    "information_requests",
    "escheat_letters",
    "escheat_reports",
)
OWNER_LAW_SHARED_TABLES = ("fed_primary_credit_rates", "owner_law_tenants")
