"""Form PR details: a lease's Form P-4 purchasers and gatherers (with their P-5 numbers) and a well's drilling
permit (W-1) number.

Written as explicit operations, so later changes to the table definitions do not change this revision. Revision
0001 creates the tables from ``adapters.tables`` as they stand, so a fresh database already has these columns:
they are added only where missing (``IF NOT EXISTS``), which makes this revision right on both.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"

COLUMNS = (("leases", "purchasers", "jsonb"), ("wells", "permit_number", "text"))


def upgrade() -> None:
    for table, column, kind in COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")


def downgrade() -> None:
    for table, column, _ in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
