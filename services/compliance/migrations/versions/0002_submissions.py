"""Submission queue: ``submissions`` (tenant table, RLS forced) and ``submission_schedule`` (the worker's
cross-tenant index of due submissions: ids and times only, no RLS, like the outbox; see
``wellflow_compliance.adapters.tables`` and docs/compliance-submission.md).

Written as explicit operations, so later changes to the table definitions do not change this revision.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0002"
down_revision = "0001"

STATES = "'queued', 'in_flight', 'accepted', 'rejected', 'failed'"
CHANNEL = "wellflow_submissions"  # wellflow_compliance.adapters.repositories.submissions.NOTIFY_CHANNEL


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("organization_id", UUID(as_uuid=True), nullable=False),
        sa.Column("id", UUID(as_uuid=True), nullable=False),
        sa.Column("report_id", UUID(as_uuid=True), nullable=False),
        sa.Column("report_version", sa.Integer, nullable=False),
        sa.Column("submission_key", sa.Text, nullable=False),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        _ts("next_attempt_at"),
        sa.Column("last_error", sa.Text, nullable=True),
        _ts("last_attempt_at"),
        sa.Column("confirmation_number", sa.Text, nullable=True),
        _ts("accepted_at"),
        sa.Column("reasons", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("retried_by", sa.Text, nullable=True),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "id"),
        sa.UniqueConstraint("organization_id", "submission_key", name="submissions_key_unique"),
        sa.UniqueConstraint("organization_id", "report_id", "report_version", name="submissions_report_version_unique"),
        sa.CheckConstraint(f"state IN ({STATES})", name="submissions_state"),
        sa.CheckConstraint("attempts >= 0 AND report_version >= 1", name="submissions_counts"),
    )
    op.create_index("submissions_state_period", "submissions", ["organization_id", "state", "period"])
    op.create_index("submissions_created", "submissions", ["organization_id", "created_at"])
    enable_tenant_rls(op, "submissions")

    op.create_table(
        "submission_schedule",
        sa.Column("submission_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", UUID(as_uuid=True), nullable=False),
        _ts("next_attempt_at", nullable=False),
        sa.Column("claimed_by", sa.Text, nullable=True),
    )
    op.create_index("submission_schedule_due", "submission_schedule", ["next_attempt_at"])
    # A newly queued (or re-queued) submission wakes the workers at commit instead of at their next poll.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION submission_schedule_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER submission_schedule_notify AFTER INSERT ON submission_schedule "
        "FOR EACH STATEMENT EXECUTE FUNCTION submission_schedule_notify()"
    )


def downgrade() -> None:
    op.drop_table("submission_schedule")
    op.execute("DROP FUNCTION IF EXISTS submission_schedule_notify()")
    op.drop_table("submissions")
