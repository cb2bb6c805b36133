"""The compliance service's tables (SQLAlchemy Core); the submission queue's two tables were added by their
own migration (0002) and are listed in ``SUBMISSION_TENANT_TABLES``, not ``TENANT_TABLES`` (migration 0001);
the filing scope's and accounting's prices are in ``tables_office.py`` (migrations 0007 and 0008).

Every table but ``tenants`` is a tenant table: ``organization_id`` first in its key and indexes, RLS forced
(see migration 0001). ``tenants`` lists only the organization ids compliance has heard of, so the deadline
task (system work, no tenant) knows whose calendars to walk; it holds no tenant data.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.tables import (
    decimal_column,
    lease_copy_table,
    organization_id_column,
    timestamp_column,
    uuid_column,
    well_copy_table,
)

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

# event_at: when the fact happened, so an older event arriving late changes nothing
leases = lease_copy_table(
    metadata,
    Column("county", Text, nullable=True),
    timestamp_column("event_at"),
    Column("purchasers", JSONB, nullable=True),  # Form P-4 [{product, role, name, p5_number, ...}] (0006)
)

wells = well_copy_table(
    metadata,
    Column("name", Text, nullable=True),
    Column("gas_well_id", Text, nullable=True),
    timestamp_column("event_at"),
    Column("permit_number", Text, nullable=True),  # drilling permit (W-1) number (0006)
)

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
    # revision 0005: stock in net standard barrels (the Form PR's basis) and what production says about it
    decimal_column("beginning_net_stock_bbl", VOLUME, nullable=True),
    decimal_column("ending_net_stock_bbl", VOLUME, nullable=True),
    Column("month_end_gauged", Boolean, nullable=False, server_default="false"),
    Column("uncorrected_stock_gauges", JSONB, nullable=False, server_default="[]"),
    Column("well_volumes", JSONB, nullable=True),  # [{well_id, liquid_bbl, gas_mcf}, ...] (0006)
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
    Column("price_per_bbl", Numeric(18, 6), nullable=True),  # the purchaser's price (migration 0004)
    PrimaryKeyConstraint("organization_id", "id"),
)
Index("run_tickets_lease_month", run_tickets.c.organization_id, run_tickets.c.lease_id, run_tickets.c.month)

# Loads the purchaser refused (production.run_ticket_rejected.v1) and the settlement of the dispute: a refused
# ticket is no sale and no disposition (migration 0009). Apart from run_tickets, and the refusal's own columns
# nullable, so the events may come in any order (a settlement heard first writes the row, the refusal fills it in).
run_ticket_refusals = Table(
    "run_ticket_refusals",
    metadata,
    organization_id_column(),
    uuid_column("ticket_id"),
    uuid_column("lease_id"),
    Column("month", Date, nullable=True),
    Column("reason", Text, nullable=True),
    timestamp_column("rejected_at", nullable=True),
    Column("resolution", Text, nullable=True),
    Column("resolved_by", Text, nullable=True),
    timestamp_column("resolved_at", nullable=True),
    PrimaryKeyConstraint("organization_id", "ticket_id"),
)

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
    # awaiting_confirmation: prepared for filing by hand, until the RRC's confirmation is recorded (migration 0006)
    CheckConstraint("state IN ('submitted', 'awaiting_confirmation', 'accepted', 'rejected')", name="version_state"),
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
    # migration 0007: filed outside WellFlow (the RRC's or Comptroller's confirmation), the state it closed
    Column("outside_confirmation", Text, nullable=True),
    Column("outside_filed_on", Date, nullable=True),
    Column("state_before_outside", Text, nullable=True),
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

# ---------------------------------------------------------------- the submission queue (migration 0002)
#
# ``submissions`` is a tenant table (RLS forced): one row per Form PR version sent to the portal, with its
# state, attempts, next attempt time, last error, confirmation number and the portal's reasons.
#
# ``submission_schedule`` is not a tenant table. The worker has to find due submissions of every tenant, and
# with RLS forced on the runtime role a query without a tenant sees no ``submissions`` rows at all. So each
# queued submission also has a row here holding only ``(submission_id, tenant_id, next_attempt_at)``: ids and
# a time, no tenant data, like the outbox. The worker claims due rows here with ``FOR UPDATE SKIP LOCKED``,
# then reads and updates the submission itself in a unit of work of its tenant, under RLS. The row is
# written in the same transaction as the submission and deleted when the submission reaches a final state.

STATES = ("queued", "in_flight", "awaiting_confirmation", "accepted", "rejected", "failed")
FILED_VIA = ("manual", "stand-in", "rrc")  # the adapter in effect when it was submitted (migration 0006)
FINAL_STATES = frozenset({"accepted", "rejected"})

submissions = Table(
    "submissions",
    metadata,
    organization_id_column(),
    Column("id", UUID(as_uuid=True), nullable=False),
    Column("report_id", UUID(as_uuid=True), nullable=False),
    Column("report_version", Integer, nullable=False),
    Column("submission_key", Text, nullable=False),
    Column("period", Date, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("state", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_attempt_at", DateTime(timezone=True), nullable=True),
    Column("confirmation_number", Text, nullable=True),
    Column("accepted_at", DateTime(timezone=True), nullable=True),
    Column("reasons", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("requested_by", Text, nullable=False),
    Column("retried_by", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # migration 0006: how it is filed, and the RRC's confirmation as a person recorded it (who, when, what)
    Column("filed_via", Text, nullable=False),
    Column("confirmed_by", Text, nullable=True),
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    Column("confirmation_date", Date, nullable=True),
    Column("confirmation_note", Text, nullable=True),
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "submission_key", name="submissions_key_unique"),
    UniqueConstraint("organization_id", "report_id", "report_version", name="submissions_report_version_unique"),
    CheckConstraint(f"state IN ({', '.join(repr(s) for s in STATES)})", name="submissions_state"),
    CheckConstraint("attempts >= 0 AND report_version >= 1", name="submissions_counts"),
    CheckConstraint(f"filed_via IN ({', '.join(repr(s) for s in FILED_VIA)})", name="submissions_filed_via"),
)
Index("submissions_state_period", submissions.c.organization_id, submissions.c.state, submissions.c.period)
Index("submissions_created", submissions.c.organization_id, submissions.c.created_at)

submission_schedule = Table(
    "submission_schedule",
    metadata,
    Column("submission_id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", Text, nullable=True),
)
Index("submission_schedule_due", submission_schedule.c.next_attempt_at)

SUBMISSION_TENANT_TABLES = ("submissions",)  # created by migration 0002, not 0001
