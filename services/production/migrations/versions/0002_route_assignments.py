"""Pumpers' routes: ``route_assignments`` (tenant table, RLS enabled and forced with the tenant policy), the
ordered wells a manager gave a member to visit each day.

Written as explicit operations, so later changes to ``adapters/tables/`` do not change this revision. The
runtime role gets SELECT, INSERT, UPDATE and DELETE on the new table from the default privileges set when the
database was provisioned (``wellflow_servicekit.provisioning``), as for every table of revision 0001.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "route_assignments",
        sa.Column("organization_id", UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", UUID(as_uuid=True), nullable=False),
        sa.Column("well_id", UUID(as_uuid=True), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("assigned_by", sa.Text, nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "user_id", "well_id"),
        sa.CheckConstraint("position >= 1", name="route_assignments_position"),
    )
    enable_tenant_rls(op, "route_assignments")


def downgrade() -> None:
    op.drop_table("route_assignments")
