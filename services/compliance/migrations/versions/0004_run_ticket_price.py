"""Run tickets keep the purchaser's price per net barrel (``price_per_bbl``, when on the ticket): the crude
oil tax is on the value actually paid, ticket by ticket (Tax Code 202.052/202.053; docs/compliance.md).

Written as explicit operations, so later changes to the table definitions do not change this revision.

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("run_tickets", sa.Column("price_per_bbl", sa.Numeric(18, 6), nullable=True))


def downgrade() -> None:
    op.drop_column("run_tickets", "price_per_bbl")
