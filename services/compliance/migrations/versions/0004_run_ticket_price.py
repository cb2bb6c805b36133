"""Run tickets keep the purchaser's price per net barrel (``price_per_bbl``, when on the ticket): the crude
oil tax is on the value actually paid, ticket by ticket (Tax Code 202.052/202.053; docs/compliance.md).

Written as an explicit operation. 0001 creates the tables from ``adapters/tables.py`` as it stands, so on a
new database the column already exists when this revision runs: hence ``IF NOT EXISTS`` (a database created
before this revision gets the column here).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("ALTER TABLE run_tickets ADD COLUMN IF NOT EXISTS price_per_bbl NUMERIC(18, 6)")


def downgrade() -> None:
    op.execute("ALTER TABLE run_tickets DROP COLUMN IF EXISTS price_per_bbl")
