"""Refused loads: ``run_ticket_refusals`` keeps each run ticket a purchaser refused (and the settlement of its
dispute), learned from production's events; refused tickets leave accounting's volumes, valuation and
reconciliation (docs/accounting.md).

Written as explicit operations; 0001 does not create this table (``REFUSAL_TENANT_TABLES``).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

from wellflow_accounting.adapters.tables import REFUSAL_TENANT_TABLES, metadata
from wellflow_servicekit.migrations import enable_tenant_rls

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    bind = op.get_bind()
    for name in REFUSAL_TENANT_TABLES:
        metadata.tables[name].create(bind=bind, checkfirst=True)
        enable_tenant_rls(op, name)


def downgrade() -> None:
    for name in reversed(REFUSAL_TENANT_TABLES):
        metadata.tables[name].drop(bind=op.get_bind(), checkfirst=True)
