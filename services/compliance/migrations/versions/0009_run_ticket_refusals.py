"""Refused loads: ``run_ticket_refusals`` keeps each run ticket a purchaser refused (production's
``run_ticket_rejected.v1``) and the settlement of its dispute; a refused ticket is left out of the severance tax's
sales and the Form PR ticket check (docs/compliance.md).

Written as explicit operations.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.execute(
        """CREATE TABLE run_ticket_refusals (
            organization_id uuid NOT NULL,
            ticket_id uuid NOT NULL,
            lease_id uuid NOT NULL,
            month date,
            reason text,
            rejected_at timestamptz,
            resolution text,
            resolved_by text,
            resolved_at timestamptz,
            PRIMARY KEY (organization_id, ticket_id)
        )"""
    )
    enable_tenant_rls(op, "run_ticket_refusals")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS run_ticket_refusals")
