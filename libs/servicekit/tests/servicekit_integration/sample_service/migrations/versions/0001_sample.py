"""A sample service schema for servicekit's integration tests: messaging tables and one tenant table.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from wellflow_servicekit.migrations import create_messaging_tables, enable_tenant_rls, organization_id_column

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "well_notes",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        organization_id_column(),
        sa.Column("well", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("well_notes_org", "well_notes", ["organization_id", "id"])
    enable_tenant_rls(op, "well_notes")
    op.create_table(
        "applied_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        organization_id_column(),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("aggregate", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_index("applied_events_org", "applied_events", ["organization_id", "id"])
    enable_tenant_rls(op, "applied_events")


def downgrade() -> None:
    op.drop_table("applied_events")
    op.drop_table("well_notes")
