"""Tank balance, refused loads and deferred dollars: the organization's tank-gap threshold (a floor in barrels and
a percent of capacity), its gauge-not-moving window, its net revenue interest and whether the pumper's route is
ordered by dollars at risk (columns of ``production_settings`` with their defaults); ``run_ticket_rejections``
(a load the purchaser refused, with its dispute) and ``prices`` (production's copy of accounting's prices), both
tenant tables with RLS enabled and forced; an index of the gauges a run ticket wrote (``tank_gauges_run_ticket``).

Revision 0001 creates ``production_settings`` from ``adapters/tables`` as it stands, so on a new database the
columns exist already: each is added ``IF NOT EXISTS``. The runtime role gets its privileges on the new tables
from the default privileges set when the database was provisioned, as in revision 0002.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0004"
down_revision = "0003"

SETTINGS = (
    ("tank_gap_floor_bbl", "numeric(15, 3) NOT NULL DEFAULT 5"),
    ("tank_gap_capacity_percent", "numeric(5, 2) NOT NULL DEFAULT 1"),
    ("tank_stale_days", "integer NOT NULL DEFAULT 3"),
    ("net_revenue_interest", "numeric(10, 8)"),
    ("route_by_dollars_at_risk", "boolean NOT NULL DEFAULT false"),
)


def upgrade() -> None:
    for name, kind in SETTINGS:
        op.execute(f"ALTER TABLE production_settings ADD COLUMN IF NOT EXISTS {name} {kind}")
    op.execute(
        "CREATE INDEX IF NOT EXISTS tank_gauges_run_ticket ON tank_gauges (organization_id, run_ticket_id)"
        " WHERE run_ticket_id IS NOT NULL"
    )
    op.create_table(
        "run_ticket_rejections",
        sa.Column("organization_id", UUID(as_uuid=True), nullable=False),
        sa.Column("run_ticket_id", UUID(as_uuid=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("photo_document_id", sa.Text, nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("dispute_state", sa.Text, nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Text, nullable=True),
        sa.Column("resolution", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("organization_id", "run_ticket_id"),
        sa.CheckConstraint("dispute_state IN ('open', 'resolved')", name="run_ticket_rejections_state"),
        sa.CheckConstraint(
            "(dispute_state = 'resolved') = (resolved_at IS NOT NULL AND resolved_by IS NOT NULL)",
            name="run_ticket_rejections_resolved",
        ),
    )
    enable_tenant_rls(op, "run_ticket_rejections")
    op.create_table(
        "prices",
        sa.Column("organization_id", UUID(as_uuid=True), nullable=False),
        sa.Column("lease_key", sa.Text, nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("product", sa.Text, nullable=False),
        sa.Column("price", sa.Numeric(12, 4), nullable=False),
        sa.Column("price_id", UUID(as_uuid=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "lease_key", "month", "product"),
    )
    enable_tenant_rls(op, "prices")


def downgrade() -> None:
    op.drop_table("prices")
    op.drop_table("run_ticket_rejections")
    op.execute("DROP INDEX IF EXISTS tank_gauges_run_ticket")
    for name, _ in SETTINGS:
        op.execute(f"ALTER TABLE production_settings DROP COLUMN IF EXISTS {name}")
