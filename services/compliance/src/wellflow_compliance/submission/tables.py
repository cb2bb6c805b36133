"""The submission queue's tables, on the service's shared ``metadata`` (created by migration 0002).

``submissions`` is a tenant table (RLS forced): one row per Form PR version sent to the portal, with its
state, attempts, next attempt time, last error, confirmation number and the portal's reasons.

``submission_schedule`` is not a tenant table. The worker has to find due submissions of every tenant, and
with RLS forced on the runtime role a query without a tenant sees no ``submissions`` rows at all. So each
queued submission also has a row here holding only ``(submission_id, tenant_id, next_attempt_at)``: ids and
a time, no tenant data, like the outbox. The worker claims due rows here with ``FOR UPDATE SKIP LOCKED``,
then reads and updates the submission itself in a unit of work of its tenant, under RLS. The row is
written in the same transaction as the submission and deleted when the submission reaches a final state.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.migrations import organization_id_column

from ..adapters.tables import metadata

STATES = ("queued", "in_flight", "accepted", "rejected", "failed")
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
    PrimaryKeyConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "submission_key", name="submissions_key_unique"),
    UniqueConstraint("organization_id", "report_id", "report_version", name="submissions_report_version_unique"),
    CheckConstraint(f"state IN ({', '.join(repr(s) for s in STATES)})", name="submissions_state"),
    CheckConstraint("attempts >= 0 AND report_version >= 1", name="submissions_counts"),
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

TENANT_TABLES = ("submissions",)
