"""Compliance's severance tax copy keeps its detail (``severance_taxes.detail``): the value compliance taxed per
product, the tax on unsold volumes, the value sources and warnings, so a run shows where its valuation and the
tax return differ (docs/accounting.md#severance-tax).

Written as an explicit operation. 0001 creates the tables from ``adapters/tables`` as it stands, so on a new
database the column already exists when this revision runs: hence ``IF NOT EXISTS``.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute("ALTER TABLE severance_taxes ADD COLUMN IF NOT EXISTS detail JSONB")


def downgrade() -> None:
    op.execute("ALTER TABLE severance_taxes DROP COLUMN IF EXISTS detail")
